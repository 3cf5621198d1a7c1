"""Label Studio exchange for the entity layer.

Export: one task per document (``data.text``, ``data.doc_id``) with the current
mentions as *predictions* (region id = mention id; per-region choices for the
mention type and metonymy; ``coref`` relations linking each chain), so that an
annotator can review and correct them. The labelling config to use is
:func:`labelling_config` (written beside the tasks as ``*.config.xml``).

Import: a Label Studio JSON export (a list of tasks with ``annotations``)
becomes the entity layer of each document: labelled spans are mentions,
``coref`` relations group them into entities. Zones, quotes and events of the
existing file are kept; mentions keep their ids when the region id is one, so
quote sources and event arguments still resolve.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write_text, check_output_file
from ..load import Corpus, Document
from ..load.files import MAX_INPUT_BYTES
from ..load.jsonfile import load_json_file
from ..model.labels import ENTITY_TYPES, MENTION_TYPES
from ..model.problems import CorpusError, Problem, printable
from ..model.records import AnnotationFile, Entity, Mention, replace
from .imports import Change

MODEL_VERSION = "corpus_ds"


def labelling_config() -> str:
    """The Label Studio labelling config for the entity layer, from the label lists."""
    labels = "".join(f'\n    <Label value="{t}"/>' for t in ENTITY_TYPES)
    mtypes = "".join(f'\n    <Choice value="{m}"/>' for m in MENTION_TYPES)
    return (f'<View>\n  <Labels name="label" toName="text">{labels}\n  </Labels>\n'
            f'  <Text name="text" value="$text"/>\n'
            f'  <Choices name="mention_type" toName="text" perRegion="true" choice="single">{mtypes}\n  </Choices>\n'
            f'  <Choices name="metonymy" toName="text" perRegion="true">\n    <Choice value="metonymy"/>\n  </Choices>\n'
            f'  <Relations>\n    <Relation value="coref"/>\n  </Relations>\n</View>\n')


def export_tasks(records: list[tuple[AnnotationFile, str]]) -> list[dict[str, Any]]:
    """Label Studio tasks with the entity layer as predictions."""
    tasks = []
    for index, (record, text) in enumerate(records, 1):
        result: list[dict[str, Any]] = []
        for m in record.mentions:
            value = {"start": m.start, "end": m.end, "text": m.text}
            result.append({"id": m.id, "from_name": "label", "to_name": "text", "type": "labels",
                           "value": {**value, "labels": [m.type]}})
            result.append({"id": m.id, "from_name": "mention_type", "to_name": "text", "type": "choices",
                           "value": {**value, "choices": [m.mention_type]}})
            if m.metonymy:
                result.append({"id": m.id, "from_name": "metonymy", "to_name": "text", "type": "choices",
                               "value": {**value, "choices": ["metonymy"]}})
        chains: dict[str, list[str]] = defaultdict(list)
        for m in record.mentions:
            chains[m.entity].append(m.id)
        for members in chains.values():
            for a, b in zip(members, members[1:]):
                result.append({"type": "relation", "from_id": b, "to_id": a, "direction": "right",
                               "labels": ["coref"]})
        tasks.append({"id": index, "data": {"doc_id": record.doc_id, "text": text},
                      "predictions": [{"model_version": MODEL_VERSION, "result": result}]})
    return tasks


def _find(parent: dict[str, str], item: str) -> str:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _regions(result: Any, text: str, where: str, pointer: str) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str]], list[Problem]]:
    """The labelled regions and coref relations of one annotation's result, checked item by item."""
    problems: list[Problem] = []
    regions: dict[str, dict[str, Any]] = {}
    relations: list[tuple[str, str]] = []

    def bad(at: str, message: str) -> None:
        problems.append(Problem(where, at, "labelstudio", message))

    if not isinstance(result, list):
        bad(pointer, "an annotation's result is a list of regions and relations")
        return regions, relations, problems
    for index, item in enumerate(result):
        at = f"{pointer}/{index}"
        if not isinstance(item, dict):
            bad(at, "a result item is an object")
            continue
        if item.get("type") == "relation":
            ends = (item.get("from_id"), item.get("to_id"))
            if not all(isinstance(end, str) for end in ends):
                bad(at, "a relation needs from_id and to_id (region ids)")
            elif "coref" in (item.get("labels") or ["coref"]):
                relations.append((ends[0], ends[1]))  # type: ignore[arg-type]
            continue
        region_id = item.get("id")
        value = item.get("value")
        if not isinstance(region_id, str) or not region_id:
            bad(f"{at}/id", "a region needs an id (Label Studio gives every region one)")
            continue
        if not isinstance(value, dict):
            bad(f"{at}/value", "a region needs a value object")
            continue
        region = regions.setdefault(region_id, {"mention_type": "NAM", "metonymy": False, "at": at})
        if item.get("type") == "labels":
            labels, start, end = value.get("labels"), value.get("start"), value.get("end")
            if not (isinstance(labels, list) and len(labels) == 1 and labels[0] in ENTITY_TYPES):
                bad(f"{at}/value/labels", f"region {printable(region_id)} has label {printable(str(labels)[:60])}; "
                                          f"expected exactly one of {', '.join(ENTITY_TYPES)}")
            elif not (_is_int(start) and _is_int(end)):
                bad(f"{at}/value", f"region {printable(region_id)}: start and end must be whole numbers, "
                                   f"not {printable(str(start)[:20])} and {printable(str(end)[:20])}")
            elif not 0 <= start < end <= len(text):
                bad(f"{at}/value", f"region {printable(region_id)}: [{start}, {end}) is not within the text "
                                   f"(0 <= start < end <= {len(text)})")
            else:
                region.update(start=start, end=end, type=labels[0])
        elif item.get("from_name") == "mention_type":
            choices = value.get("choices")
            if not (isinstance(choices, list) and len(choices) == 1 and choices[0] in MENTION_TYPES):
                bad(f"{at}/value/choices", f"mention type must be one of {', '.join(MENTION_TYPES)}")
            else:
                region["mention_type"] = choices[0]
        elif item.get("from_name") == "metonymy":
            choices = value.get("choices")
            region["metonymy"] = isinstance(choices, list) and "metonymy" in choices
    return {rid: r for rid, r in regions.items() if "type" in r}, relations, problems


