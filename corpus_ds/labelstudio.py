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

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from .labels import ENTITY_TYPES, MENTION_TYPES
from .model import AnnotationFile, Entity, Mention, replace

MODEL_VERSION = "corpus_ds"


class LabelStudioError(ValueError):
    """A Label Studio export that cannot be read; the message says where."""


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


def _entity_layer(result: list[dict[str, Any]], base: AnnotationFile, text: str,
                  where: str) -> AnnotationFile:
    regions: dict[str, dict[str, Any]] = {}
    relations = []
    for item in result:
        if item.get("type") == "relation":
            if "coref" in item.get("labels", ["coref"]):
                relations.append((item["from_id"], item["to_id"]))
            continue
        region = regions.setdefault(item["id"], {"mention_type": "NAM", "metonymy": False})
        value = item.get("value", {})
        if item.get("type") == "labels":
            if not value.get("labels") or value["labels"][0] not in ENTITY_TYPES:
                raise LabelStudioError(f"{where}: region {item['id']} has label {value.get('labels')}, "
                                       f"not one of {', '.join(ENTITY_TYPES)}")
            region.update(start=int(value["start"]), end=int(value["end"]), type=value["labels"][0])
        elif item.get("from_name") == "mention_type":
            region["mention_type"] = value.get("choices", ["NAM"])[0]
        elif item.get("from_name") == "metonymy":
            region["metonymy"] = "metonymy" in value.get("choices", [])
    regions = {rid: r for rid, r in regions.items() if "type" in r}
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

    mention_ids: dict[str, str] = {}
    taken: set[str] = set()
    for rid in sorted(regions, key=lambda r: (regions[r]["start"], regions[r]["end"])):
        mid = rid if re.fullmatch(r"m[1-9][0-9]*", rid) and rid not in taken else fresh("m", used_ids | taken)
        taken.add(mid)
        mention_ids[rid] = mid
    groups: dict[str, list[str]] = defaultdict(list)
    for rid in sorted(regions, key=lambda r: (regions[r]["start"], regions[r]["end"])):
        groups[_find(parent, rid)].append(rid)
    entity_ids: set[str] = set()
    mentions, entities = [], []
    for members in sorted(groups.values(), key=lambda g: (regions[g[0]]["start"], regions[g[0]]["end"])):
        known = [base_mentions[r].entity for r in members if r in base_mentions]
        eid = next((e for e in known if e not in entity_ids), None) or fresh("e", set(base_entities) | entity_ids)
        entity_ids.add(eid)
        types = {regions[r]["type"] for r in members}
        if len(types) > 1:
            raise LabelStudioError(f"{where}: coreferent regions {', '.join(members)} have types {sorted(types)}")
        for rid in members:
            r = regions[rid]
            mentions.append(Mention(mention_ids[rid], eid, r["type"], r["mention_type"], r["start"], r["end"],
                                    text[r["start"]:r["end"]], r["metonymy"]))
        old = base_entities.get(eid)
        if old is not None and old.type == regions[members[0]]["type"]:
            entities.append(old)
        else:
            names = [text[regions[r]["start"]:regions[r]["end"]] for r in members
                     if regions[r]["mention_type"] == "NAM"] or [text[regions[members[0]]["start"]:regions[members[0]]["end"]]]
            entities.append(Entity(eid, regions[members[0]]["type"], max(names, key=len), None))
    mentions.sort(key=lambda m: (m.start, m.end))
    first = {}
    for m in mentions:
        first.setdefault(m.entity, m.start)
    entities.sort(key=lambda e: first[e.id])
    return replace(base, mentions=tuple(mentions), entities=tuple(entities))


def import_export(export: Any, where: str) -> Iterator[tuple[str, Callable[[AnnotationFile, str], AnnotationFile]]]:
    """For each task of a Label Studio export: its doc id and how to build its new record."""
    if not isinstance(export, list):
        raise LabelStudioError(f"{where}: a Label Studio JSON export is a list of tasks")
    for index, task in enumerate(export):
        place = f"{where}: task {index}"
        try:
            doc_id = task["data"]["doc_id"]
        except (KeyError, TypeError):
            raise LabelStudioError(f"{place}: no data.doc_id (export tasks from corpus-ds export labelstudio)") from None
        annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        source = annotations[-1] if annotations else (task.get("predictions") or [{}])[0]
        result = source.get("result", [])

        task_text = task["data"].get("text")

        def build(base: AnnotationFile, text: str, result: list = result, place: str = place,
                  task_text: Any = task_text) -> AnnotationFile:
            if task_text is not None and task_text != text:
                raise LabelStudioError(f"{place}: the task's text differs from texts/{base.doc_id}.txt")
            return _entity_layer(result, base, text, place)

        yield doc_id, build
