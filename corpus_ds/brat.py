"""brat standoff export and import (``.txt`` / ``.ann`` pairs).

Mapping (``annotation.conf`` written beside the files declares all of it):

- zone: text-bound ``Zone_<type>``;
- mention: text-bound of its entity type; attributes ``MentionType`` (NOM, PRO;
  NAM is the default and not written) and ``Metonymy``; coreference as
  ``*\\tCoref`` equivalences (one per entity with two or more mentions);
- quote: a (possibly discontinuous) text-bound ``Quote`` for its content and
  one ``Cue`` per cue span, attribute ``QuoteType`` and ``ImplicitSource``,
  relations ``Source``, ``HasCue``, ``Via``, ``Addressee`` and ``Parent``;
- event: trigger text-bound of its PLOVER type and ``E`` line with
  ``Actor``/``Recipient``/``Place``/``Time`` arguments, attribute ``Realis``.

Ids, entity names and Wikipedia titles and event clusters, which brat has no
place for, travel in ``AnnotatorNotes`` as small JSON objects, so that export
then import gives back exactly the same annotations. Annotations made in brat
without such notes get fresh ids, and an entity gets the text of its longest
name mention as its name.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .labels import ENTITY_TYPES, EVENT_TYPES, MENTION_TYPES, QUOTE_TYPES, REALIS, ROLES, ZONE_TYPES
from .model import AnnotationFile, Argument, Entity, Event, Mention, Quote, Span, Zone, replace

_ROLE_NAMES = {role: role.capitalize() for role in ROLES}
COLOURS = {"PER": "#ffd8a8", "ORG": "#a5d8ff", "GPE": "#b2f2bb", "LOC": "#d0bfff", "FAC": "#ffc9c9",
           "VEH": "#99e9f2", "WEA": "#fcc2d7", "EVENT": "#ffec99", "TIME": "#dee2e6"}


class BratError(ValueError):
    """A line of an ``.ann`` file that cannot be read; the message names the line."""


def annotation_conf() -> str:
    """brat's ``annotation.conf`` for this scheme, from the label lists."""
    entity_types = "|".join(ENTITY_TYPES)
    lines = ["[entities]", *ENTITY_TYPES, *(f"Zone_{z}" for z in ZONE_TYPES), "Quote", "Cue", "",
             "[relations]",
             f"Coref\tArg1:{entity_types}, Arg2:{entity_types}, <REL-TYPE>:symmetric-transitive",
             "Source\tArg1:Quote, Arg2:PER|ORG|GPE",
             "Via\tArg1:Quote, Arg2:PER|ORG|GPE",
             "Addressee\tArg1:Quote, Arg2:PER|ORG|GPE",
             "HasCue\tArg1:Quote, Arg2:Cue",
             "Parent\tArg1:Quote, Arg2:Quote",
             "<OVERLAP>\tArg1:Quote, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
             "<OVERLAP>\tArg1:<ANY>, Arg2:Quote, <OVL-TYPE>:<ANY>",
             "", "[events]"]
    args = ", ".join(f"{_ROLE_NAMES[r]}*:{'|'.join(t for t in ('PER', 'ORG', 'GPE') if r in ('actor', 'recipient'))}"
                     if r in ("actor", "recipient") else
                     f"{_ROLE_NAMES[r]}*:{'GPE|LOC|FAC' if r == 'place' else 'TIME'}" for r in ROLES)
    lines += [f"{etype}\t{args}" for etype in EVENT_TYPES]
    lines += ["", "[attributes]",
              f"MentionType\tArg:{entity_types}, Value:{'|'.join(m for m in MENTION_TYPES if m != 'NAM')}",
              f"Metonymy\tArg:{entity_types}",
              f"QuoteType\tArg:Quote, Value:{'|'.join(QUOTE_TYPES)}",
              "ImplicitSource\tArg:Quote",
              f"Realis\tArg:<EVENT>, Value:{'|'.join(REALIS)}", ""]
    return "\n".join(lines)


