"""The fast path of validation: a file's bytes decoded straight into typed structures, in C.

``msgspec`` decodes the JSON and checks every constraint of the annotation file's JSON Schema
while it decodes, into structures generated from that one schema (:func:`structures`), so no
rule is written twice. What msgspec cannot check is checked after it: duplicate keys (msgspec
keeps the last; the number of keys the text holds must equal the number the decoded file
has) and ``uniqueItems``. The fast path only ever says "valid, and here is the record" or
"cannot say": then the caller parses and validates the slow, reporting way (``jsonschema``),
which gives every finding. So the fast path can never hide a problem: a test holds its
structures to be at least as strict as the schema on every invalid case.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional

import msgspec

from ..model.records import (
    AnnotationFile,
    Argument,
    Entity,
    Event,
    LayerProvenance,
    Mention,
    Metadata,
    PublicationDate,
    Publisher,
    Quote,
    Span,
    Zone,
)
from ..model.schema import annotation_schema
from .schema_check import ecma_pattern

#: Where a key ends in JSON text: a closing quote, optional white space, a colon. A string value
#: may hold the same characters, so the count is an upper bound of the keys: when it equals the
#: keys of the decoded file, no key was given twice. (``":`` is counted by ``bytes.count``; only
#: the rare forms with white space before the colon need the regex.)
_KEY_END_SPACED = re.compile(rb'"[ \t\r\n]+:')


class _Builder:
    """Turns the JSON Schema into msgspec types, one Struct per object schema."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.count = 0
        #: For each generated Struct: its field count and which fields hold structs or lists of them.
        self.plans: dict[type, tuple[int, list[tuple[str, bool]]]] = {}
        self.unique_lists: dict[type, list[str]] = {}

    def type_of(self, node: dict[str, Any]) -> Any:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            return self.type_of(self.schema["$defs"][name])
        if "anyOf" in node:
            options = [option for option in node["anyOf"] if option != {"type": "null"}]
            if len(options) != 1 or len(options) == len(node["anyOf"]):
                raise ValueError(f"unsupported anyOf {node['anyOf']!r}")
            return Optional[self.type_of(options[0])]
        if "const" in node:
            return Literal[node["const"]]
        if "enum" in node:
            return Literal[tuple(node["enum"])]
        kind = node.get("type")
        if kind == "object":
            return self.struct(node)
        if kind == "array":
            item = self.type_of(node["items"])
            meta = {"min_length": node["minItems"]} if "minItems" in node else {}
            return Annotated[list[item], msgspec.Meta(**meta)] if meta else list[item]
        if kind == "string":
            meta: dict[str, Any] = {}
            if "minLength" in node:
                meta["min_length"] = node["minLength"]
            pattern = ecma_pattern(node["pattern"]) if "pattern" in node else None
            if "not" in node:  # {"not": {"pattern": P}}: a lookahead that P occurs nowhere
                forbidden = node["not"]["pattern"]
                pattern = rf"\A(?![\s\S]*{forbidden})" + (pattern.lstrip("^") if pattern else "")
            if pattern is not None:
                meta["pattern"] = pattern
            return Annotated[str, msgspec.Meta(**meta)] if meta else str
        if kind == "integer":
            meta = {}
            if "minimum" in node:
                meta["ge"] = node["minimum"]
            if "maximum" in node:
                meta["le"] = node["maximum"]
            return Annotated[int, msgspec.Meta(**meta)] if meta else int
        if kind == "boolean":
            return bool
        raise ValueError(f"unsupported schema {node!r}")

    def struct(self, node: dict[str, Any]) -> type:
        if node.get("additionalProperties") is not False or set(node.get("required", ())) != set(node["properties"]):
            raise ValueError("the fast path needs closed objects whose keys are all required")
        fields = [(name, self.type_of(sub)) for name, sub in node["properties"].items()]
        self.count += 1
        struct = msgspec.defstruct(f"S{self.count}", fields, forbid_unknown_fields=True, frozen=True, gc=False)
        nested = []
        for name, sub in node["properties"].items():
            target = self._target(sub)
            if target.get("type") == "object":
                nested.append((name, False))
            elif target.get("type") == "array" and self._target(target["items"]).get("type") == "object":
                nested.append((name, True))
        self.plans[struct] = (len(fields), nested)
        self.unique_lists[struct] = [name for name, sub in node["properties"].items()
                                     if self._target(sub).get("uniqueItems")]
        return struct

    def _target(self, node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            return self._target(self.schema["$defs"][node["$ref"].rsplit("/", 1)[1]])
        if "anyOf" in node:
            return self._target(next(option for option in node["anyOf"] if option != {"type": "null"}))
        return node


@lru_cache(maxsize=1)
def structures() -> tuple[type, _Builder]:
    """The msgspec type of an annotation file, generated from its JSON Schema, and its plans."""
    builder = _Builder(annotation_schema())
    return builder.type_of(builder.schema), builder


def _keys_and_unique(value: Any, builder: _Builder) -> tuple[int, bool]:
    """How many keys the decoded file has, and whether every ``uniqueItems`` list is unique."""
    fields, nested = builder.plans[type(value)]
    keys, unique = fields, True
    for name in builder.unique_lists[type(value)]:
        items = getattr(value, name)
        unique = unique and len(set(items)) == len(items)
    for name, is_list in nested:
        child = getattr(value, name)
        if child is None:
            continue
        for item in (child if is_list else (child,)):
            count, ok = _keys_and_unique(item, builder)
            keys += count
            unique = unique and ok
    return keys, unique


_new = tuple.__new__
_AS_TUPLE = msgspec.structs.astuple


def _flat(kind: type, values: list[Any]) -> tuple[Any, ...]:
    """Records of a flat kind from structs with the same fields in the same order."""
    return tuple(_new(kind, t) for t in map(_AS_TUPLE, values))


def _record(value: Any) -> AnnotationFile:
    astuple = _AS_TUPLE
    doc = value.document
    return AnnotationFile(
        schema_version=value.schema_version,
        document=Metadata(doc.id, doc.title, Publisher(*astuple(doc.publisher)),
                          PublicationDate(*astuple(doc.published)), doc.language, doc.split, doc.source_file,
                          doc.text_sha256, doc.licence),
        provenance={layer: LayerProvenance(p.status, tuple(p.annotated_by), p.annotated_on, tuple(p.checked_by),
                                           p.checked_on, p.notes)
                    for layer, p in msgspec.structs.asdict(value.provenance).items()},
        zones=_flat(Zone, value.zones),
        entities=_flat(Entity, value.entities),
        mentions=_flat(Mention, value.mentions),
        quotes=tuple(_new(Quote, (q.id, q.type, _flat(Span, q.content), None if q.cue is None else _flat(Span, q.cue),
                                  q.source, q.implicit_source, q.via, q.addressee, q.parent)) for q in value.quotes),
        events=tuple(_new(Event, (v.id, v.type, _new(Span, _AS_TUPLE(v.trigger)), v.realis,
                                  _flat(Argument, v.arguments), v.cluster)) for v in value.events),
    )


def decode_valid(data: bytes) -> AnnotationFile | None:
    """The record of a file whose bytes pass the schema, or None when the fast path cannot say so
    (a schema problem, a key given twice, a repeated item, or a string that looks like a key)."""
    struct, builder = structures()
    try:
        value = msgspec.json.decode(data, type=struct)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    keys, unique = _keys_and_unique(value, builder)
    if not unique or data.count(b'":') + len(_KEY_END_SPACED.findall(data)) != keys:
        return None
    return _record(value)


__all__ = ["decode_valid", "structures"]


