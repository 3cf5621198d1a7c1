"""From one annotation file to the columns of every published config.

Each config has one builder, which makes the document's columns directly (see
:mod:`.columns`): a list per leaf field built by comprehension over the records, offsets
for nested lists, label *names* that :func:`.columns.to_table` turns into ClassLabel ids.
There are no row dicts on the way to Parquet; :func:`config_rows` gives rows for tests and
the card's examples. Annotations are ordered by position (they already are in a canonical
file; sorting here makes the output independent of file order). A list is never null (an
empty list means none). The sentences and tokens are made once per document and feed
``mentions``, ``events``, ``ner``, ``mentions_iob`` and ``coref``.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from typing import Any

from datasets import ClassLabel, List

from ..model.labels import LAYERS
from ..model.records import AnnotationFile, Event, Mention, Quote, Span, Zone
from ..model.segment import Sentence, SentenceFinder, sentences
from ..model.zones import ZoneIndex
from .columns import (
    Block,
    Nested,
    RowShapeError,
    Struct,
    nested,
    nested_blocks,
    rows_of,
)

__all__ = ["RowShapeError", "annotation_value_from_row", "config_blocks", "config_rows", "corpus_key",
           "decode", "sentence_row_id"]


def corpus_key(doc_id: str, local_id: str | None) -> str | None:
    """The corpus-wide key of a per-document id: ``DOC_ID:ID``."""
    return None if local_id is None else f"{doc_id}:{local_id}"


def sentence_row_id(doc_id: str, index: int) -> str:
    """The id of a ``ner`` / ``mentions_iob`` row: ``DOC_ID-NNNN`` (sentence index)."""
    return f"{doc_id}-{index:04d}"


def _keys(doc_id: str, ids: list[str | None]) -> list[str | None]:
    prefix = f"{doc_id}:"
    return [None if i is None else prefix + i for i in ids]


def _spans(spans: list[Span]) -> Block:
    return {"start": [s.start for s in spans], "end": [s.end for s in spans], "text": [s.text for s in spans]}


class _Located:
    """The document's sentences (the ``ner`` tokenisation), asked where spans lie.

    A span whose edges are token edges within one sentence (every mention: tokens are cut at
    mention edges) is found by two dict lookups; any other by bisection.
    """

    def __init__(self, sents: list[Sentence], text: str) -> None:
        self.sents = sents
        self.find = SentenceFinder(sents)
        self.index = {id(s): i for i, s in enumerate(sents)}
        self.text = text
        self._texts: dict[int, str] = {}
        # the tokens of all sentences in one run: offsets, and which sentence each is in
        self.starts = list(itertools.chain.from_iterable(s.token_starts for s in sents))
        self.ends = list(itertools.chain.from_iterable(s.token_ends for s in sents))
        self.counts = [len(s.token_starts) for s in sents]
        self.first_token = [0, *itertools.accumulate(self.counts)][:-1]  # each sentence's first token
        self.sentence_of: list[int] = []  # the sentence of each token
        self.sentence_end: list[int] = []  # for each token, the index after its sentence's last token
        for i, (first, count) in enumerate(zip(self.first_token, self.counts)):
            self.sentence_of.extend([i] * count)
            self.sentence_end.extend([first + count] * count)
        self.token_at = dict(zip(self.starts, range(len(self.starts))))  # token starting at an offset
        self.token_before = dict(zip(self.ends, range(1, len(self.ends) + 1)))  # the one after the token ending there

    def _tokens(self, start: int, end: int) -> tuple[int, int, int] | None:
        """``(sentence, first token, token after the last)`` of a span whose edges are token
        edges within one sentence (token indexes counted in the sentence), else None."""
        first, after = self.token_at.get(start), self.token_before.get(end)
        if first is None or after is None or after <= first:
            return None
        sentence = self.sentence_of[first]
        if self.sentence_of[after - 1] != sentence:
            return None
        base = self.first_token[sentence]
        return sentence, first - base, after - base

    def at(self, start: int, end: int) -> int | None:
        """The index of the sentence holding the span (where it starts), or None."""
        tokens = self._tokens(start, end)
        if tokens is not None:
            return tokens[0]
        found = self.find(start, end)
        return None if found is None else self.index[id(found)]

    def sentence_text(self, index: int) -> str:
        if index not in self._texts:
            self._texts[index] = self.sents[index].text_of(self.text)
        return self._texts[index]

    def sentence_columns(self, spans: list[tuple[int, int]]) -> Block:
        """``sentence``, ``sentence_start`` and ``sentence_index`` of each span (null outside
        every sentence, e.g. in boilerplate)."""
        found = [self.at(start, end) for start, end in spans]
        return {"sentence": [None if f is None else self.sentence_text(f) for f in found],
                "sentence_start": [None if f is None else self.sents[f].start for f in found],
                "sentence_index": found}

    def token_columns(self, spans: list[tuple[int, int]]) -> Block:
        """The sentence index and the tokens (``token_start`` up to ``token_end``, exclusive)
        that cover each span; null outside every sentence."""
        index, first, last = [], [], []
        for start, end in spans:
            tokens = self._tokens(start, end)
            if tokens is not None:
                index.append(tokens[0]), first.append(tokens[1]), last.append(tokens[2])
                continue
            found = self.find(start, end)
            if found is None:
                index.append(None), first.append(None), last.append(None)
                continue
            # tokens are sorted and never overlap: those with end > start and start < end
            low = bisect_right(found.token_ends, start)
            high = bisect_left(found.token_starts, end)
            index.append(self.index[id(found)])
            first.append(low if low < high else None)
            last.append(high if low < high else None)
        return {"sentence_index": index, "token_start": first, "token_end": last}


def _by_position(record: AnnotationFile) -> tuple[list[Zone], list[Mention], list[Quote], list[Event]]:
    return (sorted(record.zones, key=lambda z: (z.start, z.end)),
            sorted(record.mentions, key=lambda m: (m.start, m.end)),
            sorted(record.quotes, key=lambda q: (q.content[0].start, q.id)),
            sorted(record.events, key=lambda v: (v.trigger.start, v.id)))


def _document_block(record: AnnotationFile, text: str, zones: list[Zone], mentions: list[Mention],
                    quotes: list[Quote], events: list[Event]) -> Block:
    """The ``documents`` row: the whole annotation file plus its text (a quote without a cue
    has ``cue: []`` here, null in the file)."""
    doc = record.document
    provenance = {layer: Struct({
        "status": [p.status], "annotated_by": nested([list(p.annotated_by)]), "annotated_on": [p.annotated_on],
        "checked_by": nested([list(p.checked_by)]), "checked_on": [p.checked_on], "notes": [p.notes],
    }) for layer in LAYERS for p in (record.provenance[layer],)}
    entities = record.entities
    contents = [list(q.content) for q in quotes]
    cues = [list(q.cue or ()) for q in quotes]
    return {
        "id": [doc.id], "title": [doc.title], "text": [text],
        "publisher": Struct({"name": [doc.publisher.name], "certainty": [doc.publisher.certainty],
                             "evidence": [doc.publisher.evidence]}),
        "published": Struct({"value": [doc.published.value], "precision": [doc.published.precision],
                             "not_before": [doc.published.not_before], "not_after": [doc.published.not_after],
                             "evidence": [doc.published.evidence]}),
        "language": [doc.language], "source_file": [doc.source_file], "text_sha256": [doc.text_sha256],
        "licence": [doc.licence], "schema_version": [record.schema_version],
        "provenance": Struct(provenance),
        "zones": nested_blocks([len(zones)], {"id": [z.id for z in zones], "type": [z.type for z in zones],
                                              **_spans(zones)}),
        "entities": nested_blocks([len(entities)], {
            "id": [e.id for e in entities], "type": [e.type for e in entities], "name": [e.name for e in entities],
            "wikipedia": [e.wikipedia for e in entities], "value": [e.value for e in entities],
            "mod": [e.mod for e in entities]}),
        "mentions": nested_blocks([len(mentions)], {
            "id": [m.id for m in mentions], "entity": [m.entity for m in mentions], "type": [m.type for m in mentions],
            "mention_type": [m.mention_type for m in mentions], **_spans(mentions),
            "metonymy": [m.metonymy for m in mentions]}),
        "quotes": nested_blocks([len(quotes)], {
            "id": [q.id for q in quotes], "type": [q.type for q in quotes],
            "content": nested_blocks([len(c) for c in contents], _spans([s for c in contents for s in c])),
            "cue": nested_blocks([len(c) for c in cues], _spans([s for c in cues for s in c])),
            "source": [q.source for q in quotes], "implicit_source": [q.implicit_source for q in quotes],
            "via": [q.via for q in quotes], "addressee": [q.addressee for q in quotes],
            "parent": [q.parent for q in quotes]}),
        "events": nested_blocks([len(events)], {
            "id": [v.id for v in events], "type": [v.type for v in events],
            "trigger": Struct(_spans([v.trigger for v in events])), "realis": [v.realis for v in events],
            "arguments": nested_blocks([len(v.arguments) for v in events], {
                "role": [a.role for v in events for a in v.arguments],
                "mention": [a.mention for v in events for a in v.arguments]}),
            "cluster": [v.cluster for v in events]}),
    }


def _mention_block(record: AnnotationFile, text: str, mentions: list[Mention], located: _Located) -> Block:
    doc_id = record.doc_id
    by_id = {e.id: e for e in record.entities}
    entities = [by_id[m.entity] for m in mentions]
    zones = ZoneIndex(record.zones)
    return {
        "doc_id": [doc_id] * len(mentions), "mention_id": [m.id for m in mentions],
        "mention_key": _keys(doc_id, [m.id for m in mentions]), **_spans(mentions),
        "type": [m.type for m in mentions], "mention_type": [m.mention_type for m in mentions],
        "metonymy": [m.metonymy for m in mentions], "entity_id": [m.entity for m in mentions],
        "entity_key": _keys(doc_id, [m.entity for m in mentions]), "entity_name": [e.name for e in entities],
        "entity_wikipedia": [e.wikipedia for e in entities], "entity_value": [e.value for e in entities],
        "entity_mod": [e.mod for e in entities], "zone": [zones.zone_of(m.start, m.end) for m in mentions],
        **located.sentence_columns([(m.start, m.end) for m in mentions]),
    }


def _party_block(doc_id: str, ids: list[str | None], mentions: dict[str, Mention],
                 names: dict[str, str]) -> Block:
    """Mentions as role fillers: ids, keys, offsets, text and entity (None rows stay None)."""
    found = [None if i is None else mentions[i] for i in ids]
    entity_ids = [None if m is None else m.entity for m in found]
    return {"mention_id": ids, "mention_key": _keys(doc_id, ids),
            "start": [None if m is None else m.start for m in found],
            "end": [None if m is None else m.end for m in found],
            "text": [None if m is None else m.text for m in found],
            "entity_id": entity_ids, "entity_key": _keys(doc_id, entity_ids),
            "entity_name": [None if e is None else names[e] for e in entity_ids]}


def _party(doc_id: str, ids: list[str | None], mentions: dict[str, Mention], names: dict[str, str]) -> Struct:
    return Struct(_party_block(doc_id, ids, mentions, names), [i is not None for i in ids])


def _quote_block(record: AnnotationFile, quotes: list[Quote]) -> Block:
    doc_id = record.doc_id
    mentions = {m.id: m for m in record.mentions}
    names = {e.id: e.name for e in record.entities}
    zones = ZoneIndex(record.zones)
    contents = [list(q.content) for q in quotes]
    cues = [list(q.cue or ()) for q in quotes]
    return {
        "doc_id": [doc_id] * len(quotes), "quote_id": [q.id for q in quotes],
        "quote_key": _keys(doc_id, [q.id for q in quotes]), "type": [q.type for q in quotes],
        "start": [min(s.start for s in c) for c in contents], "end": [max(s.end for s in c) for c in contents],
        "content": nested_blocks([len(c) for c in contents], _spans([s for c in contents for s in c])),
        "content_text": [" … ".join(s.text for s in c) for c in contents],
        "cue": nested_blocks([len(c) for c in cues], _spans([s for c in cues for s in c])),
        "cue_text": [" … ".join(s.text for s in c) if c else None for c in cues],
        "source": _party(doc_id, [q.source for q in quotes], mentions, names),
        "implicit_source": [q.implicit_source for q in quotes],
        "via": _party(doc_id, [q.via for q in quotes], mentions, names),
        "addressee": _party(doc_id, [q.addressee for q in quotes], mentions, names),
        "parent": [q.parent for q in quotes], "parent_key": _keys(doc_id, [q.parent for q in quotes]),
        "zone": [zones.zone_of(c[0].start, c[0].end) for c in contents],
    }


def _event_block(record: AnnotationFile, text: str, events: list[Event], located: _Located) -> Block:
    doc_id = record.doc_id
    mentions = {m.id: m for m in record.mentions}
    names = {e.id: e.name for e in record.entities}
    arguments = [a for v in events for a in v.arguments]
    return {
        "doc_id": [doc_id] * len(events), "event_id": [v.id for v in events],
        "event_key": _keys(doc_id, [v.id for v in events]), "type": [v.type for v in events],
        "realis": [v.realis for v in events], "trigger": Struct(_spans([v.trigger for v in events])),
        "arguments": nested_blocks([len(v.arguments) for v in events], {
            "role": [a.role for a in arguments],
            **_party_block(doc_id, [a.mention for a in arguments], mentions, names)}),
        "cluster": [v.cluster for v in events], "cluster_key": _keys(doc_id, [v.cluster for v in events]),
        **located.sentence_columns([(v.trigger.start, v.trigger.end) for v in events]),
    }


def _sentence_block(record: AnnotationFile, sents: list[Sentence], tokens: _Located) -> Block:
    """The columns ``ner`` and ``mentions_iob`` share: one row per sentence, its tokens (and
    where the tags go, in the declared order: see :func:`_tagged`)."""
    doc_id = record.doc_id
    token_rows = nested_blocks(tokens.counts, {"start": tokens.starts, "end": tokens.ends})
    return {
        "id": [sentence_row_id(doc_id, i) for i in range(len(sents))], "doc_id": [doc_id] * len(sents),
        "sentence_index": list(range(len(sents))), "zone": [s.zone for s in sents],
        "sentence_start": [s.start for s in sents], "sentence_end": [s.end for s in sents],
        "tokens": Nested(token_rows.offsets, list(itertools.chain.from_iterable(s.token_texts for s in sents))),
        "ner_tags": None,  # type: ignore[dict-item]
        "token_offsets": token_rows,
    }


def _tagged(shared: Block, tags: Nested) -> Block:
    """A tagged config's block: the shared columns (the same objects) and its own tags."""
    return {name: tags if name == "ner_tags" else column for name, column in shared.items()}