def visual_conf() -> str:
    """brat's ``visual.conf``: a colour per entity type, quotes and cues highlighted."""
    lines = ["[labels]", *(f"{t} | {t}" for t in ENTITY_TYPES), "", "[drawing]"]
    lines += [f"{t}\tbgColor:{COLOURS[t]}" for t in ENTITY_TYPES]
    lines += [f"Zone_{z}\tbgColor:#f1f3f5" for z in ZONE_TYPES]
    lines += ["Quote\tbgColor:#ffe066", "Cue\tbgColor:#ff8787", "Coref\tcolor:#e8590c, dashArray:3-3",
              "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
              "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5", ""]
    return "\n".join(lines)


def _spans_field(spans: tuple[Span, ...]) -> str:
    return ";".join(f"{s.start} {s.end}" for s in spans)


def _note(lines: list[str], counter: list[int], target: str, payload: dict[str, Any]) -> None:
    counter[0] += 1
    lines.append(f"#{counter[0]}\tAnnotatorNotes {target}\t{json.dumps(payload, ensure_ascii=False, sort_keys=True)}")


def export_ann(record: AnnotationFile, text: str) -> str:
    """The ``.ann`` text of one document."""
    lines: list[str] = []
    t_ids: dict[str, str] = {}
    counters = {"T": 0, "R": 0, "E": 0, "A": 0}
    note = [0]

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    def textbound(label: str, spans: tuple[Span, ...]) -> str:
        tid = next_id("T")
        shown = " ".join(text[s.start:s.end] for s in spans).replace("\n", " ")
        lines.append(f"{tid}\t{label} {_spans_field(spans)}\t{shown}")
        return tid

    for z in record.zones:
        tid = textbound(f"Zone_{z.type}", (Span(z.start, z.end, z.text),))
        _note(lines, note, tid, {"id": z.id})
    entities = {e.id: e for e in record.entities}
    seen_entities: set[str] = set()
    for m in record.mentions:
        tid = textbound(m.type, (Span(m.start, m.end, m.text),))
        t_ids[m.id] = tid
        if m.mention_type != "NAM":
            lines.append(f"{next_id('A')}\tMentionType {tid} {m.mention_type}")
        if m.metonymy:
            lines.append(f"{next_id('A')}\tMetonymy {tid}")
        payload: dict[str, Any] = {"id": m.id, "entity": m.entity}
        if m.entity not in seen_entities:
            seen_entities.add(m.entity)
            e = entities[m.entity]
            payload.update(name=e.name, wikipedia=e.wikipedia)
            if e.value is not None or e.mod is not None:
                payload.update(value=e.value, mod=e.mod)
        _note(lines, note, tid, payload)
    chains: dict[str, list[str]] = defaultdict(list)
    for m in record.mentions:
        chains[m.entity].append(t_ids[m.id])
    for e in record.entities:
        if len(chains[e.id]) > 1:
            lines.append("*\tCoref " + " ".join(chains[e.id]))
    for q in record.quotes:
        t_ids[q.id] = textbound("Quote", q.content)
    for q in record.quotes:
        qt = t_ids[q.id]
        lines.append(f"{next_id('A')}\tQuoteType {qt} {q.type}")
        if q.implicit_source:
            lines.append(f"{next_id('A')}\tImplicitSource {qt}")
        for cue in q.cue or ():
            ct = textbound("Cue", (cue,))
            lines.append(f"{next_id('R')}\tHasCue Arg1:{qt} Arg2:{ct}")
        for label, ref in (("Source", q.source), ("Via", q.via), ("Addressee", q.addressee)):
            if ref is not None:
                lines.append(f"{next_id('R')}\t{label} Arg1:{qt} Arg2:{t_ids[ref]}")
        if q.parent is not None:
            lines.append(f"{next_id('R')}\tParent Arg1:{qt} Arg2:{t_ids[q.parent]}")
        _note(lines, note, qt, {"id": q.id})
    for v in record.events:
        tt = textbound(v.type, (v.trigger,))
        eid = next_id("E")
        used: dict[str, int] = defaultdict(int)
        args = []
        for a in v.arguments:
            used[a.role] += 1
            suffix = "" if used[a.role] == 1 else str(used[a.role])
            args.append(f"{_ROLE_NAMES[a.role]}{suffix}:{t_ids[a.mention]}")
        lines.append(f"{eid}\t{v.type}:{tt}" + "".join(f" {arg}" for arg in args))
        lines.append(f"{next_id('A')}\tRealis {eid} {v.realis}")
        _note(lines, note, eid, {"id": v.id, "cluster": v.cluster})
    return "\n".join(lines) + "\n"