def _entity_layer(regions: dict[str, dict[str, Any]], relations: list[tuple[str, str]], base: AnnotationFile,
                  text: str, where: str) -> tuple[AnnotationFile | None, list[Problem]]:
    parent = {rid: rid for rid in regions}
    for a, b in relations:
        if a in parent and b in parent:
            parent[_find(parent, a)] = _find(parent, b)
    base_mentions = {m.id: m for m in base.mentions}
    base_entities = {e.id: e for e in base.entities}
    used_ids = {m.id for m in base.mentions}

    def fresh(prefix: str, taken: set[str]) -> str:
        """The smallest id above every id of this kind in use."""
        number = max((int(i[1:]) for i in taken if i.startswith(prefix) and i[1:].isdigit()), default=0) + 1
        return f"{prefix}{number}"

    order = sorted(regions, key=lambda r: (regions[r]["start"], regions[r]["end"]))
    mention_ids: dict[str, str] = {}
    taken: set[str] = set()
    for rid in order:
        mid = rid if re.fullmatch(r"m[1-9][0-9]*", rid) and rid not in taken else fresh("m", used_ids | taken)
        taken.add(mid)
        mention_ids[rid] = mid
    groups: dict[str, list[str]] = defaultdict(list)
    for rid in order:
        groups[_find(parent, rid)].append(rid)
    entity_ids: set[str] = set()
    mentions, entities = [], []
    problems: list[Problem] = []
    for members in sorted(groups.values(), key=lambda g: (regions[g[0]]["start"], regions[g[0]]["end"])):
        known = [base_mentions[r].entity for r in members if r in base_mentions]
        eid = next((e for e in known if e not in entity_ids), None) or fresh("e", set(base_entities) | entity_ids)
        entity_ids.add(eid)
        types = {regions[r]["type"] for r in members}
        if len(types) > 1:
            problems.append(Problem(where, regions[members[0]]["at"], "labelstudio",
                                    f"coreferent regions {', '.join(map(printable, members))} have different "
                                    f"types {sorted(types)}; one entity, one type"))
            continue
        for rid in members:
            r = regions[rid]
            mentions.append(Mention(mention_ids[rid], eid, r["type"], r["mention_type"], r["start"], r["end"],
                                    text[r["start"]:r["end"]], r["metonymy"]))
        old = base_entities.get(eid)
        new_type = regions[members[0]]["type"]
        if old is not None:
            # a relabelled entity keeps its name and Wikipedia title; a time value only while TIME
            kept = old if old.type == new_type else old._replace(type=new_type)
            entities.append(kept if new_type == "TIME" else kept._replace(value=None, mod=None))
        else:
            names = [text[regions[r]["start"]:regions[r]["end"]] for r in members
                     if regions[r]["mention_type"] == "NAM"] or [text[regions[members[0]]["start"]:regions[members[0]]["end"]]]
            entities.append(Entity(eid, regions[members[0]]["type"], max(names, key=len), None))
    if problems:
        return None, problems
    mentions.sort(key=lambda m: (m.start, m.end))
    first: dict[str, int] = {}
    for m in mentions:
        first.setdefault(m.entity, m.start)
    entities.sort(key=lambda e: first[e.id])
    return replace(base, mentions=tuple(mentions), entities=tuple(entities)), []


