"""Label Studio exchange: every layer as tasks with predictions, and the project's JSON export back.

Export (:func:`export_labelstudio`) writes one task per document and, beside the tasks, the
labelling config (:func:`labelling_config`) to paste into the project. A task's ``data`` holds
the document id, its exact text, the list of its entities (shown under the text) and a
fingerprint of the layers it was made from; its one prediction holds every annotation:

- zones, mentions, quotes and event triggers are regions of four ``Labels`` groups (``zone``,
  ``mention``, ``quote`` with ``Quote`` and ``Cue``, ``event``); a region's id is the
  annotation's id (``z3``, ``m12``, ``q2``, ``v5``), further content spans of a quote are
  ``q2~2`` ..., its cue spans ``q2~cue1`` ...;
- per-region fields: ``mention_type``, ``metonymy``, ``entity`` (the entity id: coreference),
  ``entity_name``, ``wikipedia`` and ``timex`` (``VALUE [MOD]``; the last three on the first
  mention of each entity), ``quote_type``, ``implicit_source``, ``realis``, ``cluster``;
- relations: ``source``, ``via``, ``addressee`` (quote -> mention), ``cue`` (quote -> cue),
  ``continues`` (further content span -> quote), ``parent`` (inner quote -> outer quote),
  ``actor``, ``recipient``, ``place``, ``time`` (trigger -> mention), and ``coref``
  (mention -- mention, for new mentions that have no entity id yet).

Offsets are code points, as Label Studio 1.23's ``Text`` tag counts them (a selection after
an emoji in the web app is stored in code points). Import also reads offsets in UTF-16 code
units (what JavaScript strings count) when a region's ``text`` shows that they are.

Import (:func:`read_labelstudio`) takes a project's standard JSON export. For each task it
chooses one submitted annotation (the latest, or the latest by ``completed_by``), ignores
cancelled (skipped) ones, and compares the annotation with the prediction the task was
exported with, which is a pure function of the annotation file: what the annotator did not
change stays exactly as it is (ids, names, Wikipedia titles, TIME values, clusters, order),
so an unchanged task gives back a byte-identical file. Every problem is located by its JSON
pointer in the export (``/3/annotations/0/result/7``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from ..fsutil import atomic_write_text, check_output_file
from ..load import Corpus, Document, check_document
from ..load.files import MAX_INPUT_BYTES
from ..load.jsonfile import load_json_file
from ..model.labels import (
    ENTITY_TYPES,
    EVENT_TYPES,
    MENTION_TYPES,
    QUOTE_TYPES,
    REALIS,
    ROLES,
    TIME_MODS,
    ZONE_TYPES,
)
from ..model.problems import CorpusError, Problem, printable, quote_text
from ..model.records import (
    AnnotationFile,
    Argument,
    Entity,
    Event,
    Mention,
    Quote,
    Span,
    Zone,
    replace,
    to_json,
)
from .imports import Change, mark_provenance
from .offsets import Offsets

MODEL_VERSION = "corpus_ds"
TEXT = "text"
#: Version of the task layout (region ids, controls, relations); import refuses others.
TASK_FORMAT = 1
OFFSET_UNITS = ("codepoints", "utf16")

#: The Labels groups and the kind of annotation each label makes.
LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "zone": ZONE_TYPES, "mention": ENTITY_TYPES, "quote": ("Quote", "Cue"), "event": EVENT_TYPES,
}
#: Per-region controls: name -> (kind of region, result type, allowed choices or None for text).
REGION_FIELDS: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "mention_type": ("mention", "choices", MENTION_TYPES),
    "metonymy": ("mention", "choices", ("metonymy",)),
    "entity": ("mention", "textarea", None),
    "entity_name": ("mention", "textarea", None),
    "wikipedia": ("mention", "textarea", None),
    "timex": ("mention", "textarea", None),
    "quote_type": ("quote", "choices", QUOTE_TYPES),
    "implicit_source": ("quote", "choices", ("implicit source",)),
    "realis": ("event", "choices", REALIS),
    "cluster": ("event", "textarea", None),
}
#: Relation labels and the kinds of region they join (head first).
RELATIONS: dict[str, tuple[str, str]] = {
    "coref": ("mention", "mention"),
    "source": ("quote", "mention"), "via": ("quote", "mention"), "addressee": ("quote", "mention"),
    "cue": ("quote", "cue"), "continues": ("quote", "quote"), "parent": ("quote", "quote"),
    **{role: ("event", "mention") for role in ROLES},
}
#: Relations whose two ends are the same kind: their direction is read as drawn.
_SAME_KIND = ("coref", "continues", "parent")


# ---------------------------------------------------------------------------------------------
# The labelling config

def _labels(name: str, values: Iterable[str]) -> str:
    items = "".join(f"\n    <Label value={quoteattr(v)}/>" for v in values)
    return f'  <Labels name="{name}" toName="{TEXT}" choice="single">{items}\n  </Labels>\n'


def _choices(name: str, title: str, extra: str = "") -> str:
    values = REGION_FIELDS[name][2]
    items = "".join(f"\n      <Choice value={quoteattr(v)}/>" for v in values or ())
    return (f"    <Header value={quoteattr(title)} size=\"6\"/>\n"
            f'    <Choices name="{name}" toName="{TEXT}" perRegion="true" '
            f'whenLabelValue="{_when(name)}"{extra}>{items}\n    </Choices>\n')


def _textarea(name: str, title: str, placeholder: str) -> str:
    return (f"    <Header value={quoteattr(title)} size=\"6\"/>\n"
            f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" whenLabelValue="{_when(name)}" '
            f'maxSubmissions="1" editable="true" rows="1" '
            f"placeholder={quoteattr(placeholder)}/>\n")


def _when(name: str) -> str:
    """The labels a per-region control applies to (the web app drops it from other regions)."""
    if name == "timex":
        return "TIME"
    kind = REGION_FIELDS[name][0]
    return {"mention": ",".join(ENTITY_TYPES), "quote": "Quote", "event": ",".join(EVENT_TYPES)}[kind]


def _panel(group: str, body: str, extra: str = "") -> str:
    return f'  <View visibleWhen="region-selected" whenTagName="{group}"{extra}>\n{body}  </View>\n'


def labelling_config() -> str:
    """The labelling config for every layer, from the label lists (paste it into the project)."""
    relations = "".join(f'\n    <Relation value="{r}"/>' for r in RELATIONS)
    timex = ('    <View visibleWhen="region-selected" whenTagName="mention" whenLabelValue="TIME">\n'
             + _textarea("timex", "TIMEX3 value and mod", "e.g. 2013-05-20, or 2013-05 END") + "    </View>\n")
    return (
        "<View>\n"
        '  <Header value="Zones"/>\n' + _labels("zone", ZONE_TYPES)
        + '  <Header value="Entity mentions"/>\n' + _labels("mention", ENTITY_TYPES)
        + '  <Header value="Quotes: content and cue spans"/>\n' + _labels("quote", ("Quote", "Cue"))
        + '  <Header value="Event triggers (PLOVER)"/>\n' + _labels("event", EVENT_TYPES)
        + f'  <Text name="{TEXT}" value="${TEXT}" granularity="symbol"/>\n'
        + _panel("mention",
                 _choices("mention_type", "Mention type", ' choice="single-radio"')
                 + _choices("metonymy", "Metonymy")
                 + _textarea("entity", "Entity id (coreference)",
                             "e.g. e3; a new id such as new1 starts an entity; empty: the entity a coref "
                             "relation links, or a new one")
                 + _textarea("entity_name", "Entity name (first mention of an entity)", "canonical name")
                 + _textarea("wikipedia", "Wikipedia title (first mention of an entity)", "English Wikipedia title")
                 + timex)
        + _panel("quote",
                 _choices("quote_type", "Quote type", ' choice="single-radio"')
                 + _choices("implicit_source", "Source"))
        + _panel("event",
                 _choices("realis", "Realis", ' choice="single-radio"')
                 + _textarea("cluster", "Event cluster (event coreference)", "e.g. c2; any label shared by one event"))
        + f'  <Relations choice="single">{relations}\n  </Relations>\n'
        '  <Header value="Entities of this document"/>\n'
        '  <Text name="entities" value="$entities"/>\n'
        "</View>\n")


# ---------------------------------------------------------------------------------------------
# Export

def layers_fingerprint(record: AnnotationFile) -> str:
    """sha256 of the five annotation lists: a task carries the one of the file it was made from."""
    value = [to_json(getattr(record, layer)) for layer in ("zones", "entities", "mentions", "quotes", "events")]
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def entity_list(record: AnnotationFile) -> str:
    """The entities as the task shows them under the text (what an annotator types an id from)."""
    lines = []
    for e in record.entities:
        line = f"{e.id}  {e.type}  {e.name}"
        if e.wikipedia:
            line += f"  (Wikipedia: {e.wikipedia})"
        if e.value is not None or e.mod is not None:
            line += f"  (TIMEX3: {' '.join(x for x in (e.value, e.mod) if x is not None)})"
        lines.append(line)
    return "\n".join(lines) or "(no entities yet)"


def prediction_result(record: AnnotationFile, text: str, offsets: str = "codepoints") -> list[dict[str, Any]]:
    """Every annotation of ``record`` as Label Studio result items (regions, then relations)."""
    position = Offsets(text).to_utf16 if offsets == "utf16" else (lambda offset: offset)
    result: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []

    def where(start: int, end: int) -> dict[str, Any]:
        return {"start": position(start), "end": position(end)}

    def region(rid: str, group: str, span: Span | Zone | Mention, label: str) -> None:
        result.append({"id": rid, "from_name": group, "to_name": TEXT, "type": "labels",
                       "value": {**where(span.start, span.end), "text": text[span.start:span.end],
                                 "labels": [label]}})

    def choice(rid: str, name: str, span: Any, value: str) -> None:
        result.append({"id": rid, "from_name": name, "to_name": TEXT, "type": "choices",
                       "value": {**where(span.start, span.end), "text": text[span.start:span.end],
                                 "choices": [value]}})

    def typed(rid: str, name: str, span: Any, value: str) -> None:
        # a per-region TextArea: ``text`` is the list of typed strings, not the span's text
        result.append({"id": rid, "from_name": name, "to_name": TEXT, "type": "textarea",
                       "value": {**where(span.start, span.end), "text": [value]}})

    def relation(head: str, other: str, label: str) -> None:
        relations.append({"from_id": head, "to_id": other, "type": "relation", "direction": "right",
                          "labels": [label]})

    for z in record.zones:
        region(z.id, "zone", z, z.type)
    entities = {e.id: e for e in record.entities}
    first_seen: set[str] = set()
    for m in record.mentions:
        region(m.id, "mention", m, m.type)
        choice(m.id, "mention_type", m, m.mention_type)
        if m.metonymy:
            choice(m.id, "metonymy", m, "metonymy")
        typed(m.id, "entity", m, m.entity)
        if m.entity not in first_seen:
            first_seen.add(m.entity)
            e = entities[m.entity]
            typed(m.id, "entity_name", m, e.name)
            if e.wikipedia is not None:
                typed(m.id, "wikipedia", m, e.wikipedia)
            if e.value is not None or e.mod is not None:
                typed(m.id, "timex", m, " ".join(x for x in (e.value, e.mod) if x is not None))
    for q in record.quotes:
        head = q.content[0]
        region(q.id, "quote", head, "Quote")
        choice(q.id, "quote_type", head, q.type)
        if q.implicit_source:
            choice(q.id, "implicit_source", head, "implicit source")
        for n, span in enumerate(q.content[1:], 2):
            region(f"{q.id}~{n}", "quote", span, "Quote")
            relation(f"{q.id}~{n}", q.id, "continues")
        for n, span in enumerate(q.cue or (), 1):
            region(f"{q.id}~cue{n}", "quote", span, "Cue")
            relation(q.id, f"{q.id}~cue{n}", "cue")
        for label in ("source", "via", "addressee", "parent"):
            target = getattr(q, label)
            if target:
                relation(q.id, target, label)
    for v in record.events:
        region(v.id, "event", v.trigger, v.type)
        choice(v.id, "realis", v.trigger, v.realis)
        typed(v.id, "cluster", v.trigger, v.cluster)
        for a in v.arguments:
            relation(v.id, a.mention, a.role)
    return result + relations


def export_task(document: Document, offsets: str = "codepoints") -> dict[str, Any]:
    """One task: the document's text, its entity list and fingerprint, and every layer as a prediction."""
    record = document.record
    return {"data": {"doc_id": record.doc_id, TEXT: document.text, "entities": entity_list(record),
                     "corpus_ds": {"task_format": TASK_FORMAT, "offsets": offsets,
                                   "layers_sha256": layers_fingerprint(record)}},
            "predictions": [{"model_version": MODEL_VERSION,
                             "result": prediction_result(record, document.text, offsets)}]}


