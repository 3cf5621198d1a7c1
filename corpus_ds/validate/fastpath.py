"""The fast path of validation: a file's bytes decoded straight into typed structures, in C.

``msgspec`` decodes the JSON into structures generated from the annotation file's JSON Schema
(:func:`structures`), so no rule is written twice, and checks the types, enums, lengths and
ranges while it decodes. What it does not check is checked after it, in a few passes per
file: string patterns (all the values of a field in one regex pass), ``uniqueItems``, and
duplicate keys (msgspec keeps the last; see :func:`_no_key_twice`). The fast path only ever says "valid, and here is the record" or
"cannot say": then the caller parses and validates the slow, reporting way (``jsonschema``),
which gives every finding. So the fast path can never hide a problem: a test holds its
structures to be at least as strict as the schema on every invalid case.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from itertools import chain, repeat
from operator import attrgetter, is_not
from typing import Annotated, Any, Literal, NamedTuple, Optional

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
from ..model.schema import annotation_schema, ecma_pattern

_ENCODER = msgspec.json.Encoder()


def _no_key_twice(data: bytes, value: Any) -> bool:
    """Whether ``data`` gives no key twice, knowing it decoded to ``value``.

    msgspec keeps the last of repeated keys, so they are found by counting colons: the text has
    one per key plus the colons its strings hold; ``value`` encoded again has one per decoded
    key plus the colons of the strings it kept. With no colon written as an escape (``\\u003a``),
    the counts are equal exactly when no key was given twice (a repeated key adds a colon to
    the text and takes none of its strings' colons away from the encoding).
    """
    return b"\\u003" not in data and data.count(b":") == _ENCODER.encode(value).count(b":")


class _StringRule(NamedTuple):
    """A string constraint checked after decoding, on every value of one field at once."""

    field: str
    is_list: bool                   # the field holds a list of such strings
    pattern: re.Pattern[str]        # matches values joined by line breaks (see :func:`_all_match`)
    per_line: bool                  # the pattern finds one value per line (else it matches them all)
    forbidden: str | None           # a literal no value may contain (``{"not": {"pattern": ...}}``)


class _Plan(NamedTuple):
    """What is left to check of one generated Struct after msgspec has decoded it."""

    nested: list[tuple[str, bool]]    # fields holding a struct (False) or a list of structs (True)
    unique: list[str]                 # list fields whose items must be unique
    strings: list[_StringRule]
    has_work: bool                    # anything left to test in this struct or below it


#: Escapes that stand for one character other than a line break (``\.``, ``\d``, ...).
_HARMLESS_ESCAPE = re.compile(r"\\[.\-+*?()\[\]{}|^$/\\d]")


def _joined_pattern(pattern: str) -> tuple[re.Pattern[str], bool] | None:
    """How to test many values of ``^BODY$`` in one regex pass, or None (then msgspec tests each).

    A body that plainly cannot match a line break (no negated class, no dot, no other escape)
    is matched against all the values joined by line breaks at once; any other is matched per
    line, counting the matches.
    """
    if not (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")):
        return None
    body = pattern[1:-1]
    if "$" in body or "^" in body.replace("[^", "") or r"\A" in body or r"\Z" in body:
        return None
    plain = _HARMLESS_ESCAPE.sub("", body)
    if "[^" not in plain and "." not in plain and "\\" not in plain:
        return re.compile(rf"(?:{body})(?:\n(?:{body}))*"), False
    return re.compile(rf"(?m)^(?:{body})$"), True


def _all_match(rule: _StringRule, values: list[str]) -> bool:
    """Whether every value matches its rule, in one regex pass over the values joined by line breaks.

    No value may hold a line break (counted). A pattern that cannot match a line break must then
    match the whole join; a per-line pattern must match as many times as there are values: each
    match runs from a line start to a line end without overlap, so each value matched whole.
    """
    if not values:
        return True
    joined = "\n".join(values)
    if joined.count("\n") != len(values) - 1:
        return False
    if rule.forbidden is not None and rule.forbidden in joined:
        return False
    if rule.per_line:
        return len(rule.pattern.findall(joined)) == len(values)
    return rule.pattern.fullmatch(joined) is not None


class _Builder:
    """Turns the JSON Schema into msgspec types, one Struct per object schema.

    Length, range, enum and type constraints go into the types, checked by msgspec as it
    decodes; string patterns are kept aside (:class:`_StringRule`) and checked afterwards on all
    the values of a field at once, which costs one regex pass instead of one call per value.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.count = 0
        self.plans: dict[type, _Plan] = {}

    def type_of(self, node: dict[str, Any], deferred: bool = False, repeated: bool = False) -> Any:
        """The msgspec type of ``node``; ``deferred``: leave its pattern to :func:`_rest_holds`;
        ``repeated``: it lies in an array (its structs then defer their patterns)."""
        if "$ref" in node:
            return self.type_of(self._target(node), deferred, repeated)
        if "anyOf" in node:
            options = [option for option in node["anyOf"] if option != {"type": "null"}]
            if len(options) != 1 or len(options) == len(node["anyOf"]):
                raise ValueError(f"unsupported anyOf {node['anyOf']!r}")
            return Optional[self.type_of(options[0], deferred, repeated)]
        if "const" in node:
            return Literal[node["const"]]
        if "enum" in node:
            return Literal[tuple(node["enum"])]
        kind = node.get("type")
        if kind == "object":
            return self.struct(node, repeated)
        if kind == "array":
            item = self.type_of(node["items"], deferred, True)
            meta = {"min_length": node["minItems"]} if "minItems" in node else {}
            return Annotated[list[item], msgspec.Meta(**meta)] if meta else list[item]
        if kind == "string":
            meta: dict[str, Any] = {}
            if "minLength" in node:
                meta["min_length"] = node["minLength"]
            if not deferred:
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

    def _string_rule(self, name: str, node: dict[str, Any]) -> _StringRule | None:
        """The deferred check of a string (or list of strings) field, if its pattern allows one."""
        target = self._target(node)
        is_list = target.get("type") == "array"
        if is_list:
            target = self._target(target["items"])
        if target.get("type") != "string" or "pattern" not in target:
            return None
        joined = _joined_pattern(target["pattern"])
        forbidden = target.get("not", {}).get("pattern")
        if joined is None or (forbidden is not None and (re.escape(forbidden) != forbidden or "\n" in forbidden)):
            return None  # checked by msgspec value by value instead
        return _StringRule(name, is_list, joined[0], joined[1], forbidden)

    def struct(self, node: dict[str, Any], repeated: bool) -> type:
        """A Struct for an object schema. Patterns of a struct that occurs once per file stay in
        its type (msgspec tests them in C); those of a repeated one are deferred, to be tested
        over all its occurrences at once."""
        if node.get("additionalProperties") is not False or set(node.get("required", ())) != set(node["properties"]):
            raise ValueError("the fast path needs closed objects whose keys are all required")
        strings = [rule for name, sub in node["properties"].items()
                   if repeated and (rule := self._string_rule(name, sub)) is not None]
        deferred = {rule.field for rule in strings}
        fields = [(name, self.type_of(sub, name in deferred, repeated)) for name, sub in node["properties"].items()]
        self.count += 1
        struct = msgspec.defstruct(f"S{self.count}", fields, forbid_unknown_fields=True, frozen=True, gc=False)
        nested = []
        for (name, sub), (_, kind) in zip(node["properties"].items(), fields):
            target = self._target(sub)
            is_list = target.get("type") == "array"
            child = self._struct_in(kind)
            if child is not None and self.plans[child].has_work:
                nested.append((name, is_list))
        unique = [name for name, sub in node["properties"].items() if self._target(sub).get("uniqueItems")]
        self.plans[struct] = _Plan(nested, unique, strings, bool(nested or unique or strings))
        return struct

    def _struct_in(self, kind: Any) -> type | None:
        """The generated Struct a field type holds (itself, optional, or in a list), if any."""
        while True:
            if isinstance(kind, type) and kind in self.plans:
                return kind
            args = getattr(kind, "__args__", None)
            if not args:
                return None
            kind = next((arg for arg in args if arg is not type(None)), None)

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


_NOT_NONE = partial(is_not, None)


def _values(items: list[Any], name: str, is_list: bool) -> list[Any]:
    """The values of field ``name`` over ``items`` (nulls left out; lists flattened)."""
    found = map(attrgetter(name), items)
    return list(chain.from_iterable(filter(None, found))) if is_list else list(filter(_NOT_NONE, found))


def _rest_holds(items: list[Any], plan: _Plan, builder: _Builder) -> bool:
    """Whether the deferred rules hold for ``items``: decoded structs of one type.

    The walk goes field by field over all the items at once, so its Python-level work grows
    with the number of struct types, not the number of structs.
    """
    for name in plan.unique:
        for values in filter(None, map(attrgetter(name), items)):
            if len(set(values)) != len(values):
                return False
    for rule in plan.strings:
        if not _all_match(rule, _values(items, rule.field, rule.is_list)):
            return False
    for name, is_list in plan.nested:
        children = _values(items, name, is_list)
        if children and not _rest_holds(children, builder.plans[type(children[0])], builder):
            return False
    return True


_new = tuple.__new__
_AS_TUPLE = msgspec.structs.astuple


def _flat(kind: type, values: list[Any]) -> tuple[Any, ...]:
    """Records of a flat kind from structs with the same fields in the same order."""
    return tuple(map(_new, repeat(kind, len(values)), map(_AS_TUPLE, values)))


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
    if not _rest_holds([value], builder.plans[type(value)], builder) or not _no_key_twice(data, value):
        return None
    return _record(value)


__all__ = ["decode_valid", "structures"]


