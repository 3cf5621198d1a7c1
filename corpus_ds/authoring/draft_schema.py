"""The JSON Schema of a draft (phrases and anchors), checked before a draft is compiled.

Labels come from :mod:`corpus_ds.model.labels`, like the annotation file's schema. A draft
that fails it gets one located problem per violation and is not compiled, so a malformed
draft never reaches the compiler's code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

from ..model import labels
from ..model.problems import Problem


def _enum(name: str) -> dict[str, Any]:
    return {"enum": list(labels.LABEL_SETS[name])}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT = {"type": "string", "minLength": 1}
_KEY = {"type": "string", "minLength": 1, "description": "a label the draft's own references use"}


def draft_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a draft."""
    anchor_fields = {"t": _TEXT, "n": {"type": "integer", "minimum": 1}, "ctx": _TEXT, "glued": {"type": "boolean"}}
    anchor = {"anyOf": [
        {"type": "object", "properties": anchor_fields, "required": ["t"], "additionalProperties": False},
        {"type": "object", "properties": {"from": {"$ref": "#/$defs/anchor"}, "to": {"$ref": "#/$defs/anchor"}},
         "required": ["from", "to"], "additionalProperties": False},
    ]}
    anchors = {"anyOf": [{"$ref": "#/$defs/anchor"},
                         {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/anchor"}}]}

    def with_anchor(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
        return {"type": "object", "properties": {**anchor_fields, "from": {"$ref": "#/$defs/anchor"},
                                                 "to": {"$ref": "#/$defs/anchor"}, **properties},
                "required": required, "additionalProperties": False}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "corpus_ds draft",
        "type": "object",
        "properties": {
            "doc": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "annotator": _TEXT,
            "date": _nullable({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
            "checked_by": {"type": "array", "items": _TEXT},
            "checked_on": _nullable({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
            "layers": {"type": "array", "items": {"enum": list(labels.LAYERS)}, "uniqueItems": True},
            "notes": _nullable({"type": "string"}),
            "zones": {"type": "array", "items": with_anchor({"type": _enum("zone_type")}, ["type"])},
            "entities": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "type": _enum("entity_type"), "name": _TEXT, "wikipedia": _nullable(_TEXT),
                    "value": _nullable(_TEXT), "mod": _nullable(_enum("time_mod")),
                    "mentions": {"type": "array", "items": with_anchor({
                        "key": _KEY, "mtype": _enum("mention_type"), "metonymy": {"type": "boolean"}}, [])},
                },
                "required": ["type", "name", "mentions"], "additionalProperties": False}},
            "quotes": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "key": _KEY, "type": _enum("quote_type"), "content": anchors,
                    "cue": _nullable(anchors), "source": _KEY, "implicit_source": {"type": "boolean"},
                    "via": _nullable(_KEY), "addressee": _nullable(_KEY), "parent": _nullable(_KEY),
                },
                "required": ["type", "content", "source"], "additionalProperties": False}},
            "events": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "type": _enum("event_type"), "trigger": {"$ref": "#/$defs/anchor"},
                    "realis": _enum("realis"), "cluster": _nullable(_KEY),
                    "args": {"type": "array", "items": {
                        "type": "array", "prefixItems": [_enum("role"), _KEY], "minItems": 2, "maxItems": 2}},
                },
                "required": ["type", "trigger", "realis"], "additionalProperties": False}},
        },
        "required": ["doc"],
        "additionalProperties": False,
        "$defs": {"anchor": anchor},
    }


@lru_cache(maxsize=1)
def _validator() -> "jsonschema.protocols.Validator":
    import jsonschema  # loaded only when a draft is checked

    from ..validate.schema_check import StrictValidator
    schema = draft_schema()
    jsonschema.Draft202012Validator.check_schema(schema)

    return StrictValidator(schema)


def draft_problems(draft: Any, shown_as: str) -> list[Problem]:
    """Every violation of the draft schema, each at its JSON pointer."""
    from ..validate.schema_check import schema_problems

    return schema_problems(_validator().iter_errors(draft), shown_as, code_prefix="draft")
