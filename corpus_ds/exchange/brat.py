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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fsutil import staged_folder
from ..load import Corpus, Document, is_doc_id
from ..load.files import MAX_INPUT_BYTES, ReadFailure, read_bounded
from ..model.labels import (
    ENTITY_COLOURS,
    ENTITY_TYPES,
    EVENT_TYPES,
    MENTION_TYPES,
    QUOTE_PARTY_TYPES,
    QUOTE_TYPES,
    REALIS,
    ROLE_FILLERS,
    ROLES,
    ZONE_TYPES,
)
from ..model.problems import CorpusError, Problem, printable
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
)
from .imports import Change

_ROLE_NAMES = {role: role.capitalize() for role in ROLES}
#: Characters a line-based reader may take for a line end: never inside an annotation's shown text.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def annotation_conf() -> str:
    """brat's ``annotation.conf`` for this scheme, from the label lists."""
    entity_types = "|".join(ENTITY_TYPES)
    parties = "|".join(QUOTE_PARTY_TYPES)
    lines = ["[entities]", *ENTITY_TYPES, *(f"Zone_{z}" for z in ZONE_TYPES), "Quote", "Cue", "",
             "[relations]",
             f"Coref\tArg1:{entity_types}, Arg2:{entity_types}, <REL-TYPE>:symmetric-transitive",
             f"Source\tArg1:Quote, Arg2:{parties}",
             f"Via\tArg1:Quote, Arg2:{parties}",
             f"Addressee\tArg1:Quote, Arg2:{parties}",
             "HasCue\tArg1:Quote, Arg2:Cue",
             "Parent\tArg1:Quote, Arg2:Quote",
             "<OVERLAP>\tArg1:Quote, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
             "<OVERLAP>\tArg1:<ANY>, Arg2:Quote, <OVL-TYPE>:<ANY>",
             # mentions and cues lie inside zones (brat refuses overlaps that are not declared)
             f"<OVERLAP>\tArg1:{entity_types}|Cue, Arg2:{'|'.join(f'Zone_{z}' for z in ZONE_TYPES)}, "
             "<OVL-TYPE>:contain|equal",
             "", "[events]"]
    args = ", ".join(f"{_ROLE_NAMES[r]}*:{'|'.join(ROLE_FILLERS[r])}" for r in ROLES)
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
    lines += [f"{t}\tbgColor:{ENTITY_COLOURS[t]}" for t in ENTITY_TYPES]
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
        shown = _LINE_BREAKS.sub(" ", " ".join(text[s.start:s.end] for s in spans))
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
    relations: list[tuple[str, str, str, int]] = field(default_factory=list)
    equivalences: list[tuple[list[str], int]] = field(default_factory=list)
    events: dict[str, tuple[str, str, list[tuple[str, str]]]] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The line each annotation id was defined on (for messages).
    lines: dict[str, int] = field(default_factory=dict)
    attribute_lines: list[tuple[str, str, str | bool, int]] = field(default_factory=list)


_TB = re.compile(r"^(T\d+)\t(\S+) ([0-9 ;]+)\t(.*)$")
_ROLE = re.compile(r"^(" + "|".join(_ROLE_NAMES.values()) + r")[0-9]*$")


def _problem(where: str, line: int, message: str) -> Problem:
    return Problem(where, f"{line}:1", "brat", message)


