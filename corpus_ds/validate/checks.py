"""The semantic checks a JSON Schema cannot express.

Each check is a function ``(ctx) -> Iterator[Problem]`` over one annotation file's record
and its text. ``run_checks`` runs them all, in a fixed order, and returns every problem
found. A record may cover only the schema-valid part of a file (:mod:`.partial`); the
checks then skip what they cannot judge, so a schema error is never reported twice.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import attrgetter, itemgetter, lt
from typing import Any

from ..model.labels import CONTENT_ZONES, QUOTE_PARTY_TYPES, ROLE_FILLERS, ZONE_TYPES
from ..model.problems import Problem, quote_text
from ..model.records import AnnotationFile, Mention, Span, Zone
from ..model.zones import ZoneIndex
from .partial import WHOLE, Coverage

OPENING_MARKS = "“\"‘«"
CLOSING_MARKS = "”\"’»"
_OPENING_MARK = re.compile(f"[{OPENING_MARKS}]")
#: Words a PRO mention may consist of (possessives and object forms included).
PRONOUNS = frozenset(
    "he him his himself she her hers herself it its itself they them their theirs "
    "themselves we us our ours ourselves i me my mine you your yours".split()
)
#: Words a NAM span must not begin with: the contract leaves determiners and titles out.
#: The extent pattern and its cheap pre-test (first letters) are both made from this tuple.
NAME_LEADING_WORDS: tuple[str, ...] = ("the", "a", "an", "mr", "mrs", "ms", "dr")
_LEADING_NOT_IN_NAME = re.compile(r"(?:" + "|".join(NAME_LEADING_WORDS) + r")\b\.?\s", re.IGNORECASE)
_LEADING_FIRST_LETTERS = frozenset(word[0] for word in NAME_LEADING_WORDS)
#: The same pattern at the start of any line of several names joined by line breaks.
_LEADING_IN_LINES = re.compile(r"(?:^|\n)(?:" + "|".join(NAME_LEADING_WORDS) + r")\b\.?\s", re.IGNORECASE)
#: Zones a mention may lie in (any zone but boilerplate).
_MENTION_ZONES = frozenset(ZONE_TYPES) - {"boilerplate"}
_START, _END, _TEXT = attrgetter("start"), attrgetter("end"), attrgetter("text")
_ID, _TYPE, _ENTITY = attrgetter("id"), attrgetter("type"), attrgetter("entity")
_CONTENT, _CUE, _TRIGGER = attrgetter("content"), attrgetter("cue"), attrgetter("trigger")


@dataclass
class CheckContext:
    """What every check sees: the record, its text (None when unreadable), how to name the
    file, and which parts of the file the record covers (all of it unless the schema failed)."""

    record: AnnotationFile
    text: str | None
    shown_as: str
    coverage: Coverage = WHOLE

    def problem(self, pointer: str, code: str, message: str) -> Problem:
        return Problem(self.shown_as, pointer, code, message)

    def at(self, layer: str, index: int, *rest: object) -> str:
        """The JSON pointer of the ``index``-th record of ``layer`` (plus ``rest``) in the file."""
        base = self.coverage.pointer(layer, index)
        return base + "".join(f"/{part}" for part in rest)

    @cached_property
    def zones(self) -> ZoneIndex:
        return ZoneIndex(self.record.zones)

    @cached_property
    def mention_by_id(self) -> dict[str, Mention]:
        """The mentions by id (the last one, if an id is repeated)."""
        return dict(zip(map(_ID, self.record.mentions), self.record.mentions))

    @property
    def size(self) -> int:
        """The text's length; unbounded when there is no text (range checks then pass)."""
        return len(self.text) if self.text is not None else 2**63


Check = Callable[[CheckContext], Iterator[Problem]]


def _span_walk(record: AnnotationFile) -> Iterator[tuple[str, int, str, int, int, str]]:
    """Every span of a record as ``(layer, index, pointer suffix, start, end, stored text)``."""
    for i, z in enumerate(record.zones):
        yield "zones", i, "", z.start, z.end, z.text
    for i, m in enumerate(record.mentions):
        yield "mentions", i, "", m.start, m.end, m.text
    for i, q in enumerate(record.quotes):
        for j, s in enumerate(q.content):
            yield "quotes", i, f"/content/{j}", s.start, s.end, s.text
        for j, s in enumerate(q.cue or ()):
            yield "quotes", i, f"/cue/{j}", s.start, s.end, s.text
    for i, v in enumerate(record.events):
        yield "events", i, "/trigger", v.trigger.start, v.trigger.end, v.trigger.text


