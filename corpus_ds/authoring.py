"""Compile an annotator's draft (phrases and anchors) into an annotation file.

A draft names every span with an anchor (see :mod:`corpus_ds.anchors`) and
every cross-reference with a key the annotator chooses. Compiling resolves the
anchors to offsets, numbers the annotations in text order (``z1``, ``e1``,
``m1``, ``q1``, ``v1``, clusters ``c1``) and replaces the layers of an existing
annotation file, keeping its document metadata. The result then goes through
the validator like any other file. The draft format is documented in
``annotations/GUIDELINES.md`` ("Writing annotations").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .anchors import AnchorError, resolve
from .model import (
    AnnotationFile, Argument, Entity, Event, LayerProvenance, Mention, Quote, Span, Zone, replace,
)
from .problems import Problem

_DRAFT_KEYS = {"doc", "annotator", "date", "checked_by", "checked_on", "layers", "zones", "entities", "quotes", "events", "notes"}


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


def compile_draft(draft: Any, base: AnnotationFile, text: str, shown_as: str) -> tuple[AnnotationFile | None, list[Problem]]:
    """Resolve a draft against ``text`` and put its layers into ``base``."""
    problems: list[Problem] = []
    c = _Compiler(text, shown_as, problems)
    if not isinstance(draft, dict):
        c.error("", "a draft must be a JSON object")
        return None, problems
    for key in sorted(set(draft) - _DRAFT_KEYS):
        c.error(f"/{key}", f"unknown draft key {key!r}")
    if draft.get("doc") != base.doc_id:
        c.error("/doc", f"draft is for document {draft.get('doc')!r}, not {base.doc_id!r}")

    zones = []
    for i, z in enumerate(draft.get("zones", [])):
        span = c.span({k: v for k, v in z.items() if k != "type"}, f"/zones/{i}")
        if span:
            zones.append((span, z.get("type")))
    zones.sort(key=lambda item: item[0].start)

    # Mentions: collect with the draft's keys, then number in text order.
    raw_mentions: list[tuple[Span, int, dict[str, Any], str]] = []
    for ei, ent in enumerate(draft.get("entities", [])):
        for mi, m in enumerate(ent.get("mentions", [])):
            pointer = f"/entities/{ei}/mentions/{mi}"
            anchor = {k: v for k, v in m.items() if k in {"t", "n", "ctx", "from", "to", "glued"}}
            extra = set(m) - {"t", "n", "ctx", "from", "to", "glued", "key", "mtype", "metonymy"}
            if extra:
                c.error(pointer, f"unknown mention key(s): {', '.join(sorted(extra))}")
            span = c.span(anchor, pointer)
            if span:
                raw_mentions.append((span, ei, m, pointer))
    raw_mentions.sort(key=lambda item: (item[0].start, item[0].end))

    entity_order: list[int] = []
    for _, ei, _, _ in raw_mentions:
        if ei not in entity_order:
            entity_order.append(ei)
    entity_ids = {ei: f"e{n}" for n, ei in enumerate(entity_order, 1)}
    for ei, ent in enumerate(draft.get("entities", [])):
        if ei not in entity_ids and not ent.get("mentions"):
            c.error(f"/entities/{ei}", "entity has no mentions")

    mention_ids: dict[str, str] = {}
    mentions: list[Mention] = []
    for n, (span, ei, m, pointer) in enumerate(raw_mentions, 1):
        ent = draft["entities"][ei]
        mid = f"m{n}"
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
               wikipedia=draft["entities"][ei].get("wikipedia"))
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
    quote_ids = {q.get("key"): f"q{n}" for n, (_, _, q, _) in enumerate(raw_quotes, 1) if q.get("key")}
    quotes = []
    for n, (content, cue, q, pointer) in enumerate(raw_quotes, 1):
        parent = q.get("parent")
        if parent is not None and parent not in quote_ids:
            c.error(f"{pointer}/parent", f"no quote has the key {parent!r}")
        quotes.append(Quote(
            id=f"q{n}", type=q.get("type"), content=content, cue=cue,
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
    cluster_ids: dict[str, str] = {}
    events = []
    for n, (trigger, v, pointer) in enumerate(raw_events, 1):
        label = v.get("cluster")
        if label is not None and label not in cluster_ids:
            cluster_ids[label] = f"c{len(cluster_ids) + 1}"
        arguments = []
        for ai, pair in enumerate(v.get("args", [])):
            if not (isinstance(pair, list) and len(pair) == 2):
                c.error(f"{pointer}/args/{ai}", 'an argument is ["role", "mention key"]')
                continue
            ref = mention_ref(pair[1], f"{pointer}/args/{ai}")
            if ref:
                arguments.append(Argument(role=pair[0], mention=ref))
        events.append(Event(
            id=f"v{n}", type=v.get("type"), trigger=trigger, realis=v.get("realis"),
            arguments=tuple(arguments), cluster=cluster_ids.get(label) if label else None,
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
        zones=tuple(Zone(f"z{n}", t, s.start, s.end, s.text) for n, (s, t) in enumerate(zones, 1)),
        entities=tuple(entities), mentions=tuple(mentions), quotes=tuple(quotes), events=tuple(events),
    )
    return compiled, problems
