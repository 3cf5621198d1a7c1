"""From one annotation file to the rows of every published config.

Rows hold label *names*; :func:`encode` turns them into the ClassLabel ids of
the declared features just before writing. Annotations are ordered by
position (they already are in a canonical file; sorting here makes the output
independent of file order). One builder per config, plain Python; a list is
never null (an empty list means none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from datasets import ClassLabel, List

from ..model.records import AnnotationFile, Mention, Span, Zone, to_json
from ..model.segment import Sentence, SentenceFinder, sentences
from ..model.zones import ZoneIndex
from .features import CONFIG_FEATURES


def corpus_key(doc_id: str, local_id: str | None) -> str | None:
    """The corpus-wide key of a per-document id: ``DOC_ID:ID``."""
    return None if local_id is None else f"{doc_id}:{local_id}"


def sentence_row_id(doc_id: str, index: int) -> str:
    """The id of a ``ner`` / ``mentions_iob`` row: ``DOC_ID-NNNN`` (sentence index)."""
    return f"{doc_id}-{index:04d}"


def document_row(record: AnnotationFile, text: str) -> dict[str, Any]:
    """The ``documents`` row: the whole annotation file plus its text (a quote without a cue
    has ``cue: []`` here, null in the file)."""
    value = to_json(record)
    doc = value["document"]
    quotes = [{**q, "cue": q["cue"] or []} for q in value["quotes"]]
    return {
        "id": doc["id"],
        "title": doc["title"],
        "text": text,
        "publisher": doc["publisher"],
        "published": doc["published"],
        "language": doc["language"],
        "source_file": doc["source_file"],
        "text_sha256": doc["text_sha256"],
        "licence": doc["licence"],
        "schema_version": value["schema_version"],
        "provenance": value["provenance"],
        "zones": sorted(value["zones"], key=lambda z: (z["start"], z["end"])),
        "entities": value["entities"],
        "mentions": sorted(value["mentions"], key=lambda m: (m["start"], m["end"])),
        "quotes": sorted(quotes, key=lambda q: (q["content"][0]["start"], q["id"])),
        "events": sorted(value["events"], key=lambda v: (v["trigger"]["start"], v["id"])),
    }


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


def _span(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


class _Sentences:
    """The document's sentences (the ``ner`` tokenisation), asked where a span lies."""

    def __init__(self, sents: list[Sentence]) -> None:
        self.sents = sents
        self.index = {id(s): i for i, s in enumerate(sents)}
        self.find = SentenceFinder(sents)

    def at(self, start: int, end: int) -> tuple[int, Sentence] | None:
        found = self.find(start, end)
        return None if found is None else (self.index[id(found)], found)

    def fields(self, start: int, end: int, text: str) -> dict[str, Any]:
        """``sentence``, ``sentence_start`` and ``sentence_index`` of a span (null outside
        every sentence, e.g. in boilerplate)."""
        found = self.at(start, end)
        if found is None:
            return {"sentence": None, "sentence_start": None, "sentence_index": None}
        index, sentence = found
        return {"sentence": sentence.text_of(text), "sentence_start": sentence.start, "sentence_index": index}

    def tokens(self, start: int, end: int) -> dict[str, Any]:
        """The sentence index and the tokens (``token_start`` up to ``token_end``, exclusive) that
        cover ``[start, end)``; null outside every sentence."""
        found = self.at(start, end)
        if found is None:
            return {"sentence_index": None, "token_start": None, "token_end": None}
        index, sentence = found
        covering = [i for i, t in enumerate(sentence.tokens) if t.start < end and start < t.end]
        if not covering:
            return {"sentence_index": index, "token_start": None, "token_end": None}
        return {"sentence_index": index, "token_start": covering[0], "token_end": covering[-1] + 1}


def mention_rows(record: AnnotationFile, text: str, sents: _Sentences) -> Iterator[dict[str, Any]]:
    doc_id = record.doc_id
    entities = {e.id: e for e in record.entities}
    zones = ZoneIndex(record.zones)
    for m in sorted(record.mentions, key=lambda m: (m.start, m.end)):
        entity = entities[m.entity]
        yield {
            "doc_id": doc_id, "mention_id": m.id, "mention_key": corpus_key(doc_id, m.id),
            "start": m.start, "end": m.end, "text": m.text, "type": m.type,
            "mention_type": m.mention_type, "metonymy": m.metonymy,
            "entity_id": entity.id, "entity_key": corpus_key(doc_id, entity.id), "entity_name": entity.name,
            "entity_wikipedia": entity.wikipedia, "entity_value": entity.value,
            "entity_mod": entity.mod, "zone": zones.zone_of(m.start, m.end),
            **sents.fields(m.start, m.end, text),
        }