def _all_spans(record: AnnotationFile) -> list[Span | Zone | Mention]:
    """Every span-like annotation of a record, in no particular order."""
    return [*record.zones, *record.mentions,
            *chain.from_iterable(map(_CONTENT, record.quotes)),
            *chain.from_iterable(filter(None, map(_CUE, record.quotes))),
            *map(_TRIGGER, record.events)]


def _no_outer_space(texts: list[str]) -> bool:
    """Whether no text begins or ends with white space (and none is empty)."""
    try:
        edges = "".join(map(itemgetter(0), texts)) + "".join(map(itemgetter(-1), texts))
    except IndexError:
        return False
    return not edges or edges.split() == [edges]


def spans_sound(text: str, spans: list[Any]) -> bool:
    """Whether every span lies in the text, holds its slice and has no outer white space,
    tested field by field over all spans at once (C-level passes, no per-span Python)."""
    if not spans:
        return True
    starts, ends, texts = list(map(_START, spans)), list(map(_END, spans)), list(map(_TEXT, spans))
    return (min(starts) >= 0 and max(ends) <= len(text) and all(map(lt, starts, ends))
            and list(map(text.__getitem__, map(slice, starts, ends))) == texts and _no_outer_space(texts))


def check_spans(ctx: CheckContext) -> Iterator[Problem]:
    """Offsets inside the text, stored text equal to the slice, no outer white space.

    All spans are first tested at once; only if one fails does the walk look at each span
    and build pointers and messages.
    """
    text = ctx.text
    if text is None or spans_sound(text, _all_spans(ctx.record)):
        return
    size = len(text)
    for layer, i, suffix, start, end, stored in _span_walk(ctx.record):
        if 0 <= start < end <= size and text[start:end] == stored \
                and not stored[0].isspace() and not stored[-1].isspace():
            continue
        pointer = ctx.at(layer, i) + suffix
        if not 0 <= start < end <= size:
            yield ctx.problem(f"{pointer}/start", "span-range",
                              f"span [{start}, {end}) is not within the text "
                              f"(0 <= start < end <= {size}) for {quote_text(stored)}")
        elif text[start:end] != stored:
            yield ctx.problem(f"{pointer}/text", "span-text",
                              f"stored text {quote_text(stored)} differs from the text at "
                              f"[{start}, {end}): {quote_text(text[start:end])}")
        else:
            yield ctx.problem(pointer, "span-whitespace",
                              f"span {quote_text(stored)} starts or ends with white space")


def _in_range(ctx: CheckContext, start: int, end: int) -> bool:
    return 0 <= start < end <= ctx.size


def check_unique_ids(ctx: CheckContext) -> Iterator[Problem]:
    """Every id unique within the document."""
    layers = {
        "zones": ctx.record.zones, "entities": ctx.record.entities,
        "mentions": ctx.record.mentions, "quotes": ctx.record.quotes, "events": ctx.record.events,
    }
    ids = [item.id for items in layers.values() for item in items]
    if len(set(ids)) == len(ids):  # the common case: nothing to report
        return
    seen: dict[str, str] = {}
    for layer, items in layers.items():
        for i, item in enumerate(items):
            if item.id in seen:
                yield ctx.problem(ctx.at(layer, i, "id"), "duplicate-id",
                                  f"id {item.id!r} is already used at {seen[item.id]}")
            else:
                seen[item.id] = ctx.at(layer, i)


def check_zones(ctx: CheckContext) -> Iterator[Problem]:
    """Zones do not overlap and cover every non-white-space character."""
    if ctx.text is None:
        return
    zones = sorted(((i, z) for i, z in enumerate(ctx.record.zones) if _in_range(ctx, z.start, z.end)),
                   key=lambda iz: (iz[1].start, iz[1].end))
    previous = None
    covered_to = 0
    gaps: list[tuple[int, int]] = []
    for i, zone in zones:
        if previous is not None and zone.start < previous.end:
            yield ctx.problem(ctx.at("zones", i), "zone-overlap",
                              f"zone {zone.id} ({zone.type}) overlaps zone {previous.id} "
                              f"({previous.type}) at {zone.start}")
        if zone.start > covered_to:
            gaps.append((covered_to, zone.start))
        if previous is None or zone.end > previous.end:
            previous = zone
        covered_to = max(covered_to, zone.end)
    if "zones" in ctx.coverage.incomplete or not ctx.coverage.provenance_ok:
        return  # a left-out zone would show as a gap
    if not ctx.record.zones and ctx.record.provenance["zones"].status == "not_started":
        return
    gaps.append((covered_to, len(ctx.text)))
    for gap_start, gap_end in gaps:
        piece = ctx.text[gap_start:gap_end]
        if piece.strip():
            start = gap_start + len(piece) - len(piece.lstrip())
            end = gap_start + len(piece.rstrip())
            yield ctx.problem("/zones", "zone-gap",
                              f"text at [{start}, {end}) is in no zone: {quote_text(ctx.text[start:end])}")