def _parse(ann: str, where: str) -> tuple[_Parsed, list[Problem]]:
    """The annotations of an ``.ann`` text, and a located problem for each line it cannot read.

    Lines are split at ``\n`` only: brat writes one annotation per line, and a text's own line
    separators (U+2028, form feeds) may appear inside an annotation's shown text.
    """
    parsed = _Parsed()
    problems: list[Problem] = []
    for number, raw in enumerate(ann.split("\n"), 1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        try:
            if line.startswith("T"):
                match = _TB.match(line)
                if not match:
                    raise ValueError("malformed text-bound annotation")
                spans = tuple(tuple(int(x) for x in part.split()) for part in match[3].split(";"))
                if any(len(s) != 2 for s in spans):
                    raise ValueError("a span needs a start and an end")
                parsed.textbounds[match[1]] = (match[2], spans)  # type: ignore[assignment]
                parsed.order.append(match[1])
                parsed.lines[match[1]] = number
            elif line.startswith("A") or line.startswith("M"):
                _, body = line.split("\t", 1)
                parts = body.split()
                value: str | bool = parts[2] if len(parts) > 2 else True
                parsed.attributes[parts[1]][parts[0]] = value
                parsed.attribute_lines.append((parts[1], parts[0], value, number))
            elif line.startswith("R"):
                rid, body = line.split("\t", 1)
                label, arg1, arg2 = body.split()[:3]
                parsed.relations.append((label, arg1.split(":", 1)[1], arg2.split(":", 1)[1], number))
            elif line.startswith("*"):
                _, body = line.split("\t", 1)
                parsed.equivalences.append((body.split()[1:], number))
            elif line.startswith("E"):
                eid, body = line.split("\t", 1)
                head, *args = body.split()
                etype, trigger = head.split(":", 1)
                pairs = [tuple(a.split(":", 1)) for a in args]
                if any(len(pair) != 2 for pair in pairs):
                    raise ValueError("an event argument is ROLE:ID")
                parsed.events[eid] = (etype, trigger, pairs)  # type: ignore[assignment]
                parsed.lines[eid] = number
            elif line.startswith("#"):
                _, body, note = line.split("\t", 2)
                target = body.split()[1]
                try:
                    payload = json.loads(note)
                except json.JSONDecodeError:
                    payload = None  # a note an annotator typed by hand: not ours
                if isinstance(payload, dict):
                    parsed.notes[target] = payload
            else:
                raise ValueError("unknown annotation kind")
        except (ValueError, IndexError) as exc:
            problems.append(_problem(where, number, f"{exc}: {printable(line[:80])!r}"))
    return parsed, problems


def _check(p: _Parsed, text: str, where: str) -> list[Problem]:
    """Every reference, label and span the import relies on, each a located problem."""
    problems: list[Problem] = []
    triggers = {trigger for _, trigger, _ in p.events.values()}
    known_labels = set(ENTITY_TYPES) | {f"Zone_{z}" for z in ZONE_TYPES} | {"Quote", "Cue"} | set(EVENT_TYPES)

    def kind(tid: str) -> str | None:
        if tid not in p.textbounds:
            return "event" if tid in p.events else None
        label = p.textbounds[tid][0]
        if tid in triggers:
            return "trigger"
        if label in ENTITY_TYPES:
            return "mention"
        return label

    for tid in p.order:
        label, spans = p.textbounds[tid]
        line = p.lines[tid]
        if label not in known_labels:
            problems.append(_problem(where, line, f"{tid}: unknown type {printable(label)!r} "
                                                  "(annotation.conf lists the types corpus_ds reads)"))
        for start, end in spans:
            if not 0 <= start < end <= len(text):
                problems.append(_problem(where, line, f"{tid}: span {start} {end} is not within the "
                                                      f"text (0 <= start < end <= {len(text)})"))
        if len(spans) > 1 and label not in ("Quote", "Cue"):
            problems.append(_problem(where, line, f"{tid}: a {label} is one contiguous span in corpus_ds, "
                                                  f"but this one has {len(spans)} fragments"))
    for eid, (etype, trigger, args) in p.events.items():
        line = p.lines[eid]
        if etype not in EVENT_TYPES:
            problems.append(_problem(where, line, f"{eid}: unknown event type {printable(etype)!r}"))
        if trigger not in p.textbounds:
            problems.append(_problem(where, line, f"{eid}: trigger {printable(trigger)} is not defined"))
        for role, target in args:
            if not _ROLE.match(role):
                problems.append(_problem(where, line, f"{eid}: unknown argument role {printable(role)!r} "
                                                      f"(one of {', '.join(_ROLE_NAMES.values())})"))
            if kind(target) != "mention":
                problems.append(_problem(where, line, f"{eid}: argument {printable(role)}:{printable(target)} "
                                                      "does not point at an entity mention defined in the file"))
    wanted = {"Source": "mention", "Via": "mention", "Addressee": "mention", "HasCue": "Cue", "Parent": "Quote"}
    for label, arg1, arg2, line in p.relations:
        if label not in wanted:
            problems.append(_problem(where, line, f"unknown relation {printable(label)!r}"))
            continue
        if kind(arg1) != "Quote":
            problems.append(_problem(where, line, f"{label}: Arg1 {printable(arg1)} is not a Quote defined in the file"))
        if kind(arg2) != wanted[label]:
            problems.append(_problem(where, line, f"{label}: Arg2 {printable(arg2)} is not a "
                                                  f"{'an entity mention' if wanted[label] == 'mention' else wanted[label]} "
                                                  "defined in the file"))
    quotes_with_source = {arg1 for label, arg1, _, _ in p.relations if label == "Source"}
    for tid in p.order:
        if p.textbounds[tid][0] == "Quote" and tid not in quotes_with_source:
            problems.append(_problem(where, p.lines[tid], f"{tid}: a Quote needs a Source relation to "
                                                          "the mention of its speaker"))
    for members, line in p.equivalences:
        for tid in members:
            if kind(tid) != "mention":
                problems.append(_problem(where, line, f"Coref member {printable(tid)} is not an entity "
                                                      "mention defined in the file"))
    allowed = {"MentionType": MENTION_TYPES, "QuoteType": QUOTE_TYPES, "Realis": REALIS,
               "Metonymy": (True,), "ImplicitSource": (True,)}
    for target, name, value, line in p.attribute_lines:
        if name not in allowed:
            problems.append(_problem(where, line, f"unknown attribute {printable(name)!r}"))
        elif value not in allowed[name]:
            problems.append(_problem(where, line, f"{name} value {printable(str(value))!r} is not one of "
                                                  f"{', '.join(map(str, allowed[name]))}"))
        if kind(target) is None:
            problems.append(_problem(where, line, f"{name}: {printable(target)} is not defined in the file"))
    return problems


def import_ann(ann: str, base: AnnotationFile, text: str, where: str) -> AnnotationFile:
    """The annotations of an ``.ann`` file put into ``base`` (whose metadata is kept).

    CorpusError with a problem at ``FILE:LINE:1`` for every line that cannot be read and every
    reference, type or span that does not fit.
    """
    p, problems = _parse(ann, where)
    problems += _check(p, text, where)
    if problems:
        raise CorpusError(problems)

    def spans_of(tid: str) -> tuple[Span, ...]:
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
    for group, _ in p.equivalences:
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
    for label, arg1, arg2, _ in p.relations:
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


def export_brat(documents: Sequence[Document], target: Path, corpus_root: Path | None) -> str:
    """Write ``DOC.txt``/``DOC.ann`` pairs with ``annotation.conf`` and ``visual.conf`` into
    ``target`` (a folder corpus-ds may replace, see :func:`corpus_ds.fsutil.staged_folder`)."""
    with staged_folder(target, corpus_root, "TARGET") as tmp:
        for document in documents:
            (tmp / f"{document.doc_id}.txt").write_bytes(document.text.encode("utf-8"))
            (tmp / f"{document.doc_id}.ann").write_text(export_ann(document.record, document.text), encoding="utf-8")
        (tmp / "annotation.conf").write_text(annotation_conf(), encoding="utf-8")
        (tmp / "visual.conf").write_text(visual_conf(), encoding="utf-8")
    return f"wrote {len(documents)} .txt/.ann pairs with annotation.conf and visual.conf to {target}"


def read_brat(source: Path, corpus: Corpus) -> list[Change]:
    """The documents a folder of brat ``.ann`` files describes; CorpusError with every problem."""
    if not source.is_dir():
        raise CorpusError([Problem(str(source), "", "not-a-folder", "brat: expected a folder of .ann files")])
    by_id = {document.doc_id: document for document in corpus}
    changes: list[Change] = []
    problems: list[Problem] = []
    for ann in sorted(source.glob("*.ann")):
        shown = str(ann)
        if not is_doc_id(ann.stem) or ann.stem not in by_id:
            problems.append(Problem(shown, "", "unknown-document",
                                    f"{printable(ann.name)}: the file name is not the id of a document in "
                                    f"the corpus (DOC_ID.ann, 16 hex digits); add the text with "
                                    "corpus-ds add first"))
            continue
        try:
            data = read_bounded(ann, MAX_INPUT_BYTES, inside=source)
            ann_text = data.decode("utf-8")
        except ReadFailure as failure:
            problems.append(Problem(shown, "", failure.code, f"brat file {failure.message}"))
            continue
        except UnicodeDecodeError as exc:
            problems.append(Problem(shown, "", "invalid-utf8", f"not UTF-8 (byte {exc.start})"))
            continue
        base = by_id[ann.stem]
        try:
            changes.append(Change(ann.stem, import_ann(ann_text, base.record, base.text, shown), shown))
        except CorpusError as error:
            problems += error.problems
    if problems:
        raise CorpusError(problems)
    return changes