def export_tasks(documents: Iterable[Document], offsets: str = "codepoints") -> list[dict[str, Any]]:
    """The tasks of several documents (``offsets``: ``codepoints`` for Label Studio, or ``utf16``)."""
    if offsets not in OFFSET_UNITS:
        raise ValueError(f"offsets must be one of {OFFSET_UNITS}")
    return [export_task(document, offsets) for document in documents]


def export_labelstudio(documents: Sequence[Document], target: Path, corpus_root: Path | None) -> str:
    """Write the tasks (every layer as a prediction) and, beside them, the labelling config."""
    check_output_file(target, corpus_root)
    config = target.with_suffix(".config.xml")
    check_output_file(config, corpus_root)
    tasks = export_tasks(documents)
    atomic_write_text(target, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(config, labelling_config())
    return (f"wrote {len(tasks)} Label Studio tasks (every layer as a prediction) to {target} "
            f"and the labelling config to {config}")


# ---------------------------------------------------------------------------------------------
# Reading one annotation's result

@dataclass
class Region:
    """A labelled span of an annotation, with its per-region fields."""

    id: str
    at: str  # JSON pointer of its labels result
    kind: str  # zone, mention, quote, cue, event
    label: str
    start: int
    end: int
    text: str
    #: per-region control -> (JSON pointer of the result, value: a choice or the typed text)
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found[1] if found else None


@dataclass(frozen=True)
class Relation:
    at: str
    index: int  # its position in the result: new arguments keep the order they were drawn in
    head: str
    other: str
    label: str


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Reader:
    """The regions and relations of one result list, with a located problem for each item
    that cannot be read."""

    def __init__(self, text: str, shown_as: str, units: str) -> None:
        self.text = text
        self.offsets = Offsets(text)
        self.shown_as = shown_as
        self.units = units
        self.problems: list[Problem] = []

    def bad(self, at: str, code: str, message: str) -> None:
        self.problems.append(Problem(self.shown_as, at, code, message))

    def span(self, at: str, value: dict[str, Any], rid: str) -> tuple[int, int] | None:
        """Code point offsets of a region: as given, or read as UTF-16 units when its text says so."""
        start, end, shown = value.get("start"), value.get("end"), value.get("text")
        text = self.text
        if not (_is_int(start) and _is_int(end)):
            self.bad(f"{at}/value", "ls-offsets", f"region {printable(rid)}: start and end must be whole "
                                                  f"numbers, not {printable(str(start)[:20])} and "
                                                  f"{printable(str(end)[:20])}")
            return None
        as_utf16 = (self.offsets.from_utf16(start), self.offsets.from_utf16(end))
        readings = [(start, end), as_utf16] if self.units == "codepoints" else [as_utf16, (start, end)]
        for s, e in readings:
            if s is not None and e is not None and 0 <= s < e <= len(text) and (
                    not isinstance(shown, str) or text[s:e] == shown):
                return s, e
        if isinstance(shown, str):
            self.bad(f"{at}/value", "ls-offsets",
                     f"region {printable(rid)}: its text {quote_text(shown)} is not the text at "
                     f"[{start}, {end}) in code points or in UTF-16 units; was the task's text changed?")
        else:
            self.bad(f"{at}/value", "ls-offsets", f"region {printable(rid)}: [{start}, {end}) is not within the "
                                                  f"text (0 <= start < end <= {len(text)})")
        return None

    def read(self, result: Any, pointer: str) -> tuple[dict[str, Region], list[Relation]]:
        regions: dict[str, Region] = {}
        relations: list[Relation] = []
        fields: list[tuple[str, dict[str, Any]]] = []
        if not isinstance(result, list):
            self.bad(pointer, "ls-shape", "an annotation's result is a list of regions and relations")
            return regions, relations
        for index, item in enumerate(result):
            at = f"{pointer}/{index}"
            control = item.get("from_name") if isinstance(item, dict) else None
            control = control if isinstance(control, str) else None
            if not isinstance(item, dict):
                self.bad(at, "ls-shape", "a result item is an object")
            elif item.get("type") == "relation":
                self._relation(at, index, item, relations)
            elif not isinstance(item.get("id"), str) or not item["id"]:
                self.bad(f"{at}/id", "ls-shape", "a region needs an id (Label Studio gives every region one)")
            elif not isinstance(item.get("value"), dict):
                self.bad(f"{at}/value", "ls-shape", f"region {printable(item['id'])} needs a value object")
            elif item.get("to_name") != TEXT:
                self.bad(f"{at}/to_name", "ls-shape", f"region {printable(item['id'])} is on "
                                                      f"{printable(str(item.get('to_name'))[:40])!r}; every "
                                                      f"region is on the text ({TEXT!r})")
            elif control in LABEL_GROUPS:
                self._region(at, item, regions)
            elif control in REGION_FIELDS:
                fields.append((at, item))
            else:
                self.bad(f"{at}/from_name", "ls-control",
                         f"unknown control {printable(str(item.get('from_name'))[:40])!r}: the project must use "
                         "the labelling config corpus-ds export wrote (tasks.config.xml)")
        for at, item in fields:
            self._field(at, item, regions)
        return regions, relations

    def _relation(self, at: str, index: int, item: dict[str, Any], relations: list[Relation]) -> None:
        head, other, labels = item.get("from_id"), item.get("to_id"), item.get("labels")
        if not isinstance(head, str) or not isinstance(other, str):
            self.bad(at, "ls-shape", "a relation needs from_id and to_id (region ids)")
            return
        if not labels:
            self.bad(at, "ls-relation-label", f"the relation {printable(head)} -> {printable(other)} has no label; "
                                              f"choose one of {', '.join(RELATIONS)}")
            return
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str) \
                or labels[0] not in RELATIONS:
            self.bad(f"{at}/labels", "ls-relation-label",
                     f"the relation {printable(head)} -> {printable(other)} has the labels "
                     f"{printable(str(labels)[:60])}; a relation has exactly one of {', '.join(RELATIONS)}")
            return
        label = labels[0]
        direction = item.get("direction", "right")
        if direction == "left":
            head, other = other, head
        elif direction == "bi" and label == "parent":
            self.bad(f"{at}/direction", "ls-relation-direction",
                     f"a parent relation points from the inner quote to the outer one; {printable(head)} "
                     f"<-> {printable(other)} points both ways")
            return
        relations.append(Relation(at, index, head, other, label))

    def _region(self, at: str, item: dict[str, Any], regions: dict[str, Region]) -> None:
        rid, group, value = item["id"], item["from_name"], item["value"]
        labels = value.get("labels")
        if not (isinstance(labels, list) and len(labels) == 1 and labels[0] in LABEL_GROUPS[group]):
            self.bad(f"{at}/value/labels", "ls-label",
                     f"region {printable(rid)} has the {group} labels {printable(str(labels)[:60])}; expected "
                     f"exactly one of {', '.join(LABEL_GROUPS[group])}")
            return
        span = self.span(at, value, rid)
        if span is None:
            return
        if rid in regions:
            other = regions[rid]
            self.bad(f"{at}/value/labels", "ls-two-labels",
                     f"region {printable(rid)} {quote_text(self.text[span[0]:span[1]])} is labelled both "
                     f"{other.label} and {labels[0]}; a region is one annotation (draw a second region)")
            return
        kind = "cue" if labels[0] == "Cue" else group
        regions[rid] = Region(rid, at, kind, labels[0], span[0], span[1], self.text[span[0]:span[1]])

    def _field(self, at: str, item: dict[str, Any], regions: dict[str, Region]) -> None:
        rid, name, value = item["id"], item["from_name"], item["value"]
        region = regions.get(rid)
        if region is None:
            self.bad(at, "ls-orphan", f"a {name} result for region {printable(rid)}, which has no label")
            return
        kind, result_type, allowed = REGION_FIELDS[name]
        if region.kind != kind or (name == "timex" and region.label != "TIME"):
            self.bad(at, "ls-field-kind", f"{name} does not apply to region {printable(rid)} "
                                          f"({region.label} {quote_text(region.text)})")
            return
        if allowed is not None:
            choices = value.get("choices")
            if not (isinstance(choices, list) and len(choices) == 1 and choices[0] in allowed):
                self.bad(f"{at}/value/choices", "ls-choice",
                         f"region {printable(rid)}: {name} {printable(str(choices)[:60])} is not one of "
                         f"{', '.join(allowed)}")
                return
            found = choices[0]
        else:
            typed = value.get("text")
            if isinstance(typed, str):
                typed = [typed]
            if not (isinstance(typed, list) and all(isinstance(t, str) for t in typed)):
                self.bad(f"{at}/value/text", "ls-shape", f"region {printable(rid)}: {name} is a list of strings")
                return
            found = " ".join(" ".join(typed).split())
            if not found:
                return  # an emptied field: as if absent
        if name in region.fields:
            self.bad(at, "ls-duplicate", f"region {printable(rid)} has two {name} results")
            return
        region.fields[name] = (at, found)


