"""From one annotation file to the rows of every published config.

Rows hold label *names*; :func:`encode` turns them into the ClassLabel ids of
the declared features just before writing. Annotations are ordered by
position (they already are in a canonical file; sorting here makes the output
independent of file order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from datasets import ClassLabel, List

from ..model.records import AnnotationFile, Mention, Span, to_json
from ..model.segment import Sentence, SentenceFinder, sentences
from ..model.zones import ZoneIndex
from .features import CONFIG_FEATURES


def document_row(record: AnnotationFile, text: str) -> dict[str, Any]:
    """The ``documents`` row: the whole annotation file plus its text."""
    value = to_json(record)
    doc = value["document"]
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
        "quotes": sorted(value["quotes"], key=lambda q: (q["content"][0]["start"], q["id"])),
        "events": sorted(value["events"], key=lambda v: (v["trigger"]["start"], v["id"])),
    }


def annotation_value_from_row(row: dict[str, Any], split: str) -> dict[str, Any]:
    """The annotation-file JSON value that a decoded ``documents`` row carries."""
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
        "quotes": row["quotes"],
        "events": row["events"],
    }


def _span(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


def _sentence_fields(found: Sentence | None, text: str) -> dict[str, Any]:
    if found is None:
        return {"sentence": None, "sentence_start": None}
    return {"sentence": found.text_of(text), "sentence_start": found.start}


def mention_rows(record: AnnotationFile, text: str, sents: list[Sentence]) -> Iterator[dict[str, Any]]:
    entities = {e.id: e for e in record.entities}
    zones = ZoneIndex(record.zones)
    find = SentenceFinder(sents)
    for m in sorted(record.mentions, key=lambda m: (m.start, m.end)):
        entity = entities[m.entity]
        yield {
            "doc_id": record.doc_id, "mention_id": m.id, "start": m.start, "end": m.end,
            "text": m.text, "type": m.type, "mention_type": m.mention_type,
            "metonymy": m.metonymy, "entity_id": entity.id, "entity_name": entity.name,
            "entity_wikipedia": entity.wikipedia, "entity_value": entity.value,
            "entity_mod": entity.mod, "zone": zones.zone_of(m.start, m.end),
            **_sentence_fields(find(m.start, m.end), text),
        }


def _party(mid: str | None, mentions: dict[str, Mention], names: dict[str, str]) -> dict[str, Any] | None:
    if mid is None:
        return None
    m = mentions[mid]
    return {"mention_id": m.id, "text": m.text, "entity_id": m.entity, "entity_name": names[m.entity]}


def quote_rows(record: AnnotationFile) -> Iterator[dict[str, Any]]:
    mentions = {m.id: m for m in record.mentions}
    zones = ZoneIndex(record.zones)
    names = {e.id: e.name for e in record.entities}
    for q in sorted(record.quotes, key=lambda q: (q.content[0].start, q.id)):
        yield {
            "doc_id": record.doc_id, "quote_id": q.id, "type": q.type,
            "start": min(s.start for s in q.content), "end": max(s.end for s in q.content),
            "content": [_span(s) for s in q.content],
            "content_text": " … ".join(s.text for s in q.content),
            "cue": None if q.cue is None else [_span(s) for s in q.cue],
            "cue_text": None if q.cue is None else " … ".join(s.text for s in q.cue),
            "source": _party(q.source, mentions, names),
            "implicit_source": q.implicit_source,
            "via": _party(q.via, mentions, names),
            "addressee": _party(q.addressee, mentions, names),
            "parent": q.parent,
            "zone": zones.zone_of(q.content[0].start, q.content[0].end),
        }


def event_rows(record: AnnotationFile, text: str, sents: list[Sentence]) -> Iterator[dict[str, Any]]:
    mentions = {m.id: m for m in record.mentions}
    names = {e.id: e.name for e in record.entities}
    find = SentenceFinder(sents)
    for v in sorted(record.events, key=lambda v: (v.trigger.start, v.id)):
        yield {
            "doc_id": record.doc_id, "event_id": v.id, "type": v.type, "realis": v.realis,
            "trigger": _span(v.trigger),
            "arguments": [
                {"role": a.role, **(_party(a.mention, mentions, names) or {}),
                 "start": mentions[a.mention].start, "end": mentions[a.mention].end}
                for a in v.arguments
            ],
            "cluster": v.cluster,
            **_sentence_fields(find(v.trigger.start, v.trigger.end), text),
        }


def ner_rows(record: AnnotationFile, sents: list[Sentence]) -> Iterator[dict[str, Any]]:
    """One row per sentence; IOB2 tags from the mentions (tokens are cut at their edges)."""
    tag_at: dict[int, str] = {}
    ends: dict[int, int] = {}
    for m in record.mentions:
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
            "doc_id": record.doc_id, "sentence_index": index, "zone": sentence.zone,
            "sentence_start": sentence.start, "sentence_end": sentence.end,
            "tokens": [t.text for t in sentence.tokens], "ner_tags": tags,
            "token_starts": [t.start for t in sentence.tokens],
            "token_ends": [t.end for t in sentence.tokens],
        }


def config_rows(record: AnnotationFile, text: str) -> dict[str, list[dict[str, Any]]]:
    """Every config's rows for one document, label names not yet encoded."""
    sents = sentences(record, text)
    return {
        "documents": [document_row(record, text)],
        "mentions": list(mention_rows(record, text, sents)),
        "quotes": list(quote_rows(record)),
        "events": list(event_rows(record, text, sents)),
        "ner": list(ner_rows(record, sents)),
    }


class RowShapeError(ValueError):
    """A row whose keys differ from its config's declared features (a bug, never bad input)."""


def _encoder(feature: Any, where: str) -> Callable[[Any], Any] | None:
    """A function that checks a value's shape against ``feature`` and turns label names into
    ClassLabel ids (None: nothing to check or encode).

    Every struct must have exactly the declared keys: Arrow would turn a missing key into a
    null and drop an extra one silently, so a typo in a row builder would ship an empty column.
    """
    if isinstance(feature, ClassLabel):
        ids = {name: i for i, name in enumerate(feature.names)}
        return lambda value: None if value is None else ids[value]
    if isinstance(feature, List):
        inner = _encoder(feature.feature, f"{where}[]")
        if inner is None:
            return None
        return lambda value: None if value is None else [inner(v) for v in value]
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