def _zone_known(ctx: CheckContext) -> bool:
    """Whether outside-zone findings can be trusted: zones annotated and all of them readable."""
    return bool(ctx.record.zones) and "zones" not in ctx.coverage.incomplete


def _mentions_clear(ctx: CheckContext) -> bool:
    """Whether :func:`check_mentions` can have nothing to report, tested field by field over all
    mentions at once: all in range, none overlapping the next, each of its entity's type, each
    inside a zone that is not boilerplate, every extent plainly fine, every entity used."""
    mentions, entities = ctx.record.mentions, ctx.record.entities
    if not mentions:
        return not entities
    starts, ends = list(map(_START, mentions)), list(map(_END, mentions))
    if min(starts) < 0 or max(ends) > ctx.size or not all(map(lt, starts, ends)):
        return False
    ordered = sorted(zip(starts, ends))
    if any(map(lt, map(itemgetter(0), ordered[1:]), map(itemgetter(1), ordered))):
        return False
    types = dict(zip(map(_ID, entities), map(_TYPE, entities)))
    if list(map(types.get, map(_ENTITY, mentions))) != list(map(_TYPE, mentions)) or len(types) != len(set(map(_ENTITY, mentions))):
        return False
    if _zone_known(ctx) and not ctx.zones.all_inside(starts, ends, _MENTION_ZONES):
        return False
    pronouns, names = [], []
    for m in mentions:
        if m.mention_type == "PRO":
            pronouns.append(m.text)
        elif m.mention_type != "NOM" and m.type != "TIME":
            names.append(m.text)
    joined = "\n".join(names)
    return (PRONOUNS.issuperset(map(str.lower, pronouns)) and PRONOUNS.isdisjoint(map(str.lower, names))
            and _LEADING_IN_LINES.search(joined) is None)


def check_mentions(ctx: CheckContext) -> Iterator[Problem]:
    """Mentions are flat, point at an entity of their type, and follow the extent rules."""
    if _mentions_clear(ctx):
        return
    mentions = ctx.record.mentions
    entities = {e.id: e for e in ctx.record.entities}
    size = ctx.size
    # (start, end, index) tuples sort as a stable sort by (start, end) would
    order = sorted((m.start, m.end, i) for i, m in enumerate(mentions) if 0 <= m.start < m.end <= size)
    for (_, a_end, a), (b_start, _, j) in zip(order, order[1:]):
        if b_start < a_end:
            first, second = mentions[a], mentions[j]
            yield ctx.problem(ctx.at("mentions", j), "mention-overlap",
                              f"mention {second.id} {quote_text(second.text)} overlaps mention {first.id} "
                              f"{quote_text(first.text)}; mentions must be flat")
    zoned = _zone_known(ctx)
    for i, m in enumerate(mentions):
        entity = entities.get(m.entity)
        if entity is None:
            if not ctx.coverage.may_exist(m.entity, "entities"):
                yield ctx.problem(ctx.at("mentions", i, "entity"), "dangling-reference",
                                  f"mention {m.id} {quote_text(m.text)} points at entity "
                                  f"{m.entity!r}, which does not exist")
        elif entity.type != m.type:
            yield ctx.problem(ctx.at("mentions", i, "type"), "type-mismatch",
                              f"mention {m.id} {quote_text(m.text)} is {m.type} but its entity "
                              f"{entity.id} ({entity.name}) is {entity.type}")
        if zoned:
            zone = ctx.zones.zone_of(m.start, m.end)
            if zone in (None, "boilerplate") and 0 <= m.start < m.end <= size:
                yield ctx.problem(ctx.at("mentions", i), "outside-zone",
                                  f"mention {m.id} {quote_text(m.text)} is "
                                  f"{'in boilerplate' if zone else 'not inside one zone'}; "
                                  "boilerplate is not annotated")
        if m.mention_type != "NOM" and _extent_suspect(m):
            yield from _mention_extent(ctx, i, m)
    if "mentions" in ctx.coverage.incomplete:
        return  # a left-out mention may be an entity's only one
    used = {m.entity for m in mentions}
    for i, e in enumerate(ctx.record.entities):
        if e.id not in used:
            yield ctx.problem(ctx.at("entities", i), "empty-entity",
                              f"entity {e.id} ({e.name}) has no mentions")


