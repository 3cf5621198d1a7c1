"""Compile an annotator's draft (phrases and anchors) into an annotation file.

A draft names every span with an anchor (see :mod:`corpus_ds.anchors`) and
every cross-reference with a key the annotator chooses. Compiling resolves the
anchors to offsets and replaces the layers of an existing annotation file,
keeping its document metadata. Ids are stable (contract §6): an annotation that
the existing file already has (same span; for an entity, the entity of most of
its mentions) keeps its id, and a new one gets the next id above every id of its
kind (``z``, ``e``, ``m``, ``q``, ``v``, clusters ``c``); a first compile numbers
in text order. The result then goes through
the validator like any other file. The draft format is documented in
``annotations/GUIDELINES.md`` ("Writing annotations").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write_text
from ..load import CorpusPaths, check_document, load_one
from ..load.files import MAX_INPUT_BYTES
from ..load.jsonfile import load_json_file
from ..model.fileformat import dumps_annotation
from ..model.problems import CorpusError, Problem, fail
from ..model.records import (
    AnnotationFile,
    Argument,
    Entity,
    Event,
    LayerProvenance,
    Mention,
    Quote,
    Span,
    Zone,
    empty_provenance,
    replace,
    to_json,
)
from .anchors import AnchorError, resolve
from .draft_schema import draft_problems


@dataclass
class _Compiler:
    text: str
    shown_as: str
    problems: list[Problem]

    def error(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.shown_as, pointer, "draft", message))

    def span(self, anchor: Any, pointer: str) -> Span | None:
        try:
            start, end = resolve(self.text, anchor)
        except AnchorError as exc:
            self.error(pointer, str(exc))
            return None
        return Span(start, end, self.text[start:end])

    def spans(self, anchors: Any, pointer: str) -> tuple[Span, ...] | None:
        if anchors is None:
            return None
        if isinstance(anchors, dict):
            anchors = [anchors]
        if not isinstance(anchors, list) or not anchors:
            self.error(pointer, "expected an anchor or a non-empty list of anchors")
            return None
        found = [self.span(a, f"{pointer}/{i}") for i, a in enumerate(anchors)]
        if any(s is None for s in found):
            return None
        return tuple(sorted(found, key=lambda s: s.start))  # type: ignore[arg-type]


def _match_spans(spans: list[tuple[int, int]], base_spans: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int] | None]:
    """For each span, the base span it continues: the same span, else the base span it overlaps
    most that no span matches exactly ("like to know" widened to "would like to know")."""
    exact = set(spans) & set(base_spans)
    free = [b for b in base_spans if b not in exact]
    matched: dict[tuple[int, int], tuple[int, int] | None] = {}
    for span in spans:
        if span in exact:
            matched[span] = span
            continue
        overlaps = [(min(span[1], b[1]) - max(span[0], b[0]), b) for b in free
                    if b[0] < span[1] and span[0] < b[1]]
        best = max(overlaps, default=None)
        matched[span] = best[1] if best else None
        if best:
            free.remove(best[1])
    return matched


class _Ids:
    """Ids for one kind of annotation: the base file's id where the annotation is the same,
    a fresh one above every id ever used otherwise (contract §6: ids are never reused)."""

    def __init__(self, prefix: str, existing: dict[Any, str]) -> None:
        self.prefix = prefix
        self.existing = existing
        self.taken: set[str] = set()
        self.next = max((int(i[1:]) for i in existing.values()), default=0) + 1

    def get(self, key: Any) -> str:
        old = self.existing.get(key)
        if old is not None and old not in self.taken:
            self.taken.add(old)
            return old
        return self.fresh()

    def fresh(self) -> str:
        new = f"{self.prefix}{self.next}"
        self.next += 1
        self.taken.add(new)
        return new


def compile_draft(draft: Any, base: AnnotationFile, text: str, shown_as: str) -> tuple[AnnotationFile | None, list[Problem]]:
    """Resolve a draft against ``text`` and put its layers into ``base``."""
    problems = draft_problems(draft, shown_as)
    if any(p.code != "draft-additionalProperties" for p in problems):
        return None, problems  # the compiler relies on the draft's shape; unknown keys it ignores
    c = _Compiler(text, shown_as, problems)
    if draft.get("doc") != base.doc_id:
        c.error("/doc", f"draft is for document {draft.get('doc')!r}, not {base.doc_id!r}")

    zones = []
    for i, z in enumerate(draft.get("zones", [])):
        span = c.span({k: v for k, v in z.items() if k != "type"}, f"/zones/{i}")
        if span:
            zones.append((span, z.get("type")))
    zones.sort(key=lambda item: item[0].start)
    zone_ids = _Ids("z", {(z.start, z.end, z.type): z.id for z in base.zones})

    # Mentions: collect with the draft's keys, then number in text order.
    raw_mentions: list[tuple[Span, int, dict[str, Any], str]] = []
    for ei, ent in enumerate(draft.get("entities", [])):
        for mi, m in enumerate(ent.get("mentions", [])):
            pointer = f"/entities/{ei}/mentions/{mi}"
            anchor = {k: v for k, v in m.items() if k in {"t", "n", "ctx", "from", "to", "glued"}}
            span = c.span(anchor, pointer)
            if span:
                raw_mentions.append((span, ei, m, pointer))
    raw_mentions.sort(key=lambda item: (item[0].start, item[0].end))

    entity_order: list[int] = []
    for _, ei, _, _ in raw_mentions:
        if ei not in entity_order:
            entity_order.append(ei)
    base_mention_entity = {(m.start, m.end): m.entity for m in base.mentions}
    entity_alloc = _Ids("e", {e.id: e.id for e in base.entities})
    entity_ids = {}
    for ei in entity_order:
        spans = [(span.start, span.end) for span, e, _, _ in raw_mentions if e == ei]
        known = [base_mention_entity[sp] for sp in spans if sp in base_mention_entity]
        candidates = sorted(set(known), key=lambda eid: (-known.count(eid), eid))
        chosen = next((eid for eid in candidates if eid not in entity_alloc.taken), None)
        entity_ids[ei] = entity_alloc.get(chosen) if chosen else entity_alloc.fresh()
    for ei, ent in enumerate(draft.get("entities", [])):
        if ei not in entity_ids and not ent.get("mentions"):
            c.error(f"/entities/{ei}", "entity has no mentions")

    mention_ids: dict[str, str] = {}
    mentions: list[Mention] = []
    mention_alloc = _Ids("m", {(m.start, m.end): m.id for m in base.mentions})
    for span, ei, m, pointer in raw_mentions:
        ent = draft["entities"][ei]
        mid = mention_alloc.get((span.start, span.end))
        key = m.get("key")
        if key is not None:
            if key in mention_ids:
                c.error(f"{pointer}/key", f"mention key {key!r} is used twice")
            mention_ids[key] = mid
        mentions.append(Mention(
            id=mid, entity=entity_ids[ei], type=ent.get("type"),
            mention_type=m.get("mtype", "NAM"), start=span.start, end=span.end,
            text=span.text, metonymy=bool(m.get("metonymy", False)),
        ))
    entities = [
        Entity(id=entity_ids[ei], type=draft["entities"][ei].get("type"),
               name=draft["entities"][ei].get("name"),
               wikipedia=draft["entities"][ei].get("wikipedia"),
               value=draft["entities"][ei].get("value"), mod=draft["entities"][ei].get("mod"))
        for ei in entity_order
    ]

    def mention_ref(key: Any, pointer: str) -> str | None:
        if key is None:
            return None
        if key not in mention_ids:
            c.error(pointer, f"no mention has the key {key!r}")
            return None
        return mention_ids[key]

    raw_quotes = []
    for qi, q in enumerate(draft.get("quotes", [])):
        pointer = f"/quotes/{qi}"
        content = c.spans(q.get("content"), f"{pointer}/content")
        cue = c.spans(q.get("cue"), f"{pointer}/cue")
        if content:
            raw_quotes.append((content, cue, q, pointer))
    raw_quotes.sort(key=lambda item: (item[0][0].start, item[0][0].end))
    quote_alloc = _Ids("q", {(q.content[0].start, q.content[0].end): q.id for q in base.quotes})
    assigned = [quote_alloc.get((content[0].start, content[0].end)) for content, _, _, _ in raw_quotes]
    quote_ids = {q.get("key"): qid for qid, (_, _, q, _) in zip(assigned, raw_quotes) if q.get("key")}
    quotes = []
    for qid, (content, cue, q, pointer) in zip(assigned, raw_quotes):
        parent = q.get("parent")
        if parent is not None and parent not in quote_ids:
            c.error(f"{pointer}/parent", f"no quote has the key {parent!r}")
        quotes.append(Quote(
            id=qid, type=q.get("type"), content=content, cue=cue,
            source=mention_ref(q.get("source"), f"{pointer}/source") or "",
            implicit_source=bool(q.get("implicit_source", False)),
            via=mention_ref(q.get("via"), f"{pointer}/via"),
            addressee=mention_ref(q.get("addressee"), f"{pointer}/addressee"),
            parent=quote_ids.get(parent) if parent is not None else None,
        ))

    raw_events = []
    for vi, v in enumerate(draft.get("events", [])):
        pointer = f"/events/{vi}"
        trigger = c.span(v.get("trigger"), f"{pointer}/trigger")
        if trigger:
            raw_events.append((trigger, v, pointer))
    raw_events.sort(key=lambda item: (item[0].start, item[0].end))
    base_events = {(v.trigger.start, v.trigger.end): v for v in base.events}
    base_key = _match_spans([(t.start, t.end) for t, _, _ in raw_events], list(base_events))
    event_alloc = _Ids("v", {key: v.id for key, v in base_events.items()})
    cluster_alloc = _Ids("c", {v.cluster: v.cluster for v in base.events if v.cluster})
    base_cluster_size: dict[str, int] = {}
    for old_event in base.events:
        base_cluster_size[old_event.cluster] = base_cluster_size.get(old_event.cluster, 0) + 1

    def cluster_label(index: int, v: dict[str, Any]) -> Any:
        """The draft's cluster label; an event without one is a cluster of its own."""
        label = v.get("cluster")
        return ("singleton", index) if label is None else ("draft", label)

    labels = [cluster_label(i, v) for i, (_, v, _) in enumerate(raw_events)]
    cluster_ids: dict[Any, str] = {}
    # A cluster keeps the id its events had: named clusters first, then singletons, which keep
    # an id only if it was a singleton's (a split-off event never takes its old cluster's id).
    for wanted_kind in ("draft", "singleton"):
        for label, (trigger, _, _) in zip(labels, raw_events):
            old = base_events.get(base_key[(trigger.start, trigger.end)])
            if label[0] != wanted_kind or label in cluster_ids or old is None or not old.cluster \
                    or old.cluster in cluster_alloc.taken:
                continue
            if wanted_kind == "singleton" and base_cluster_size[old.cluster] != 1:
                continue
            cluster_ids[label] = cluster_alloc.get(old.cluster)
    events = []
    for label, (trigger, v, pointer) in zip(labels, raw_events):
        if label not in cluster_ids:
            cluster_ids[label] = cluster_alloc.fresh()
        arguments = []
        for ai, pair in enumerate(v.get("args", [])):
            ref = mention_ref(pair[1], f"{pointer}/args/{ai}")
            if ref:
                arguments.append(Argument(role=pair[0], mention=ref))
        events.append(Event(
            id=event_alloc.get(base_key[(trigger.start, trigger.end)]), type=v.get("type"), trigger=trigger,
            realis=v.get("realis"),
            arguments=tuple(arguments), cluster=cluster_ids[label],
        ))

    provenance = dict(base.provenance)
    annotators = tuple(a for a in (draft.get("annotator"),) if a)
    checkers = tuple(draft.get("checked_by", ()))
    for layer in draft.get("layers", []):
        provenance[layer] = LayerProvenance(
            status="complete", annotated_by=annotators, annotated_on=draft.get("date"),
            checked_by=checkers, checked_on=draft.get("checked_on"),
            notes=draft.get("notes"),
        )
    if problems:
        return None, problems
    compiled = replace(
        base, provenance=provenance,
        zones=tuple(Zone(zone_ids.get((s.start, s.end, t)), t, s.start, s.end, s.text) for s, t in zones),
        entities=tuple(entities), mentions=tuple(mentions), quotes=tuple(quotes), events=tuple(events),
    )
    return compiled, problems