# ---------------------------------------------------------------------------------------------
# Building the annotation file

class _Groups:
    """Union-find over region ids."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


class _Ids:
    """Ids in use, and fresh ones above every id of their kind (contract §6)."""

    def __init__(self, used: Iterable[str]) -> None:
        self.used = set(used)

    def fresh(self, prefix: str) -> str:
        number = max((int(i[len(prefix):]) for i in self.used
                      if re.fullmatch(re.escape(prefix) + r"[1-9][0-9]*", i)), default=0) + 1
        new = f"{prefix}{number}"
        self.used.add(new)
        return new


_ID = {prefix: re.compile(prefix + r"[1-9][0-9]*") for prefix in "zemqvc"}


@dataclass
class Built:
    """A document as one annotation describes it, and where each annotation came from."""

    record: AnnotationFile | None
    problems: list[Problem]
    #: JSON pointer in the annotation file -> JSON pointer of the result item it came from
    origin: dict[str, str]


class _Builder:
    def __init__(self, document: Document, regions: dict[str, Region], relations: list[Relation],
                 expected: dict[str, Region], shown_as: str) -> None:
        self.base = document.record
        self.text = document.text
        self.regions = regions
        self.relations = relations
        self.expected = expected
        self.shown_as = shown_as
        self.problems: list[Problem] = []
        self.origin: dict[str, str] = {}
        base = self.base
        self.ids = _Ids([x.id for layer in (base.zones, base.entities, base.mentions, base.quotes, base.events)
                         for x in layer] + [v.cluster for v in base.events])
        ordered = sorted(regions.values(), key=lambda r: (r.start, r.end))
        self.by_kind: dict[str, list[Region]] = defaultdict(list)
        for r in ordered:
            self.by_kind[r.kind].append(r)
        self.linked: dict[str, list[tuple[Relation, Region, Region]]] = defaultdict(list)

    def bad(self, at: str, code: str, message: str) -> None:
        self.problems.append(Problem(self.shown_as, at, code, message))

    def build(self) -> Built:
        self._link()
        ids = self._region_ids()
        zones = self._zones(ids)
        entities, mentions, mention_ids = self._entities(ids)
        quotes = self._quotes(mention_ids)
        events = self._events(ids, mention_ids)
        if self.problems:
            return Built(None, self.problems, self.origin)
        record = replace(self.base, zones=zones, entities=entities, mentions=mentions, quotes=quotes, events=events)
        return Built(record, [], self.origin)

    def _link(self) -> None:
        """Relations by label, each checked for the kinds of region it joins."""
        for rel in self.relations:
            head, other = self.regions.get(rel.head), self.regions.get(rel.other)
            if head is None or other is None:
                missing = rel.head if head is None else rel.other
                self.bad(rel.at, "ls-relation-end", f"the {rel.label} relation joins {printable(rel.head)} and "
                                                    f"{printable(rel.other)}, but {printable(missing)} is not a "
                                                    "labelled region of this annotation")
                continue
            want = RELATIONS[rel.label]
            if rel.label not in _SAME_KIND and (head.kind, other.kind) == want[::-1]:
                head, other = other, head  # drawn from the argument to the head
            if (head.kind, other.kind) != want:
                self.bad(rel.at, "ls-relation-kind",
                         f"a {rel.label} relation joins a {want[0]} and a {want[1]}; this one joins "
                         f"{head.label} {quote_text(head.text)} and {other.label} {quote_text(other.text)}")
                continue
            self.linked[rel.label].append((rel, head, other))

    def _region_ids(self) -> dict[str, str]:
        """Annotation ids of zones, mentions and triggers: the region's id when it is one, else fresh."""
        ids: dict[str, str] = {}
        claimed: set[str] = set()
        for kind, prefix in (("zone", "z"), ("mention", "m"), ("event", "v")):
            for r in self.by_kind[kind]:
                if _ID[prefix].fullmatch(r.id) and r.id not in claimed:
                    ids[r.id] = r.id
                    claimed.add(r.id)
        self.ids.used |= claimed | {r.id for r in self.regions.values()}
        for kind, prefix in (("zone", "z"), ("mention", "m"), ("event", "v")):
            for r in self.by_kind[kind]:
                if r.id not in ids:
                    ids[r.id] = self.ids.fresh(prefix)
        return ids

    def _zones(self, ids: dict[str, str]) -> tuple[Zone, ...]:
        zones = []
        for i, r in enumerate(self.by_kind["zone"]):
            zones.append(Zone(ids[r.id], r.label, r.start, r.end, r.text))
            self.origin[f"/zones/{i}"] = r.at
        return tuple(zones)

    def _changed(self, members: list[Region], name: str) -> tuple[bool, str | None]:
        """Whether the annotator changed an entity-level field on one of ``members``, and to what.

        The export wrote the field on one region; a region that now shows another value (a typed
        one, or none where the export wrote one) is a change. Two different changes: a problem.
        """
        changes: dict[str | None, str] = {}
        for r in members:
            before = self.expected.get(r.id)
            was = before.value(name) if before is not None and before.kind == "mention" else None
            now = r.value(name)
            if now != was:
                changes.setdefault(now, r.fields[name][0] if name in r.fields else r.at)
        if len(changes) > 1:
            shown = ", ".join("(none)" if v is None else repr(v) for v in changes)
            for at in changes.values():
                self.bad(at, "ls-entity-field", f"the mentions of one entity give different {name} values "
                                                f"({printable(shown)}); keep one")
        if changes:
            return True, next(iter(changes))
        return False, None

    def _entities(self, ids: dict[str, str]) -> tuple[tuple[Entity, ...], tuple[Mention, ...], dict[str, str]]:
        regions = self.by_kind["mention"]
        groups = _Groups(r.id for r in regions)
        holder: dict[str, str] = {}
        for r in regions:
            key = r.value("entity")
            if key:
                if key in holder:
                    groups.join(r.id, holder[key])
                else:
                    holder[key] = r.id
        for rel, a, b in self.linked["coref"]:
            ka, kb = a.value("entity"), b.value("entity")
            if ka and kb and ka != kb:
                self.bad(rel.at, "ls-coref-conflict",
                         f"the coref relation links {quote_text(a.text)} (entity {printable(ka)}) and "
                         f"{quote_text(b.text)} (entity {printable(kb)}); to merge or move mentions, change "
                         "their entity id instead")
                continue
            groups.join(a.id, b.id)
        members_of: dict[str, list[Region]] = defaultdict(list)
        for r in regions:
            members_of[groups.find(r.id)].append(r)
        base_entities = {e.id: e for e in self.base.entities}
        keys_used = {r.value("entity") for r in regions if r.value("entity")}
        self.ids.used |= {k for k in keys_used if k}
        entity_of: dict[str, str] = {}
        entities: list[Entity] = []
        for members in members_of.values():
            key = next((r.value("entity") for r in members if r.value("entity")), None)
            if key is not None and key in base_entities:
                eid = key
            elif key is not None and _ID["e"].fullmatch(key) and not any(
                    key == e for e in entity_of.values()):
                eid = key  # a new entity with an id the annotator chose
            else:
                eid = self.ids.fresh("e")
            entity = self._entity(eid, key, members, base_entities.get(eid))
            if entity is None:
                continue
            entities.append(entity)
            for r in members:
                entity_of[r.id] = eid
        mentions: list[Mention] = []
        mention_ids: dict[str, str] = {}
        for r in regions:
            if r.id not in entity_of:
                continue
            mention_ids[r.id] = ids[r.id]
            mentions.append(Mention(ids[r.id], entity_of[r.id], r.label, r.value("mention_type") or "NAM",
                                    r.start, r.end, r.text, r.value("metonymy") is not None))
            self.origin[f"/mentions/{len(mentions) - 1}"] = r.at
        first: dict[str, int] = {}
        at_of: dict[str, str] = {}
        for n, m in enumerate(mentions):
            first.setdefault(m.entity, n)
            at_of.setdefault(m.entity, self.origin[f"/mentions/{n}"])
        entities.sort(key=lambda e: first[e.id])
        for i, e in enumerate(entities):
            self.origin[f"/entities/{i}"] = at_of[e.id]
        return tuple(entities), tuple(mentions), mention_ids

    def _entity(self, eid: str, key: str | None, members: list[Region], old: Entity | None) -> Entity | None:
        types = {r.label for r in members}
        if len(types) > 1:
            odd = [r for r in members if old is None or r.label != old.type] or members
            for r in odd:
                others = sorted(types - {r.label})
                self.bad(f"{r.at}/value/labels", "ls-entity-type",
                         f"mention {quote_text(r.text)} is labelled {r.label}, but the other mentions of its "
                         f"entity ({printable(key or eid)}) are {', '.join(others)}: an entity has one type; "
                         "relabel all its mentions, or give this one a new entity id (for example new1)")
            return None
        etype = types.pop()
        name_changed, name = self._changed(members, "entity_name")
        wiki_changed, wikipedia = self._changed(members, "wikipedia")
        timex_changed, timex = self._changed(members, "timex")
        names = [r.text for r in members if (r.value("mention_type") or "NAM") == "NAM"] or [members[0].text]
        default_name = max(names, key=len)
        if old is not None:
            entity = old._replace(type=etype)
            if name_changed:
                entity = entity._replace(name=name or default_name)
            if wiki_changed:
                entity = entity._replace(wikipedia=wikipedia)
        else:
            entity = Entity(eid, etype, name or default_name, wikipedia, None, None)
        if timex_changed:
            value, mod = self._timex(timex, members)
            entity = entity._replace(value=value, mod=mod)
        if etype != "TIME":
            entity = entity._replace(value=None, mod=None)  # a relabelled TIME entity drops its value
        return entity

    def _timex(self, typed: str | None, members: list[Region]) -> tuple[str | None, str | None]:
        if typed is None:
            return None, None
        parts = typed.split()
        if len(parts) == 2 and parts[1] in TIME_MODS:
            return parts[0], parts[1]
        if len(parts) == 1:
            return parts[0], None
        at = next(r.fields["timex"][0] for r in members if r.value("timex") == typed)
        self.bad(at, "ls-timex", f"TIMEX3 {quote_text(typed)}: write a value, optionally followed by one of "
                                 f"{', '.join(TIME_MODS)} (for example 2013-05 END)")
        return None, None

    def _quotes(self, mention_ids: dict[str, str]) -> tuple[Quote, ...]:
        regions = self.by_kind["quote"]
        groups = _Groups(r.id for r in regions)
        for _, a, b in self.linked["continues"]:
            groups.join(a.id, b.id)
        members_of: dict[str, list[Region]] = defaultdict(list)
        for r in regions:
            members_of[groups.find(r.id)].append(r)
        ordered = list(members_of.values())  # regions are in text order, so groups are too
        quote_of: dict[str, str] = {}
        for members in ordered:  # a quote keeps the id its region carries (the first, if merged)
            qid = next((r.id for r in members if _ID["q"].fullmatch(r.id)), None)
            if qid is not None and qid not in quote_of.values():
                for r in members:
                    quote_of[r.id] = qid
        for members in ordered:
            if members[0].id not in quote_of:
                qid = self.ids.fresh("q")
                for r in members:
                    quote_of[r.id] = qid
        related: dict[str, dict[str, list[tuple[Relation, Region]]]] = defaultdict(lambda: defaultdict(list))
        for label in ("source", "via", "addressee", "cue", "parent"):
            for rel, head, other in self.linked[label]:
                related[quote_of[head.id]][label].append((rel, other))
        with_quote = {other.id for _, _, other in self.linked["cue"]}
        for r in self.by_kind["cue"]:
            if r.id not in with_quote:
                self.bad(r.at, "ls-cue-alone", f"the cue {quote_text(r.text)} belongs to no quote: draw a cue "
                                               "relation from its quote to it")
        quotes: list[Quote] = []
        for members in ordered:
            quote = self._quote(quote_of[members[0].id], members, related, mention_ids, quote_of)
            if quote is not None:
                quotes.append(quote)
        return tuple(quotes)

    def _quote(self, qid: str, members: list[Region], related: dict[str, dict[str, list[tuple[Relation, Region]]]],
               mention_ids: dict[str, str], quote_of: dict[str, str]) -> Quote | None:
        head = members[0]
        links = related[qid]
        types = {r.value("quote_type") for r in members if r.value("quote_type")}
        if len(types) != 1:
            found = "has no quote type" if not types else f"has the quote types {', '.join(sorted(types))}"  # type: ignore[arg-type]
            self.bad(head.at, "ls-quote-type", f"the quote {quote_text(head.text)} {found}: choose one of "
                                               f"{', '.join(QUOTE_TYPES)}")
            return None
        for label in ("source", "via", "addressee", "parent"):
            for rel, _ in links.get(label, [])[1:]:
                self.bad(rel.at, "ls-quote-relation", f"the quote {quote_text(head.text)} has "
                                                      f"{len(links[label])} {label} relations; it takes one at most")

        def one(label: str) -> tuple[Relation, Region] | None:
            found = links.get(label, [])
            return found[0] if found else None

        source = one("source")
        if source is None:
            self.bad(head.at, "ls-quote-source", f"the quote {quote_text(head.text)} has no source: draw a source "
                                                 "relation from it to the mention of its speaker")
            return None
        n = len([k for k in self.origin if re.fullmatch(r"/quotes/\d+", k)])
        self.origin[f"/quotes/{n}"] = head.at
        for j, r in enumerate(members):
            self.origin[f"/quotes/{n}/content/{j}"] = r.at
        cue_links = sorted(links.get("cue", []), key=lambda link: (link[1].start, link[1].end))
        for j, (_, cue) in enumerate(cue_links):
            self.origin[f"/quotes/{n}/cue/{j}"] = cue.at
        refs: dict[str, str | None] = {}
        for label in ("source", "via", "addressee", "parent"):
            link = one(label)
            if link is None:
                refs[label] = None
                continue
            self.origin[f"/quotes/{n}/{label}"] = link[0].at
            refs[label] = quote_of[link[1].id] if label == "parent" else mention_ids.get(link[1].id, "")
        cues = tuple(Span(c.start, c.end, c.text) for _, c in cue_links)
        return Quote(qid, types.pop(), tuple(Span(r.start, r.end, r.text) for r in members), cues or None,
                     refs["source"] or "", any(r.value("implicit_source") for r in members),
                     refs["via"], refs["addressee"], refs["parent"])

    def _events(self, ids: dict[str, str], mention_ids: dict[str, str]) -> tuple[Event, ...]:
        base_arguments = {v.id: list(v.arguments) for v in self.base.events}
        arguments_of: dict[str, list[tuple[Relation, Argument]]] = defaultdict(list)
        for role in ROLES:
            for rel, trigger, mention in self.linked[role]:
                arguments_of[trigger.id].append((rel, Argument(role, mention_ids.get(mention.id, ""))))
        clusters: dict[str, str] = {}
        events: list[Event] = []
        for r in self.by_kind["event"]:
            vid = ids[r.id]
            realis = r.value("realis")
            if realis is None:
                self.bad(r.at, "ls-realis", f"the event trigger {quote_text(r.text)} has no realis: choose one "
                                            f"of {', '.join(REALIS)}")
                continue
            found = sorted(arguments_of[r.id], key=lambda link: link[0].index)
            order = base_arguments.get(vid, []) if vid == r.id else []
            found.sort(key=lambda link: order.index(link[1]) if link[1] in order else len(order))
            label = r.value("cluster")
            if label is None:
                cluster = self.ids.fresh("c")
            elif _ID["c"].fullmatch(label):
                cluster = label
            else:  # any label the annotator shares between the mentions of one event
                if label not in clusters:
                    clusters[label] = self.ids.fresh("c")
                cluster = clusters[label]
            events.append(Event(vid, r.label, Span(r.start, r.end, r.text), realis,
                                tuple(argument for _, argument in found), cluster))
            i = len(events) - 1
            self.origin[f"/events/{i}"] = r.at
            for j, (rel, _) in enumerate(found):
                self.origin[f"/events/{i}/arguments/{j}"] = rel.at
        return tuple(events)