def _extent_suspect(m: Mention) -> bool:
    """Cheap pre-test: could :func:`_mention_extent` report anything for ``m``?"""
    lower = m.text.lower()
    if m.mention_type == "PRO":
        return lower not in PRONOUNS
    return m.type != "TIME" and (lower in PRONOUNS or (
        lower[:1] in _LEADING_FIRST_LETTERS and _LEADING_NOT_IN_NAME.match(m.text) is not None))


def _mention_extent(ctx: CheckContext, i: int, m: Mention) -> Iterator[Problem]:
    if m.mention_type == "PRO":
        if m.text.lower() not in PRONOUNS:
            yield ctx.problem(ctx.at("mentions", i, "mention_type"), "pro-not-pronoun",
                              f"mention {m.id} {quote_text(m.text)} is PRO but is not a pronoun")
    elif m.mention_type == "NAM" and m.type != "TIME":
        if _LEADING_NOT_IN_NAME.match(m.text):
            yield ctx.problem(ctx.at("mentions", i, "text"), "name-extent",
                              f"name mention {m.id} {quote_text(m.text)} begins with a "
                              "determiner or title; leave it out of the span")
        if m.text.lower() in PRONOUNS and m.text in (m.text.lower(), m.text.capitalize()):  # not "US"
            yield ctx.problem(ctx.at("mentions", i, "mention_type"), "pronoun-as-name",
                              f"mention {m.id} {quote_text(m.text)} is a pronoun; use PRO")


def check_time_values(ctx: CheckContext) -> Iterator[Problem]:
    """A TIME entity has a TIMEX3 value; no other entity has a value or a mod."""
    for i, e in enumerate(ctx.record.entities):
        if e.type == "TIME" and e.value is None:
            yield ctx.problem(ctx.at("entities", i, "value"), "time-value",
                              f"TIME entity {e.id} ({e.name}) has no value; give its TIMEX3 value "
                              "resolved against the publication date (e.g. 2010-11-01, PRESENT_REF)")
        elif e.type != "TIME" and (e.value is not None or e.mod is not None):
            yield ctx.problem(ctx.at("entities", i, "value" if e.value is not None else "mod"), "time-value",
                              f"{e.type} entity {e.id} ({e.name}) has a time value or mod; only TIME "
                              "entities take them")


def check_quotes(ctx: CheckContext) -> Iterator[Problem]:
    """Quote references resolve and fit, parents form no cycle, marks fit the type."""
    mentions = ctx.mention_by_id
    quote_ids = {q.id for q in ctx.record.quotes}
    zoned = _zone_known(ctx)
    if zoned:  # one pass over all content spans; each is looked at only if one is outside
        contents = list(chain.from_iterable(map(_CONTENT, ctx.record.quotes)))
        zoned = not ctx.zones.all_inside(list(map(_START, contents)), list(map(_END, contents)), CONTENT_ZONES)
    for i, q in enumerate(ctx.record.quotes):
        for field_name in ("source", "via", "addressee"):
            ref = getattr(q, field_name)
            if ref is None:
                continue
            m = mentions.get(ref)
            if m is None:
                if not ctx.coverage.may_exist(ref, "mentions"):
                    yield ctx.problem(f"{ctx.at('quotes', i)}/{field_name}", "dangling-reference",
                                      f"quote {q.id} {field_name} {ref!r} is not a mention")
            elif m.type not in QUOTE_PARTY_TYPES:
                yield ctx.problem(f"{ctx.at('quotes', i)}/{field_name}", "role-type",
                                  f"quote {q.id} {field_name} {m.id} {quote_text(m.text)} is "
                                  f"{m.type}; it must be one of {', '.join(QUOTE_PARTY_TYPES)}")
        if q.parent is not None and q.parent not in quote_ids and not ctx.coverage.may_exist(q.parent, "quotes"):
            yield ctx.problem(f"{ctx.at('quotes', i)}/parent", "dangling-reference",
                              f"quote {q.id} parent {q.parent!r} is not a quote")
        if (q.cue is None) != q.implicit_source:
            yield ctx.problem(f"{ctx.at('quotes', i)}/implicit_source", "implicit-source",
                              f"quote {q.id}: a quote has no cue exactly when its source is "
                              "implicit (a continuation); set cue and implicit_source accordingly")
        for j, cue in enumerate(q.cue or ()):
            if any(cue.start < c.end and c.start < cue.end for c in q.content):
                yield ctx.problem(f"{ctx.at('quotes', i)}/cue/{j}", "cue-in-content",
                                  f"quote {q.id} cue {quote_text(cue.text)} overlaps its content")
        yield from _quote_marks(ctx, i, q.id, q.type, q.content)
        if zoned:
            for j, span in enumerate(q.content):
                if ctx.zones.zone_of(span.start, span.end) not in CONTENT_ZONES:
                    yield ctx.problem(f"{ctx.at('quotes', i)}/content/{j}", "outside-zone",
                                      f"quote {q.id} content {quote_text(span.text)} is not inside "
                                      "one title, subheading or body zone")
    yield from _parent_cycles(ctx)