@dataclass
class _Parsed:
    textbounds: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    attributes: dict[str, dict[str, str | bool]] = field(default_factory=lambda: defaultdict(dict))
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    equivalences: list[list[str]] = field(default_factory=list)
    events: dict[str, tuple[str, str, list[tuple[str, str]]]] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)


_TB = re.compile(r"^(T\d+)\t(\S+) ([0-9 ;]+)\t(.*)$")


def _parse(ann: str, where: str) -> _Parsed:
    parsed = _Parsed()
    for number, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        place = f"{where}:{number}"
        try:
            if line.startswith("T"):
                match = _TB.match(line)
                if not match:
                    raise BratError("malformed text-bound annotation")
                spans = tuple(tuple(int(x) for x in part.split()) for part in match[3].split(";"))
                if any(len(s) != 2 for s in spans):
                    raise BratError("a span needs a start and an end")
                parsed.textbounds[match[1]] = (match[2], spans)  # type: ignore[assignment]
                parsed.order.append(match[1])
            elif line.startswith("A") or line.startswith("M"):
                _, body = line.split("\t", 1)
                parts = body.split()
                parsed.attributes[parts[1]][parts[0]] = parts[2] if len(parts) > 2 else True
            elif line.startswith("R"):
                rid, body = line.split("\t", 1)
                label, arg1, arg2 = body.split()[:3]
                parsed.relations.append((label, arg1.split(":", 1)[1], arg2.split(":", 1)[1]))
            elif line.startswith("*"):
                _, body = line.split("\t", 1)
                parsed.equivalences.append(body.split()[1:])
            elif line.startswith("E"):
                eid, body = line.split("\t", 1)
                head, *args = body.split()
                etype, trigger = head.split(":", 1)
                parsed.events[eid] = (etype, trigger, [tuple(a.split(":", 1)) for a in args])  # type: ignore[misc]
            elif line.startswith("#"):
                _, body, note = line.split("\t", 2)
                target = body.split()[1]
                try:
                    parsed.notes[target] = json.loads(note)
                except json.JSONDecodeError:
                    pass  # a note an annotator typed by hand: not ours
            else:
                raise BratError("unknown annotation kind")
        except (BratError, ValueError, IndexError) as exc:
            raise BratError(f"{place}: {exc}: {line[:80]!r}") from None
    return parsed