def build_record(document: Document, result: Any, shown_as: str, pointer: str,
                 units: str = "codepoints") -> Built:
    """The annotation file that one annotation's ``result`` describes, built on ``document``."""
    reader = _Reader(document.text, shown_as, units)
    regions, relations = reader.read(result, pointer)
    if reader.problems:
        return Built(None, reader.problems, {})
    expected, _ = _Reader(document.text, shown_as, "codepoints").read(
        prediction_result(document.record, document.text), "/expected")
    return _Builder(document, regions, relations, expected, shown_as).build()


def _located(built: Built, document: Document, shown_as: str, pointer: str) -> list[Problem]:
    """The contract's problems of a built record, moved to the result items they came from."""
    candidate = mark_provenance(built.record, document.record, "-", "Label Studio")  # type: ignore[arg-type]
    outcome = check_document(candidate, document.text, document.path, f"annotations/{document.doc_id}.json")
    located = []
    for p in outcome.problems:
        if not p.is_error:
            continue
        prefix = p.location
        while prefix and prefix not in built.origin:
            prefix = prefix.rsplit("/", 1)[0]
        at = built.origin.get(prefix, pointer)
        located.append(Problem(shown_as, at, p.code,
                               f"{p.message} (annotations/{document.doc_id}.json at {p.location or '<root>'})"))
    return located