def _quote_marks(ctx: CheckContext, i: int, qid: str, qtype: str, content: tuple[Span, ...]) -> Iterator[Problem]:
    if qtype == "direct":
        for j, span in enumerate(content):
            if not (span.text[:1] in OPENING_MARKS and span.text[-1:] in CLOSING_MARKS):
                yield ctx.problem(f"{ctx.at('quotes', i)}/content/{j}", "quote-marks",
                                  f"direct quote {qid} content {quote_text(span.text)} must begin "
                                  "and end with quotation marks")
    else:
        quoted = [s for s in content if _OPENING_MARK.search(s.text)]
        if qtype == "indirect" and quoted:
            yield ctx.problem(f"{ctx.at('quotes', i)}/type", "quote-marks",
                              f"indirect quote {qid} content {quote_text(quoted[0].text)} has "
                              "quotation marks; make it mixed or direct")
        if qtype == "mixed" and not quoted:
            yield ctx.problem(f"{ctx.at('quotes', i)}/type", "quote-marks",
                              f"mixed quote {qid} has no quoted fragment in its content; make it indirect")
        if qtype == "mixed" and quoted and all(
            s.text[:1] in OPENING_MARKS and s.text[-1:] in CLOSING_MARKS for s in content
        ):
            yield ctx.problem(f"{ctx.at('quotes', i)}/type", "quote-marks",
                              f"mixed quote {qid} is entirely in quotation marks; make it direct")


def _parent_cycles(ctx: CheckContext) -> Iterator[Problem]:
    parents = {q.id: q.parent for q in ctx.record.quotes}
    index = {q.id: i for i, q in enumerate(ctx.record.quotes)}
    reported: set[str] = set()
    for start in parents:
        path, node = [], start
        while node is not None and node in parents and node not in path:
            path.append(node)
            node = parents[node]
        if node is not None and node in path:
            cycle = path[path.index(node):]
            key = min(cycle)
            if key not in reported:
                reported.add(key)
                yield ctx.problem(ctx.at("quotes", index[key], "parent"), "parent-cycle",
                                  "quote parents form a cycle: " + " -> ".join([*cycle, node]))


def check_events(ctx: CheckContext) -> Iterator[Problem]:
    """Arguments resolve and fit their roles, triggers sit in content, clusters share a type."""
    mentions = ctx.mention_by_id
    cluster_type: dict[str, tuple[str, str]] = {}
    zoned = _zone_known(ctx)
    if zoned:  # one pass over all triggers; each is looked at only if one is outside
        triggers = list(map(_TRIGGER, ctx.record.events))
        zoned = not ctx.zones.all_inside(list(map(_START, triggers)), list(map(_END, triggers)), CONTENT_ZONES)
    for i, v in enumerate(ctx.record.events):
        if zoned and ctx.zones.zone_of(v.trigger.start, v.trigger.end) not in CONTENT_ZONES:
            yield ctx.problem(f"{ctx.at('events', i)}/trigger", "outside-zone",
                              f"event {v.id} trigger {quote_text(v.trigger.text)} is not inside "
                              "one title, subheading or body zone")
        seen = set()
        for j, arg in enumerate(v.arguments):
            m = mentions.get(arg.mention)
            if (arg.role, arg.mention) in seen:
                yield ctx.problem(f"{ctx.at('events', i)}/arguments/{j}", "duplicate-argument",
                                  f"event {v.id} lists {arg.role} {arg.mention} twice")
            seen.add((arg.role, arg.mention))
            if m is None:
                if not ctx.coverage.may_exist(arg.mention, "mentions"):
                    yield ctx.problem(f"{ctx.at('events', i)}/arguments/{j}/mention", "dangling-reference",
                                      f"event {v.id} {arg.role} {arg.mention!r} is not a mention")
            elif m.type not in ROLE_FILLERS[arg.role]:
                yield ctx.problem(f"{ctx.at('events', i)}/arguments/{j}/mention", "role-type",
                                  f"event {v.id} {arg.role} {m.id} {quote_text(m.text)} is "
                                  f"{m.type}; {arg.role} takes {', '.join(ROLE_FILLERS[arg.role])}")
        first = cluster_type.setdefault(v.cluster, (v.type, v.id))
        if first[0] != v.type:
            yield ctx.problem(f"{ctx.at('events', i)}/cluster", "cluster-type",
                              f"event {v.id} ({v.type}) is in cluster {v.cluster} with "
                              f"{first[1]} ({first[0]}); one cluster, one type")