def import_ann(ann: str, base: AnnotationFile, text: str, where: str) -> AnnotationFile:
    """The annotations of an ``.ann`` file put into ``base`` (whose metadata is kept)."""
    p = _parse(ann, where)

    def spans_of(tid: str) -> tuple[Span, ...]:
        if tid not in p.textbounds:
            raise BratError(f"{where}: {tid} is referred to but not defined")
        return tuple(Span(s, e, text[s:e]) for s, e in p.textbounds[tid][1])

    fresh = defaultdict(int)

    def new_id(prefix: str, taken: set[str]) -> str:
        while True:
            fresh[prefix] += 1
            candidate = f"{prefix}{fresh[prefix]}"
            if candidate not in taken:
                return candidate

    def note_id(target: str, prefix: str, taken: set[str]) -> str:
        given = p.notes.get(target, {}).get("id")
        return given if isinstance(given, str) and given.startswith(prefix) else new_id(prefix, taken)

    zones, mentions_by_t = [], {}
    # Ids carried in notes are reserved first, so a fresh id never collides with one.
    taken: set[str] = {n["id"] for n in p.notes.values() if isinstance(n.get("id"), str)}
    taken |= {n["entity"] for n in p.notes.values() if isinstance(n.get("entity"), str)}
    taken |= {n["cluster"] for n in p.notes.values() if isinstance(n.get("cluster"), str)}
    for tid in p.order:
        label, _ = p.textbounds[tid]
        if label.startswith("Zone_"):
            span = spans_of(tid)[0]
            zid = note_id(tid, "z", taken)
            taken.add(zid)
            zones.append(Zone(zid, label[5:], span.start, span.end, span.text))
        elif label in ENTITY_TYPES and not any(tid == trig for _, trig, _ in p.events.values()):
            mentions_by_t[tid] = label
    # Entities: from notes, else from coreference equivalences, else one per mention.
    entity_of_t: dict[str, str] = {}
    entity_info: dict[str, dict[str, Any]] = {}
    for tid in mentions_by_t:
        note = p.notes.get(tid, {})
        if isinstance(note.get("entity"), str):
            entity_of_t[tid] = note["entity"]
            if "name" in note:
                entity_info[note["entity"]] = note
    for group in p.equivalences:
        known = next((entity_of_t[t] for t in group if t in entity_of_t), None)
        eid = known or new_id("e", set(entity_of_t.values()) | taken)
        for t in group:
            entity_of_t.setdefault(t, eid)
    for tid in mentions_by_t:
        entity_of_t.setdefault(tid, new_id("e", set(entity_of_t.values()) | taken))
    mentions = []
    for tid, label in mentions_by_t.items():
        span = spans_of(tid)[0]
        attrs = p.attributes.get(tid, {})
        mid = note_id(tid, "m", taken)
        taken.add(mid)
        mentions.append(Mention(mid, entity_of_t[tid], label, str(attrs.get("MentionType", "NAM")),
                                span.start, span.end, span.text, bool(attrs.get("Metonymy", False))))
    mention_of_t = {tid: m.id for tid, m in zip(mentions_by_t, mentions)}
    entities = []
    for eid in dict.fromkeys(m.entity for m in mentions):
        members = [m for m in mentions if m.entity == eid]
        info = entity_info.get(eid, {})
        names = [m.text for m in members if m.mention_type == "NAM"] or [members[0].text]
        entities.append(Entity(eid, members[0].type, info.get("name") or max(names, key=len),
                               info.get("wikipedia"), info.get("value"), info.get("mod")))
    # Quotes.
    quote_t = [tid for tid in p.order if p.textbounds[tid][0] == "Quote"]
    quote_ids = {}
    for tid in quote_t:
        quote_ids[tid] = note_id(tid, "q", taken)
        taken.add(quote_ids[tid])
    related: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for label, arg1, arg2 in p.relations:
        related[arg1][label].append(arg2)
    quotes = []
    for tid in quote_t:
        rel = related.get(tid, {})
        attrs = p.attributes.get(tid, {})
        cues = tuple(s for c in rel.get("HasCue", []) for s in spans_of(c))

        def one(label: str) -> str | None:
            values = rel.get(label, [])
            return mention_of_t.get(values[0]) if values else None

        parent = rel.get("Parent", [])
        quotes.append(Quote(quote_ids[tid], str(attrs.get("QuoteType", "direct")), spans_of(tid),
                            tuple(sorted(cues, key=lambda s: s.start)) or None, one("Source") or "",
                            bool(attrs.get("ImplicitSource", False)), one("Via"), one("Addressee"),
                            quote_ids.get(parent[0]) if parent else None))
    events = []
    for eid, (etype, trigger, args) in p.events.items():
        note = p.notes.get(eid, {})
        vid = note.get("id") if isinstance(note.get("id"), str) else new_id("v", taken)
        taken.add(vid)
        cluster = note.get("cluster") if isinstance(note.get("cluster"), str) else new_id("c", taken)
        taken.add(cluster)
        arguments = tuple(Argument(re.sub(r"\d+$", "", role).lower(), mention_of_t[t]) for role, t in args)
        events.append(Event(vid, etype, spans_of(trigger)[0], str(p.attributes.get(eid, {}).get("Realis", "actual")),
                            arguments, cluster))
    by_position = lambda item: (item.start, item.end)  # noqa: E731
    return replace(
        base,
        zones=tuple(sorted(zones, key=by_position)),
        entities=tuple(sorted(entities, key=lambda e: next(m.start for m in sorted(mentions, key=by_position)
                                                           if m.entity == e.id))),
        mentions=tuple(sorted(mentions, key=by_position)),
        quotes=tuple(sorted(quotes, key=lambda q: (q.content[0].start, q.content[0].end))),
        events=tuple(sorted(events, key=lambda v: (v.trigger.start, v.trigger.end))),
    )