def _tags(tokens: _Located, offsets: list[int], tagged: list[Mention]) -> Nested:
    """IOB2 tags of every sentence's tokens from ``tagged`` (tokens are cut at every mention edge)."""
    tags = ["O"] * len(tokens.starts)
    ends, sentence_end = tokens.ends, tokens.sentence_end
    for m in tagged:  # a tag per mention, not a test per token
        i = tokens.token_at.get(m.start)
        if i is None:
            continue  # the mention lies in no sentence (boilerplate)
        tags[i] = f"B-{m.type}"
        inside = f"I-{m.type}"
        last = sentence_end[i]
        i += 1
        while i < last and ends[i] <= m.end:
            tags[i] = inside
            i += 1
    return Nested(offsets, tags)


def _coref_block(record: AnnotationFile, mentions: list[Mention], events: list[Event], located: _Located) -> Block:
    """The document's entity clusters and event clusters, singletons kept and marked."""
    doc_id = record.doc_id
    members: dict[str, list[Mention]] = {e.id: [] for e in record.entities}
    for m in mentions:
        members[m.entity].append(m)
    entities = sorted(record.entities, key=lambda e: (members[e.id][0].start if members[e.id] else -1, e.id))
    chain = [m for e in entities for m in members[e.id]]
    clusters: dict[str, list[Event]] = {}
    for v in events:
        clusters.setdefault(v.cluster, []).append(v)
    grouped = [v for group in clusters.values() for v in group]
    return {
        "doc_id": [doc_id],
        "entities": nested_blocks([len(entities)], {
            "entity_id": [e.id for e in entities], "entity_key": _keys(doc_id, [e.id for e in entities]),
            "type": [e.type for e in entities], "name": [e.name for e in entities],
            "wikipedia": [e.wikipedia for e in entities], "value": [e.value for e in entities],
            "mod": [e.mod for e in entities], "singleton": [len(members[e.id]) == 1 for e in entities],
            "mentions": nested_blocks([len(members[e.id]) for e in entities], {
                "mention_id": [m.id for m in chain], "mention_key": _keys(doc_id, [m.id for m in chain]),
                **_spans(chain), "mention_type": [m.mention_type for m in chain],
                "metonymy": [m.metonymy for m in chain],
                **located.token_columns([(m.start, m.end) for m in chain])}),
        }),
        "event_clusters": nested_blocks([len(clusters)], {
            "cluster_id": list(clusters), "cluster_key": _keys(doc_id, list(clusters)),
            "type": [group[0].type for group in clusters.values()],
            "singleton": [len(group) == 1 for group in clusters.values()],
            "events": nested_blocks([len(group) for group in clusters.values()], {
                "event_id": [v.id for v in grouped], "event_key": _keys(doc_id, [v.id for v in grouped]),
                **_spans([v.trigger for v in grouped]), "realis": [v.realis for v in grouped],
                **located.token_columns([(v.trigger.start, v.trigger.end) for v in grouped])}),
        }),
    }