def _real_date(value: str) -> datetime.date | None:
    """The date a YYYY, YYYY-MM or YYYY-MM-DD string names (its first day), or None if none."""
    padded = {4: f"{value}-01-01", 7: f"{value}-01", 10: value}.get(len(value))
    try:
        return datetime.date.fromisoformat(padded) if padded else None
    except ValueError:
        return None


def check_dates(ctx: CheckContext) -> Iterator[Problem]:
    """Dates are calendar dates; the publication date fits its precision and lies within its bounds."""
    published = ctx.record.document.published
    if ctx.coverage.document_ok:
        if published.value is not None:
            expected = {4: "year", 7: "month", 10: "day"}.get(len(published.value))
            if _real_date(published.value) is None:
                yield ctx.problem("/document/published/value", "bad-date",
                                  f"{published.value!r} is not a calendar date")
            elif published.precision != expected:
                yield ctx.problem("/document/published/precision", "bad-date",
                                  f"precision {published.precision!r} does not fit the value "
                                  f"{published.value!r} (a {expected})")
        for field_name in ("not_before", "not_after"):
            bound = getattr(published, field_name)
            if bound is not None and _real_date(bound) is None:
                yield ctx.problem(f"/document/published/{field_name}", "bad-date",
                                  f"{bound!r} is not a calendar date")
        if (published.not_before and published.not_after and _real_date(published.not_before)
                and _real_date(published.not_after) and published.not_before > published.not_after):
            yield ctx.problem("/document/published/not_after", "bad-date",
                              f"not_after {published.not_after} is before not_before {published.not_before}")
    if ctx.coverage.provenance_ok:
        for layer, prov in ctx.record.provenance.items():
            for field_name in ("annotated_on", "checked_on"):
                day = getattr(prov, field_name)
                if day is not None and _real_date(day) is None:
                    yield ctx.problem(f"/provenance/{layer}/{field_name}", "bad-date",
                                      f"{day!r} is not a calendar date")


def check_provenance(ctx: CheckContext) -> Iterator[Problem]:
    """A layer marked not started is empty; a complete one says who annotated it and when."""
    if not ctx.coverage.provenance_ok:
        return
    record = ctx.record
    contents = {
        "zones": record.zones, "entities": record.mentions or record.entities,
        "quotes": record.quotes, "events": record.events,
    }
    for layer, prov in record.provenance.items():
        if prov.status == "not_started" and contents.get(layer):
            yield ctx.problem(f"/provenance/{layer}/status", "provenance",
                              f"layer {layer} has annotations but is marked not_started")
        if prov.status == "complete" and not (prov.annotated_by and prov.annotated_on):
            yield ctx.problem(f"/provenance/{layer}", "provenance",
                              f"layer {layer} is complete but does not say who annotated it and when")


CHECKS: tuple[Check, ...] = (
    check_spans, check_unique_ids, check_zones, check_mentions, check_time_values, check_quotes,
    check_events, check_dates, check_provenance,
)


def run_checks(record: AnnotationFile, text: str | None, shown_as: str,
               coverage: Coverage = WHOLE) -> list[Problem]:
    """Every semantic problem of one annotation file, in check order."""
    ctx = CheckContext(record, text, shown_as, coverage)
    return [problem for check in CHECKS for problem in check(ctx)]