def _party(doc_id: str, mid: str | None, mentions: dict[str, Mention],
           names: dict[str, str]) -> dict[str, Any] | None:
    """The mention ``mid`` as a role filler: ids, keys, offsets, text and entity."""
    if mid is None:
        return None
    m = mentions[mid]
    return {"mention_id": m.id, "mention_key": corpus_key(doc_id, m.id), "start": m.start, "end": m.end,
            "text": m.text, "entity_id": m.entity, "entity_key": corpus_key(doc_id, m.entity),
            "entity_name": names[m.entity]}


def quote_rows(record: AnnotationFile) -> Iterator[dict[str, Any]]:
    doc_id = record.doc_id
    mentions = {m.id: m for m in record.mentions}
    zones = ZoneIndex(record.zones)
    names = {e.id: e.name for e in record.entities}
    for q in sorted(record.quotes, key=lambda q: (q.content[0].start, q.id)):
        cue = q.cue or ()
        yield {
            "doc_id": doc_id, "quote_id": q.id, "quote_key": corpus_key(doc_id, q.id), "type": q.type,
            "start": min(s.start for s in q.content), "end": max(s.end for s in q.content),
            "content": [_span(s) for s in q.content],
            "content_text": " … ".join(s.text for s in q.content),
            "cue": [_span(s) for s in cue],
            "cue_text": " … ".join(s.text for s in cue) if cue else None,
            "source": _party(doc_id, q.source, mentions, names),
            "implicit_source": q.implicit_source,
            "via": _party(doc_id, q.via, mentions, names),
            "addressee": _party(doc_id, q.addressee, mentions, names),
            "parent": q.parent,
            "parent_key": corpus_key(doc_id, q.parent),
            "zone": zones.zone_of(q.content[0].start, q.content[0].end),
        }


def event_rows(record: AnnotationFile, text: str, sents: _Sentences) -> Iterator[dict[str, Any]]:
    doc_id = record.doc_id
    mentions = {m.id: m for m in record.mentions}
    names = {e.id: e.name for e in record.entities}
    for v in sorted(record.events, key=lambda v: (v.trigger.start, v.id)):
        yield {
            "doc_id": doc_id, "event_id": v.id, "event_key": corpus_key(doc_id, v.id),
            "type": v.type, "realis": v.realis, "trigger": _span(v.trigger),
            "arguments": [{"role": a.role, **_party(doc_id, a.mention, mentions, names)}
                          for a in v.arguments],
            "cluster": v.cluster, "cluster_key": corpus_key(doc_id, v.cluster),
            **sents.fields(v.trigger.start, v.trigger.end, text),
        }


def _tagged_sentence_rows(record: AnnotationFile, sents: list[Sentence],
                          tagged: list[Mention]) -> Iterator[dict[str, Any]]:
    """One row per sentence; IOB2 tags from ``tagged`` (tokens are cut at every mention edge)."""
    tag_at: dict[int, str] = {}
    ends: dict[int, int] = {}
    for m in tagged:
        tag_at[m.start] = m.type
        ends[m.start] = m.end
    for index, sentence in enumerate(sents):
        tags: list[str] = []
        open_type, open_end = None, -1
        for token in sentence.tokens:
            if token.start in tag_at:
                open_type, open_end = tag_at[token.start], ends[token.start]
                tags.append(f"B-{open_type}")
            elif open_type is not None and token.end <= open_end:
                tags.append(f"I-{open_type}")
            else:
                open_type = None
                tags.append("O")
        yield {
            "id": sentence_row_id(record.doc_id, index), "doc_id": record.doc_id,
            "sentence_index": index, "zone": sentence.zone,
            "sentence_start": sentence.start, "sentence_end": sentence.end,
            "tokens": [t.text for t in sentence.tokens], "ner_tags": tags,
            "token_offsets": [{"start": t.start, "end": t.end} for t in sentence.tokens],
        }


def ner_rows(record: AnnotationFile, sents: list[Sentence]) -> Iterator[dict[str, Any]]:
    """Names only: every ``NAM`` mention (of every entity type, TIME included) is tagged."""
    return _tagged_sentence_rows(record, sents, [m for m in record.mentions if m.mention_type == "NAM"])