def _offset_lists(rows: list[list[list[int]]]) -> Nested:
    """A ``List(List(int))`` column: per row, a list of ``[start, end]`` pairs."""
    return Nested([0, *itertools.accumulate(map(len, rows))], nested(list(itertools.chain.from_iterable(rows))))


def _bigbio_block(record: AnnotationFile, text: str, mentions: list[Mention], quotes: list[Quote],
                  events: list[Event]) -> Block:
    """The document in BigBIO's KB schema.

    BigBIO's document text is its passages' texts joined by single spaces, and every offset
    points into that text. The passages are the zones in text order, so an offset here is the
    offset in the document's ``text`` minus the white space that the joining drops (or plus the
    space it inserts between two zones that touch); within a zone, the text is the same.
    Every id is prefixed with the document id (BigBIO wants ids unique in a split). A
    document whose zones are not annotated yet is one passage, of type ``document``.
    """
    doc_id = record.doc_id
    zones = sorted(record.zones, key=lambda z: (z.start, z.end)) or [Zone("text", "document", 0, len(text), text)]
    shifts: list[tuple[int, int, int]] = []  # (zone start, zone end, offset in the joined text)
    joined = 0
    for z in zones:
        shifts.append((z.start, z.end, joined))
        joined += len(z.text) + 1
    zone_starts = [shift[0] for shift in shifts]

    def moved(start: int, end: int) -> list[int]:
        # zones never overlap (the validator sees to it): only the last one starting at or
        # before the span can hold it
        index = bisect_right(zone_starts, start) - 1
        if index >= 0:
            zone_start, zone_end, at = shifts[index]
            if end <= zone_end:
                return [at + start - zone_start, at + end - zone_start]
        raise ValueError(f"{doc_id}: span {start}-{end} lies in no zone")  # the validator forbids it

    prefix = f"{doc_id}_"
    links_of: dict[str, list[tuple[str, str]]] = {}  # an entity's links, for each of its mentions
    for e in record.entities:
        links_of[e.id] = [*((("wikipedia", e.wikipedia),) if e.wikipedia else ()),
                          *((("timex3", e.value),) if e.value else ())]
    entity_ids = [prefix + m.id for m in mentions]
    entity_types = [m.type for m in mentions]
    entity_texts = [[m.text] for m in mentions]
    entity_offsets = [[moved(m.start, m.end)] for m in mentions]
    normalized = [links_of[m.entity] for m in mentions]
    relation_rows: list[tuple[str, str, str, str]] = []
    for q in quotes:
        entity_ids.append(f"{prefix}{q.id}_content")
        entity_types.append(f"{q.type}_quote")
        entity_texts.append([s.text for s in q.content])
        entity_offsets.append([moved(s.start, s.end) for s in q.content])
        normalized.append([])
        if q.cue:
            entity_ids.append(f"{prefix}{q.id}_cue")
            entity_types.append("quote_cue")
            entity_texts.append([s.text for s in q.cue])
            entity_offsets.append([moved(s.start, s.end) for s in q.cue])
            normalized.append([])
        parts = [("implicit_source" if q.implicit_source else "source", q.source),
                 ("cue", f"{q.id}_cue" if q.cue else None), ("via", q.via), ("addressee", q.addressee),
                 ("parent", f"{q.parent}_content" if q.parent else None)]
        relation_rows += [(f"{prefix}r_{q.id}_{role}", f"quote_{role}", f"{prefix}{q.id}_content", prefix + target)
                          for role, target in parts if target is not None]
    links = [pair for row in normalized for pair in row]
    members: dict[str, list[str]] = {e.id: [] for e in record.entities}
    for m in mentions:
        members[m.entity].append(prefix + m.id)
    chains = [e for e in record.entities if members[e.id]]
    arguments = [a for v in events for a in v.arguments]
    return {
        "id": [doc_id], "document_id": [doc_id],
        "passages": nested_blocks([len(zones)], {
            "id": [prefix + z.id for z in zones], "type": [z.type for z in zones],
            "text": nested([[z.text] for z in zones]),
            "offsets": _offset_lists([[[s[2], s[2] + len(z.text)]] for s, z in zip(shifts, zones)])}),
        "entities": nested_blocks([len(entity_ids)], {
            "id": entity_ids, "type": entity_types, "text": nested(entity_texts),
            "offsets": _offset_lists(entity_offsets),
            "normalized": nested_blocks([len(row) for row in normalized],
                                        {"db_name": [p[0] for p in links], "db_id": [p[1] for p in links]})}),
        "events": nested_blocks([len(events)], {
            "id": [prefix + v.id for v in events], "type": [v.type for v in events],
            "trigger": Struct({"text": nested([[v.trigger.text] for v in events]),
                               "offsets": _offset_lists([[moved(v.trigger.start, v.trigger.end)] for v in events])}),
            "arguments": nested_blocks([len(v.arguments) for v in events],
                                       {"role": [a.role for a in arguments],
                                        "ref_id": [prefix + a.mention for a in arguments]})}),
        "coreferences": nested_blocks([len(chains)], {
            "id": [prefix + e.id for e in chains], "entity_ids": nested([members[e.id] for e in chains])}),
        "relations": nested_blocks([len(relation_rows)], {
            "id": [r[0] for r in relation_rows], "type": [r[1] for r in relation_rows],
            "arg1_id": [r[2] for r in relation_rows], "arg2_id": [r[3] for r in relation_rows],
            "normalized": nested_blocks([0] * len(relation_rows), {"db_name": [], "db_id": []})}),
    }