@dataclass
class Authored:
    """What compiling a draft gave: the record and its text, where it goes, and its problems
    (when there are any, nothing was written)."""

    out: Path
    record: AnnotationFile | None
    text: str
    problems: list[Problem]
    written: bool = False


def _check_author_out(out: Path, doc_id: str) -> None:
    """A compiled draft may replace an annotation file of the same document, nothing else."""
    if out.suffix != ".json":
        raise fail("(command line)", "--out", "unsafe-output",
                                   f"{out}: an annotation file's name ends in .json")
    if out.exists() or out.is_symlink():
        value, problems = load_json_file(out, str(out))
        existing = value.get("document", {}).get("id") if isinstance(value, dict) and isinstance(
            value.get("document"), dict) else None
        if problems or existing != doc_id:
            raise fail("(command line)", "--out", "unsafe-output",
                                       f"{out}: exists and is not an annotation file of document {doc_id}; "
                                       "corpus-ds replaces only its own files")


def author(corpus: CorpusPaths, draft_path: Path, *, out: Path | None = None, base: Path | None = None,
           fresh_ids: bool = False, dry_run: bool = False) -> Authored:
    """Compile a draft against its document and write the annotation file when it is valid.

    The base annotation file (default: the document's own) gives the metadata and, unless
    ``fresh_ids``, the ids to keep. CorpusError for a draft that cannot be read or compiled;
    an :class:`Authored` with problems (and nothing written) when the result is invalid.
    """
    shown = str(draft_path)
    draft, problems = load_json_file(draft_path, shown, MAX_INPUT_BYTES)
    if not problems:
        problems = [p for p in draft_problems(draft, shown) if p.code != "draft-additionalProperties"]
    if problems:
        raise CorpusError(problems)  # otherwise compile_draft reports the unknown keys with the rest
    doc_id = draft["doc"]
    base_document = load_one(corpus, str(base)) if base is not None else load_one(corpus, doc_id)
    if base_document.doc_id != doc_id:
        raise CorpusError([Problem(shown, "/doc", "draft", f"draft is for document {doc_id!r}, but the base "
                                                           f"file is document {base_document.doc_id!r}")])
    base_record = base_document.record
    if fresh_ids:
        base_record = replace(base_record, provenance=empty_provenance(), zones=(), entities=(),
                              mentions=(), quotes=(), events=())
    text = base_document.text
    compiled, problems = compile_draft(draft, base_record, text, shown)
    if compiled is None:
        raise CorpusError(problems)
    target = out if out is not None else corpus.annotation_file(doc_id)
    _check_author_out(target, doc_id)
    outcome = check_document(compiled, text, target, str(target))
    if not outcome.ok:
        return Authored(target, compiled, text, outcome.problems)
    if not dry_run:
        atomic_write_text(target, dumps_annotation(to_json(compiled)))
    return Authored(target, compiled, text, [], written=not dry_run)