# ---------------------------------------------------------------------------------------------
# Reading a project's export

def _user(value: Any) -> str:
    """How messages name the annotator of an annotation (``completed_by`` is an id or a user object)."""
    if isinstance(value, dict):
        return str(value.get("email") or value.get("id"))
    return str(value)


def _matches(value: Any, wanted: str) -> bool:
    if isinstance(value, dict):
        return wanted in (str(value.get("id")), value.get("email"), value.get("username"))
    return str(value) == wanted


def _when_made(annotation: dict[str, Any]) -> tuple[str, str]:
    return (str(annotation.get("updated_at") or annotation.get("created_at") or ""),
            str(annotation.get("created_at") or ""))


def _choose(task: dict[str, Any], at: str, shown_as: str, completed_by: str | None
            ) -> tuple[tuple[int, dict[str, Any]] | None, str, list[Problem]]:
    """The annotation to import from a task (or None), a note saying what was chosen or why
    nothing was, and problems."""
    annotations = task.get("annotations", [])
    if not isinstance(annotations, list):
        return None, "", [Problem(shown_as, f"{at}/annotations", "ls-shape", "annotations must be a list")]
    problems = [Problem(shown_as, f"{at}/annotations/{k}", "ls-shape", "an annotation is an object")
                for k, a in enumerate(annotations) if not isinstance(a, dict)]
    if problems:
        return None, "", problems
    pool = [(k, a) for k, a in enumerate(annotations)
            if completed_by is None or _matches(a.get("completed_by"), completed_by)]
    submitted = [(k, a) for k, a in pool if not a.get("was_cancelled")]
    cancelled = [(k, a) for k, a in pool if a.get("was_cancelled")]
    who = f" by {completed_by}" if completed_by is not None else ""
    if not submitted:
        if cancelled:
            return None, (f"skipped in Label Studio{who} (annotation "
                          f"{', '.join(str(a.get('id', k)) for k, a in cancelled)} cancelled); file kept as it was"), []
        if completed_by is not None and annotations:
            return None, f"no annotation{who} (the task has annotations by others); file kept as it was", []
        if task.get("drafts"):
            return None, ("not submitted in Label Studio (a draft is never imported: submit it first); "
                          "file kept as it was"), []
        return None, "not annotated in Label Studio; file kept as it was", []
    if len(submitted) == 1:
        k, a = submitted[0]
        return (k, a), "", []
    ordered = sorted(submitted, key=lambda item: (_when_made(item[1]), item[0]))
    (k1, latest), (k2, before) = ordered[-1], ordered[-2]
    if not _when_made(latest)[0] or (_when_made(latest) == _when_made(before)
                                     and latest.get("result") != before.get("result")):
        reason = "without dates" if not _when_made(latest)[0] else "with the same date"
        return None, "", [Problem(shown_as, f"{at}/annotations", "ls-ambiguous",
                                  f"{len(submitted)} submitted annotations{who} {reason} "
                                  f"(annotations/{k2} and /{k1}) differ, so none is the latest; choose one "
                                  "with --completed-by USER, or delete the others in Label Studio")]
    users = sorted({_user(a.get("completed_by")) for _, a in submitted})
    note = (f"took annotation {latest.get('id', k1)} by user {_user(latest.get('completed_by'))}, the latest of "
            f"{len(submitted)} submitted (users {', '.join(users)}; --completed-by USER takes another)")
    return (k1, latest), note, []