def mentions_iob_rows(record: AnnotationFile, sents: list[Sentence]) -> Iterator[dict[str, Any]]:
    """Every mention (names, nominals, pronouns) is tagged: mention detection."""
    return _tagged_sentence_rows(record, sents, list(record.mentions))


def coref_row(record: AnnotationFile, sents: _Sentences) -> dict[str, Any]:
    """The document's entity clusters and event clusters, singletons kept and marked."""
    doc_id = record.doc_id
    by_entity: dict[str, list[Mention]] = {e.id: [] for e in record.entities}
    for m in sorted(record.mentions, key=lambda m: (m.start, m.end)):
        by_entity[m.entity].append(m)
    entities = []
    for e in sorted(record.entities, key=lambda e: (by_entity[e.id][0].start if by_entity[e.id] else -1, e.id)):
        members = by_entity[e.id]
        entities.append({
            "entity_id": e.id, "entity_key": corpus_key(doc_id, e.id), "type": e.type, "name": e.name,
            "wikipedia": e.wikipedia, "value": e.value, "mod": e.mod, "singleton": len(members) == 1,
            "mentions": [{"mention_id": m.id, "mention_key": corpus_key(doc_id, m.id), **_span(m),
                          "mention_type": m.mention_type, "metonymy": m.metonymy,
                          **sents.tokens(m.start, m.end)} for m in members],
        })
    by_cluster: dict[str, list[Any]] = {}
    for v in sorted(record.events, key=lambda v: (v.trigger.start, v.id)):
        by_cluster.setdefault(v.cluster, []).append(v)
    clusters = [{
        "cluster_id": cluster, "cluster_key": corpus_key(doc_id, cluster), "type": members[0].type,
        "singleton": len(members) == 1,
        "events": [{"event_id": v.id, "event_key": corpus_key(doc_id, v.id), **_span(v.trigger), "realis": v.realis,
                    **sents.tokens(v.trigger.start, v.trigger.end)} for v in members],
    } for cluster, members in by_cluster.items()]
    return {"doc_id": doc_id, "entities": entities, "event_clusters": clusters}


def bigbio_kb_row(record: AnnotationFile, text: str) -> dict[str, Any]:
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
    passages = []
    joined = 0
    for z in zones:
        shifts.append((z.start, z.end, joined))
        passages.append({"id": f"{doc_id}_{z.id}", "type": z.type, "text": [z.text],
                         "offsets": [[joined, joined + len(z.text)]]})
        joined += len(z.text) + 1

    def moved(start: int, end: int) -> list[int]:
        for zone_start, zone_end, at in shifts:
            if zone_start <= start and end <= zone_end:
                return [at + start - zone_start, at + end - zone_start]
        raise ValueError(f"{doc_id}: span {start}-{end} lies in no zone")  # the validator forbids it

    def pid(local: str) -> str:
        return f"{doc_id}_{local}"

    wikipedia = {e.id: e.wikipedia for e in record.entities}
    values = {e.id: e.value for e in record.entities}
    entities = []
    for m in sorted(record.mentions, key=lambda m: (m.start, m.end)):
        normalized = []
        if wikipedia[m.entity]:
            normalized.append({"db_name": "wikipedia", "db_id": wikipedia[m.entity]})
        if values[m.entity]:
            normalized.append({"db_name": "timex3", "db_id": values[m.entity]})
        entities.append({"id": pid(m.id), "type": m.type, "text": [m.text],
                         "offsets": [moved(m.start, m.end)], "normalized": normalized})
    relations = []
    for q in sorted(record.quotes, key=lambda q: (q.content[0].start, q.id)):
        entities.append({"id": pid(f"{q.id}_content"), "type": f"{q.type}_quote",
                         "text": [s.text for s in q.content],
                         "offsets": [moved(s.start, s.end) for s in q.content], "normalized": []})
        if q.cue:
            entities.append({"id": pid(f"{q.id}_cue"), "type": "quote_cue", "text": [s.text for s in q.cue],
                             "offsets": [moved(s.start, s.end) for s in q.cue], "normalized": []})
        parts = [("implicit_source" if q.implicit_source else "source", q.source),
                 ("cue", f"{q.id}_cue" if q.cue else None), ("via", q.via), ("addressee", q.addressee),
                 ("parent", f"{q.parent}_content" if q.parent else None)]
        for role, target in parts:
            if target is not None:
                relations.append({"id": pid(f"r_{q.id}_{role}"), "type": f"quote_{role}",
                                  "arg1_id": pid(f"{q.id}_content"), "arg2_id": pid(target), "normalized": []})
    events = [{
        "id": pid(v.id), "type": v.type,
        "trigger": {"text": [v.trigger.text], "offsets": [moved(v.trigger.start, v.trigger.end)]},
        "arguments": [{"role": a.role, "ref_id": pid(a.mention)} for a in v.arguments],
    } for v in sorted(record.events, key=lambda v: (v.trigger.start, v.id))]
    members: dict[str, list[str]] = {e.id: [] for e in record.entities}
    for m in sorted(record.mentions, key=lambda m: (m.start, m.end)):
        members[m.entity].append(pid(m.id))
    coreferences = [{"id": pid(e.id), "entity_ids": members[e.id]} for e in record.entities if members[e.id]]
    return {"id": doc_id, "document_id": doc_id, "passages": passages, "entities": entities,
            "events": events, "coreferences": coreferences, "relations": relations}