def config_blocks(record: AnnotationFile, text: str) -> dict[str, Block]:
    """Every config's columns for one document (label names not yet ids)."""
    zones, mentions, quotes, events = _by_position(record)
    sents = sentences(record, text)
    located = _Located(sents, text)
    shared = _sentence_block(record, sents, located)  # the same column objects in both configs
    offsets = shared["tokens"].offsets  # type: ignore[union-attr]
    return {
        "documents": _document_block(record, text, zones, mentions, quotes, events),
        "mentions": _mention_block(record, text, mentions, located),
        "quotes": _quote_block(record, quotes),
        "events": _event_block(record, text, events, located),
        "ner": _tagged(shared, _tags(located, offsets, [m for m in mentions if m.mention_type == "NAM"])),
        "mentions_iob": _tagged(shared, _tags(located, offsets, mentions)),
        "coref": _coref_block(record, mentions, events, located),
        "bigbio_kb": _bigbio_block(record, text, mentions, quotes, events),
    }


def config_rows(record: AnnotationFile, text: str) -> dict[str, list[dict[str, Any]]]:
    """Every config's rows for one document as dicts (label names): for tests and examples."""
    return {config: rows_of(block) for config, block in config_blocks(record, text).items()}


def annotation_value_from_row(row: dict[str, Any], split: str) -> dict[str, Any]:
    """The annotation-file JSON value that a decoded ``documents`` row carries.

    A quote without a cue is ``cue: []`` in the row (releases before 2.0.0: null) and null in
    the file, where a cue, when present, has at least one span.
    """
    quotes = [{**q, "cue": q["cue"] or None} for q in row["quotes"]]
    return {
        "schema_version": row["schema_version"],
        "document": {
            "id": row["id"], "title": row["title"], "publisher": row["publisher"],
            "published": row["published"], "language": row["language"], "split": split,
            "source_file": row["source_file"], "text_sha256": row["text_sha256"],
            "licence": row["licence"],
        },
        "provenance": row["provenance"],
        "zones": row["zones"],
        "entities": row["entities"],
        "mentions": row["mentions"],
        "quotes": quotes,
        "events": row["events"],
    }


def decode(feature: Any, value: Any) -> Any:
    """ClassLabel ids back to label names, recursively, following the declared features."""
    if isinstance(feature, ClassLabel):
        return None if value is None else feature.int2str(value)
    if isinstance(feature, List):
        return None if value is None else [decode(feature.feature, v) for v in value]
    if isinstance(feature, dict):
        return None if value is None else {k: decode(f, value[k]) for k, f in feature.items()}
    return value
