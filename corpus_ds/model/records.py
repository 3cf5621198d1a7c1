"""Typed records of an annotation file.

Records are typed named tuples (immutable, and several times cheaper to build
than frozen dataclasses, which matters when validating hundreds of thousands of
files); dicts exist only at the JSON boundary (``from_json`` / ``to_json``).
``from_json`` expects a value that already passed the JSON Schema, so it does no
checking of its own. Field order is the key order of the file on disk.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from typing import Any, NamedTuple

SCHEMA_VERSION = "2.0.0"


class Span(NamedTuple):
    """A contiguous stretch of the text: code-point offsets, end exclusive."""

    start: int
    end: int
    text: str


class Zone(NamedTuple):
    id: str
    type: str
    start: int
    end: int
    text: str


class Entity(NamedTuple):
    """A coreference chain. A TIME entity carries its TIMEX3 ``value`` (and ``mod``)."""

    id: str
    type: str
    name: str
    wikipedia: str | None
    value: str | None = None
    mod: str | None = None


class Mention(NamedTuple):
    id: str
    entity: str
    type: str
    mention_type: str
    start: int
    end: int
    text: str
    metonymy: bool = False


class Quote(NamedTuple):
    id: str
    type: str
    content: tuple[Span, ...]
    cue: tuple[Span, ...] | None
    source: str
    implicit_source: bool = False
    via: str | None = None
    addressee: str | None = None
    parent: str | None = None


class Argument(NamedTuple):
    role: str
    mention: str


class Event(NamedTuple):
    id: str
    type: str
    trigger: Span
    realis: str
    arguments: tuple[Argument, ...] = ()
    #: Event coreference: every event is in a cluster (a singleton is its own cluster).
    cluster: str = ""


class Publisher(NamedTuple):
    name: str | None
    certainty: str
    evidence: str


class PublicationDate(NamedTuple):
    """When the article appeared: an ISO date cut to its precision, with bounds."""

    value: str | None
    precision: str | None
    not_before: str | None
    not_after: str | None
    evidence: str


class Metadata(NamedTuple):
    id: str
    title: str | None
    publisher: Publisher
    published: PublicationDate
    language: str
    split: str
    source_file: str
    text_sha256: str
    licence: str


class LayerProvenance(NamedTuple):
    status: str
    annotated_by: tuple[str, ...] = ()
    annotated_on: str | None = None
    checked_by: tuple[str, ...] = ()
    checked_on: str | None = None
    notes: str | None = None


class AnnotationFile(NamedTuple):
    """One document's annotation file: metadata, provenance and the four layers."""

    schema_version: str
    document: Metadata
    provenance: dict[str, LayerProvenance]
    zones: tuple[Zone, ...] = ()
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.document.id


_SPAN_FIELDS = operator.itemgetter("start", "end", "text")


_new_span = functools.partial(tuple.__new__, Span)


def _span(value: dict[str, Any]) -> Span:
    return _new_span(_SPAN_FIELDS(value))


def _records(kind: Any, values: list[dict[str, Any]]) -> tuple[Any, ...]:
    """Records of a flat kind (every field a plain value), built without keyword overhead."""
    fields = operator.itemgetter(*kind._fields)
    return tuple(map(functools.partial(tuple.__new__, kind), map(fields, values)))


def _spans(values: list[dict[str, Any]] | None) -> tuple[Span, ...] | None:
    return None if values is None else tuple(map(_new_span, map(_SPAN_FIELDS, values)))


def metadata_from_json(doc: dict[str, Any]) -> Metadata:
    """The ``document`` block of a schema-valid file."""
    return Metadata(
        id=doc["id"],
        title=doc["title"],
        publisher=Publisher(**doc["publisher"]),
        published=PublicationDate(**doc["published"]),
        language=doc["language"],
        split=doc["split"],
        source_file=doc["source_file"],
        text_sha256=doc["text_sha256"],
        licence=doc["licence"],
    )


def provenance_from_json(value: dict[str, Any]) -> dict[str, LayerProvenance]:
    """The ``provenance`` block of a schema-valid file."""
    return {
        layer: LayerProvenance(
            status=p["status"],
            annotated_by=tuple(p["annotated_by"]),
            annotated_on=p["annotated_on"],
            checked_by=tuple(p["checked_by"]),
            checked_on=p["checked_on"],
            notes=p["notes"],
        )
        for layer, p in value.items()
    }


def _quotes(values: list[dict[str, Any]]) -> tuple[Quote, ...]:
    return tuple(
        Quote(
            id=q["id"],
            type=q["type"],
            content=_spans(q["content"]) or (),
            cue=_spans(q["cue"]),
            source=q["source"],
            implicit_source=q["implicit_source"],
            via=q["via"],
            addressee=q["addressee"],
            parent=q["parent"],
        )
        for q in values
    )


def _events(values: list[dict[str, Any]]) -> tuple[Event, ...]:
    return tuple(
        Event(
            id=v["id"],
            type=v["type"],
            trigger=_span(v["trigger"]),
            realis=v["realis"],
            arguments=_records(Argument, v["arguments"]),
            cluster=v["cluster"],
        )
        for v in values
    )


#: How each layer's records are built from its schema-valid JSON items.
LAYER_RECORDS: dict[str, Any] = {
    "zones": functools.partial(_records, Zone),
    "entities": functools.partial(_records, Entity),
    "mentions": functools.partial(_records, Mention),
    "quotes": _quotes,
    "events": _events,
}


def from_json(value: dict[str, Any]) -> AnnotationFile:
    """Build the typed record from a schema-valid JSON value."""
    return AnnotationFile(
        schema_version=value["schema_version"],
        document=metadata_from_json(value["document"]),
        provenance=provenance_from_json(value["provenance"]),
        **{layer: build(value[layer]) for layer, build in LAYER_RECORDS.items()},
    )


def to_json(record: Any) -> Any:
    """Turn a record (or a tuple/dict of records) into plain JSON values, in field order."""
    if hasattr(record, "_fields"):
        return {name: to_json(value) for name, value in zip(record._fields, record)}
    if isinstance(record, (tuple, list)):
        return [to_json(item) for item in record]
    if isinstance(record, dict):
        return {key: to_json(item) for key, item in record.items()}
    return record


def replace(obj: Any, /, **changes: Any) -> Any:
    """A copy of a record (or of a dataclass) with some fields changed."""
    if hasattr(obj, "_replace"):
        return obj._replace(**changes)
    return dataclasses.replace(obj, **changes)


def empty_provenance() -> dict[str, LayerProvenance]:
    """Provenance of a document with no layer annotated yet."""
    from .labels import LAYERS

    return {layer: LayerProvenance(status="not_started") for layer in LAYERS}


__all__ = [
    "AnnotationFile", "Argument", "Entity", "Event", "LayerProvenance", "Mention",
    "Metadata", "PublicationDate", "Publisher", "Quote", "SCHEMA_VERSION", "Span",
    "Zone", "empty_provenance", "from_json", "metadata_from_json", "provenance_from_json", "replace",
    "to_json",
]