def config_rows(record: AnnotationFile, text: str) -> dict[str, list[dict[str, Any]]]:
    """Every config's rows for one document, label names not yet encoded."""
    sents = sentences(record, text)
    located = _Sentences(sents)
    return {
        "documents": [document_row(record, text)],
        "mentions": list(mention_rows(record, text, located)),
        "quotes": list(quote_rows(record)),
        "events": list(event_rows(record, text, located)),
        "ner": list(ner_rows(record, sents)),
        "mentions_iob": list(mentions_iob_rows(record, sents)),
        "coref": [coref_row(record, located)],
        "bigbio_kb": [bigbio_kb_row(record, text)],
    }


class RowShapeError(ValueError):
    """A row whose keys differ from its config's declared features (a bug, never bad input)."""


def _encoder(feature: Any, where: str) -> Callable[[Any], Any] | None:
    """A function that checks a value's shape against ``feature`` and turns label names into
    ClassLabel ids (None: nothing to check or encode).

    Every struct must have exactly the declared keys: Arrow would turn a missing key into a
    null and drop an extra one silently, so a typo in a row builder would ship an empty column.
    A list must be a list, never null.
    """
    if isinstance(feature, ClassLabel):
        ids = {name: i for i, name in enumerate(feature.names)}
        return lambda value: None if value is None else ids[value]
    if isinstance(feature, List):
        inner = _encoder(feature.feature, f"{where}[]")

        def encode_list(value: Any) -> Any:
            if value is None:  # a list is never null: an empty list means none
                raise RowShapeError(f"{where}: null where a list is declared (use [])")
            return value if inner is None else [inner(v) for v in value]
        return encode_list
    if isinstance(feature, dict):
        keys = frozenset(feature)
        parts = {key: enc for key, sub in feature.items() if (enc := _encoder(sub, f"{where}.{key}")) is not None}

        def encode_struct(value: Any) -> Any:
            if value is None:
                return None
            if value.keys() != keys:
                missing, extra = sorted(keys - value.keys()), sorted(value.keys() - keys)
                raise RowShapeError(f"{where}: row keys differ from the declared features "
                                    f"(missing {missing}, not declared {extra})")
            if not parts:
                return value
            out = dict(value)
            for key, enc in parts.items():
                out[key] = enc(value[key])
            return out
        return encode_struct
    return None


_ENCODERS = {config: _encoder(dict(features), config) for config, features in CONFIG_FEATURES.items()}


def encode(config: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check every row's shape against the declared features of ``config`` and turn label names
    into ClassLabel ids.

    Equivalent to ``Features.encode_example`` for these features (a test checks it), stricter
    (a missing or extra key is a :class:`RowShapeError`), and much faster: the encoder is
    compiled once per config.
    """
    encoder = _ENCODERS[config]
    return rows if encoder is None else [encoder(row) for row in rows]


def decode(feature: Any, value: Any) -> Any:
    """ClassLabel ids back to label names, recursively, following the declared features."""
    if isinstance(feature, ClassLabel):
        return None if value is None else feature.int2str(value)
    if isinstance(feature, List):
        return None if value is None else [decode(feature.feature, v) for v in value]
    if isinstance(feature, dict):
        return None if value is None else {k: decode(f, value[k]) for k, f in feature.items()}
    return value