def changes_from_export(export: Any, corpus: Corpus, where: str) -> list[Change]:
    """The documents a Label Studio JSON export describes; CorpusError with every problem,
    each at its JSON pointer in the export."""
    if not isinstance(export, list):
        raise CorpusError([Problem(where, "", "labelstudio", "a Label Studio JSON export is a list of tasks")])
    by_id = {document.doc_id: document for document in corpus}
    changes: list[Change] = []
    problems: list[Problem] = []
    for index, task in enumerate(export):
        at = f"/{index}"
        data = task.get("data") if isinstance(task, dict) else None
        doc_id = data.get("doc_id") if isinstance(data, dict) else None
        if not isinstance(doc_id, str) or doc_id not in by_id:
            problems.append(Problem(where, f"{at}/data/doc_id", "unknown-document",
                                    f"{printable(str(doc_id)[:40])!r} is not the id of a document in the corpus "
                                    "(export the tasks with corpus-ds export labelstudio)"))
            continue
        document = by_id[doc_id]
        if data.get("text") is not None and data["text"] != document.text:
            problems.append(Problem(where, f"{at}/data/text", "labelstudio",
                                    f"the task's text differs from texts/{doc_id}.txt"))
            continue
        annotations = task.get("annotations") or []
        if not isinstance(annotations, list):
            problems.append(Problem(where, f"{at}/annotations", "labelstudio", "annotations must be a list"))
            continue
        live = [(k, a) for k, a in enumerate(annotations) if isinstance(a, dict) and not a.get("was_cancelled")]
        if live:
            k, chosen = live[-1]
            pointer = f"{at}/annotations/{k}/result"
            result = chosen.get("result", [])
        else:
            predictions = task.get("predictions") or []
            first = predictions[0] if isinstance(predictions, list) and predictions else None
            if not isinstance(first, dict):
                continue  # nothing annotated and no prediction object: the document stays as it is
            pointer, result = f"{at}/predictions/0/result", first.get("result", [])
        regions, relations, found = _regions(result, document.text, where, pointer)
        if found:
            problems += found
            continue
        record, found = _entity_layer(regions, relations, document.record, document.text, where)
        if record is None:
            problems += found
            continue
        changes.append(Change(doc_id, record, f"{where}{at}"))
    if problems:
        raise CorpusError(problems)
    return changes


def read_labelstudio(source: Path, corpus: Corpus) -> list[Change]:
    """The documents of a Label Studio JSON export file (see :func:`changes_from_export`)."""
    value, problems = load_json_file(source, str(source), MAX_INPUT_BYTES)
    if problems:
        raise CorpusError(problems)
    return changes_from_export(value, corpus, str(source))


def export_labelstudio(documents: Sequence[Document], target: Path, corpus_root: Path | None) -> str:
    """Write the tasks (current entity layer as predictions) and, beside them, the labelling config."""
    check_output_file(target, corpus_root)
    config = target.with_suffix(".config.xml")
    check_output_file(config, corpus_root)
    tasks = export_tasks([(document.record, document.text) for document in documents])
    atomic_write_text(target, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(config, labelling_config())
    return (f"wrote {len(tasks)} Label Studio tasks with predictions to {target} "
            f"and the labelling config to {config}")