def changes_from_export(export: Any, corpus: Corpus, shown_as: str, completed_by: str | None = None) -> list[Change]:
    """The documents a Label Studio JSON export describes: one Change per task, unchanged (with a
    note) for tasks skipped or not annotated; CorpusError with every problem, each at its JSON
    pointer in the export."""
    if not isinstance(export, list):
        raise CorpusError([Problem(shown_as, "", "ls-shape", "a Label Studio JSON export is a list of tasks "
                                                             "(export the project as JSON)")])
    by_id = {document.doc_id: document for document in corpus}
    problems: list[Problem] = []
    changes: list[Change] = []
    seen: dict[str, int] = {}
    for index, task in enumerate(export):
        at = f"/{index}"
        if not isinstance(task, dict):
            problems.append(Problem(shown_as, at, "ls-shape", "a task is an object"))
            continue
        data = task.get("data")
        if not isinstance(data, dict):
            hint = (" (this looks like a JSON-MIN or CSV-style export, which has no region ids or relations: "
                    "export the project as JSON)" if "doc_id" in task or TEXT in task else "")
            problems.append(Problem(shown_as, f"{at}/data", "ls-shape", f"a task has a data object{hint}"))
            continue
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str) or doc_id not in by_id:
            problems.append(Problem(shown_as, f"{at}/data/doc_id", "unknown-document",
                                    f"{printable(str(doc_id)[:40])!r} is not the id of a document in the corpus "
                                    "(make the tasks with corpus-ds export labelstudio)"))
            continue
        if doc_id in seen:
            problems.append(Problem(shown_as, f"{at}/data/doc_id", "ls-ambiguous",
                                    f"document {doc_id} is also task /{seen[doc_id]}: the project holds it twice, "
                                    "so it is not clear which to import; delete one of the tasks in Label Studio"))
            continue
        seen[doc_id] = index
        document = by_id[doc_id]
        if data.get(TEXT) != document.text:
            problems.append(Problem(shown_as, f"{at}/data/{TEXT}", "ls-text",
                                    f"the task's text differs from the text of document {doc_id}"))
            continue
        chosen, note, found = _choose(task, at, shown_as, completed_by)
        problems += found
        if found:
            continue
        source = f"{shown_as}:{at}"
        if chosen is None:
            changes.append(Change(doc_id, document.record, source, note))
            continue
        meta = data.get("corpus_ds") if isinstance(data.get("corpus_ds"), dict) else {}
        units = meta.get("offsets", "codepoints")
        if meta.get("task_format", TASK_FORMAT) != TASK_FORMAT or units not in OFFSET_UNITS:
            problems.append(Problem(shown_as, f"{at}/data/corpus_ds", "ls-task-format",
                                    f"tasks of format {printable(str(meta.get('task_format'))[:20])} with "
                                    f"{printable(str(units)[:20])} offsets; this corpus-ds reads format "
                                    f"{TASK_FORMAT}: export the tasks again"))
            continue
        fingerprint = meta.get("layers_sha256")
        if fingerprint is not None and fingerprint != layers_fingerprint(document.record):
            problems.append(Problem(shown_as, f"{at}/data/corpus_ds/layers_sha256", "ls-stale",
                                    f"annotations/{doc_id}.json changed after these tasks were exported; the "
                                    "annotator's edits were made on annotations the file no longer has. Export "
                                    "the tasks again and redo the edits (nothing was written)"))
            continue
        k, annotation = chosen
        pointer = f"{at}/annotations/{k}/result"
        built = build_record(document, annotation.get("result"), shown_as, pointer, units)
        if built.record is None:
            problems += built.problems
            continue
        located = _located(built, document, shown_as, pointer)
        if located:
            problems += located
            continue
        changes.append(Change(doc_id, built.record, source, note))
    if problems:
        raise CorpusError(problems)
    return changes


def read_labelstudio(source: Path, corpus: Corpus, completed_by: str | None = None) -> list[Change]:
    """The documents of a Label Studio JSON export file (see :func:`changes_from_export`)."""
    value, problems = load_json_file(source, str(source), MAX_INPUT_BYTES)
    if problems:
        raise CorpusError(problems)
    return changes_from_export(value, corpus, str(source), completed_by)


__all__ = [
    "LABEL_GROUPS", "RELATIONS", "REGION_FIELDS", "build_record", "changes_from_export", "entity_list",
    "export_labelstudio", "export_task", "export_tasks", "labelling_config", "layers_fingerprint",
    "prediction_result", "read_labelstudio",
]
