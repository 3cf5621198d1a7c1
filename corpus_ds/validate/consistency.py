"""Warnings a reviewer should look at: likely omissions and inconsistencies.

These never fail validation; ``corpus-ds validate --warnings`` lists them.

- ``unannotated-name``: a surface form annotated as a name somewhere in the
  corpus occurs elsewhere (outside boilerplate) with no mention over it;
- ``type-conflict``: one surface form annotated with two different types
  (metonymic mentions are left out: their type is, by the contract, that of
  the referent they stand for, as "Brussels" for NATO);
- ``uncovered-quotation``: a pair of quotation marks in a content zone that no
  quote's content covers;
- ``argument-sentence``: an event argument outside its trigger's sentence
  (allowed only for headline events);
- ``not-annotated``: a layer whose status is still ``not_started``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ..authoring.anchors import occurrences
from ..model.labels import CONTENT_ZONES, LAYERS
from ..model.problems import WARNING, Problem, quote_text
from ..model.records import AnnotationFile
from ..model.segment import SentenceFinder, sentences
from ..model.zones import ZoneIndex


@dataclass(frozen=True)
class Annotated:
    """One valid annotation file with its text and how to name it."""

    record: AnnotationFile
    text: str
    shown_as: str


def _warn(doc: Annotated, pointer: str, code: str, message: str) -> Problem:
    return Problem(doc.shown_as, pointer, code, message, WARNING)


def _zone_type(record: AnnotationFile, pos: int) -> str | None:
    return ZoneIndex(record.zones).zone_at(pos)


def unannotated_names(docs: list[Annotated]) -> Iterator[Problem]:
    """Occurrences of annotated name forms that carry no mention."""
    where: dict[str, str] = {}
    for doc in docs:
        for m in doc.record.mentions:
            if m.mention_type == "NAM" and m.type != "TIME":
                where.setdefault(m.text, f"{doc.record.doc_id} {m.id}")
    for doc in docs:
        covered = bytearray(len(doc.text))
        for m in doc.record.mentions:
            covered[m.start:m.end] = b"\x01" * (m.end - m.start)
        for form in sorted(where):
            for start in occurrences(doc.text, form):
                end = start + len(form)
                if any(covered[start:end]):
                    continue
                if _zone_type(doc.record, start) in (None, "boilerplate"):
                    continue
                yield _warn(doc, "/mentions", "unannotated-name",
                            f"{quote_text(form)} at [{start}, {end}) has no mention, but is "
                            f"annotated as a name in {where[form]}")


def type_conflicts(docs: list[Annotated]) -> Iterator[Problem]:
    """Surface forms given more than one entity type across the corpus."""
    types: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    first: dict[str, tuple[Annotated, int]] = {}
    for doc in docs:
        for i, m in enumerate(doc.record.mentions):
            if m.mention_type == "NAM" and not m.metonymy:
                types[m.text][m.type].append(f"{doc.record.doc_id} {m.id}")
                first.setdefault(m.text, (doc, i))
    for form, by_type in sorted(types.items()):
        if len(by_type) > 1:
            doc, i = first[form]
            listing = "; ".join(f"{t}: {', '.join(places[:3])}" for t, places in sorted(by_type.items()))
            yield _warn(doc, f"/mentions/{i}", "type-conflict",
                        f"{quote_text(form)} is annotated with {len(by_type)} types ({listing})")


_PAIRS = (("“", "”"), ("‘", "’"), ("«", "»"))


def quotation_pairs(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each pair of quotation marks, the marks included."""
    for opening, closing in _PAIRS:
        for match in re.finditer(re.escape(opening) + r"[^" + re.escape(opening + closing) + r"]*"
                                 + re.escape(closing), text):
            yield match.start(), match.end()
    straight = [m.start() for m in re.finditer('"', text)]
    for a, b in zip(straight[::2], straight[1::2]):
        yield a, b + 1


def uncovered_quotations(doc: Annotated) -> Iterator[Problem]:
    spans = [(s.start, s.end) for q in doc.record.quotes for s in q.content]
    for start, end in sorted(quotation_pairs(doc.text)):
        if _zone_type(doc.record, start) not in CONTENT_ZONES:
            continue
        if any(s <= start and end <= e for s, e in spans):
            continue
        yield _warn(doc, "/quotes", "uncovered-quotation",
                    f"quotation {quote_text(doc.text[start:end])} at [{start}, {end}) is in no quote's content")


def argument_sentences(doc: Annotated) -> Iterator[Problem]:
    find = SentenceFinder(sentences(doc.record, doc.text))
    mentions = {m.id: m for m in doc.record.mentions}
    for i, v in enumerate(doc.record.events):
        if _zone_type(doc.record, v.trigger.start) == "title":
            continue
        home = find(v.trigger.start, v.trigger.end)
        for j, arg in enumerate(v.arguments):
            m = mentions.get(arg.mention)
            if m is None or home is None:
                continue
            if not (home.start <= m.start and m.end <= home.end):
                yield _warn(doc, f"/events/{i}/arguments/{j}", "argument-sentence",
                            f"event {v.id} {arg.role} {quote_text(m.text)} is outside the sentence "
                            f"of its trigger {quote_text(v.trigger.text)}")


def not_annotated(doc: Annotated) -> Iterator[Problem]:
    for layer in LAYERS:
        if doc.record.provenance[layer].status == "not_started":
            yield _warn(doc, f"/provenance/{layer}/status", "not-annotated",
                        f"layer {layer} is not annotated yet")


def corpus_warnings(docs: list[Annotated]) -> list[Problem]:
    """Every warning for a set of valid annotation files, grouped by file."""
    per_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in [*unannotated_names(docs), *type_conflicts(docs)]:
        per_file[problem.file].append(problem)
    for doc in docs:
        for problem in [*uncovered_quotations(doc), *argument_sentences(doc), *not_annotated(doc)]:
            per_file[problem.file].append(problem)
    return [p for doc in docs for p in per_file.get(doc.shown_as, [])]
