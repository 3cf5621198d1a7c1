"""The JSON Schema of an annotation file, generated from :mod:`corpus_ds.labels`.

``schema/annotation.schema.json`` is this function's output, committed so that
third-party validators (``check-jsonschema``) can use it; ``corpus-ds schema
--write`` regenerates it and a test fails if the two differ.
"""

from __future__ import annotations

import json
from typing import Any

from . import labels
from .records import SCHEMA_VERSION


def ecma_pattern(pattern: str) -> str:
    """``pattern`` for Python's ``re`` as JSON Schema (ECMA-262) reads it: a final ``$`` is the end
    of the string, where Python's ``$`` would also match before a final newline ("v1\\n" is no id)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


SCHEMA_ID = f"urn:corpus-ds:schema:annotation-file:{SCHEMA_VERSION}"
SCHEMA_FILE = "annotation.schema.json"

_ID_PATTERNS = {
    "zone": "^z[1-9][0-9]*$",
    "entity": "^e[1-9][0-9]*$",
    "mention": "^m[1-9][0-9]*$",
    "quote": "^q[1-9][0-9]*$",
    "event": "^v[1-9][0-9]*$",
    "cluster": "^c[1-9][0-9]*$",
}
_OFFSET = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
_ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: A TIMEX3 value: a date cut to its precision (``2010-11-01``, ``2010-11``, ``2014``), with X
#: for what the text leaves open (``XXXX-09-26``); a season (``2013-SP``); an ISO week or its
#: weekend (``2010-W45-WE``); a duration (``P2Y``); or a deictic reference (``PRESENT_REF``).
TIME_VALUE_DESCRIPTION = (
    "a TIMEX3 value (a date cut to its precision such as 2010-11-01, 2010-11 or 2014, with X for "
    "unknown parts as in XXXX-09-26; a season 2013-SP; a week 2010-W45 or its weekend 2010-W45-WE; "
    "a duration P2Y; or PRESENT_REF, PAST_REF, FUTURE_REF), resolved against the publication date; "
    "null for entities that are not TIME"
)
TIME_VALUE_PATTERN = (
    "^(PRESENT_REF|PAST_REF|FUTURE_REF"
    "|([0-9]{4}|XXXX)(-(0[1-9]|1[0-2]|XX)(-(0[1-9]|[12][0-9]|3[01]|XX))?)?"
    "|([0-9]{4}|XXXX)-(SP|SU|FA|WI|Q[1-4]|H[12])"
    "|([0-9]{4}|XXXX)-W(0[1-9]|[1-4][0-9]|5[0-3])(-WE)?"
    "|P([0-9]+|X)[YMWD])$"
)


#: One line of text: no control characters or line separators, no outer white space.
_NO_CONTROL = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029"
LINE_PATTERN = f"^[^\\s{_NO_CONTROL}](?:[^{_NO_CONTROL}]*[^\\s{_NO_CONTROL}])?$"


def _line(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "pattern": LINE_PATTERN,
            "description": f"{description}, one line of text without control characters or outer spaces"}


def _closed(description: str, properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _enum(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "enum": list(labels.LABEL_SETS[name])}


def _ref(kind: str) -> dict[str, Any]:
    return {"type": "string", "pattern": _ID_PATTERNS[kind], "description": f"id of a {kind}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def annotation_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one annotation file."""
    text = {"type": "string", "minLength": 1, "description": "the text the span covers"}
    span = _closed("a contiguous span: code-point offsets, end exclusive", {
        "start": _OFFSET, "end": _OFFSET, "text": text})
    spans = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/span"}}
    person = {"type": "array", "items": _line("a person's name or handle"), "uniqueItems": True}
    date_or_null = _nullable({"type": "string", "pattern": _ISO_DATE})
    layer_provenance = _closed("who annotated and who checked one layer, and when", {
        "status": _enum("layer_status", "how far the layer is"),
        "annotated_by": {**person, "description": "annotators of the layer"},
        "annotated_on": {**date_or_null, "description": "date of the annotation (YYYY-MM-DD)"},
        "checked_by": {**person, "description": "reviewers who checked the layer against the text"},
        "checked_on": {**date_or_null, "description": "date of the check (YYYY-MM-DD)"},
        "notes": _nullable(_line("notes")),
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "corpus_ds annotation file",
        "description": (
            "One document of the corpus_ds news corpus: metadata, provenance, zones, entity "
            "mentions with coreference, quotes and events. See ANNOTATION-SPEC and GUIDELINES."
        ),
        **_closed("an annotation file", {
            "schema_version": {"const": SCHEMA_VERSION, "description": "version of this schema"},
            "document": {"$ref": "#/$defs/document"},
            "provenance": _closed("provenance of each layer", {
                layer: layer_provenance for layer in labels.LAYERS}),
            "zones": {"type": "array", "items": {"$ref": "#/$defs/zone"}},
            "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
            "mentions": {"type": "array", "items": {"$ref": "#/$defs/mention"}},
            "quotes": {"type": "array", "items": {"$ref": "#/$defs/quote"}},
            "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
        }),
        "$defs": {
            "span": span,
            "document": _closed("document metadata", {
                "id": {"type": "string", "pattern": "^[0-9a-f]{16}$",
                       "description": "16 hex digits from the source file name"},
                "title": _nullable(_line("the headline")),
                "publisher": _closed("the outlet or agency that published the text", {
                    "name": _nullable(_line("the publisher's name")),
                    "certainty": _enum("publisher_certainty", "how the publisher is known"),
                    "evidence": _line("how the publisher is known"),
                }),
                "published": _closed("publication date, with precision, bounds and evidence", {
                    "value": _nullable({"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}),
                    "precision": _nullable(_enum("date_precision", "precision of value")),
                    "not_before": date_or_null,
                    "not_after": date_or_null,
                    "evidence": _line("how the date is known"),
                }),
                "language": {"type": "string", "pattern": "^[a-z]{2,3}$", "description": "ISO 639 code"},
                "split": _enum("split", "the dataset split; never changes after a release"),
                "source_file": {"type": "string", "pattern": "^[^/\\\\]+\\.txt$"},
                "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "licence": _line("the licence of the text and of the annotations"),
            }),
            "zone": _closed("a document zone", {
                "id": _ref("zone"), "type": _enum("zone_type", "zone type"),
                "start": _OFFSET, "end": _OFFSET, "text": text}),
            "entity": _closed("a coreference chain: one real-world referent", {
                "id": _ref("entity"),
                "type": _enum("entity_type", "ACE entity type"),
                "name": _line("canonical name"),
                "wikipedia": _nullable({**_line("English Wikipedia title, spaces not underscores"),
                                        "not": {"pattern": "_"}}),
                "value": _nullable({"type": "string", "pattern": TIME_VALUE_PATTERN,
                                    "description": TIME_VALUE_DESCRIPTION}),
                "mod": _nullable(_enum("time_mod", "TIMEX3 mod of a TIME entity's value")),
            }),
            "mention": _closed("an entity mention", {
                "id": _ref("mention"), "entity": _ref("entity"),
                "type": _enum("entity_type", "the type of its entity"),
                "mention_type": _enum("mention_type", "NAM, NOM or PRO"),
                "start": _OFFSET, "end": _OFFSET, "text": text,
                "metonymy": {"type": "boolean", "description": "stands for another referent"},
            }),
            "quote": _closed("an attribution (PARC): content, cue, source", {
                "id": _ref("quote"),
                "type": _enum("quote_type", "direct, indirect or mixed"),
                "content": spans,
                "cue": _nullable(spans),
                "source": _ref("mention"),
                "implicit_source": {"type": "boolean"},
                "via": _nullable(_ref("mention")),
                "addressee": _nullable(_ref("mention")),
                "parent": _nullable(_ref("quote")),
            }),
            "event": _closed("a PLOVER event mention", {
                "id": _ref("event"),
                "type": _enum("event_type", "PLOVER category"),
                "trigger": {"$ref": "#/$defs/span"},
                "realis": _enum("realis", "actual, generic or other"),
                "arguments": {"type": "array", "items": _closed("an event argument", {
                    "role": _enum("role", "argument role"), "mention": _ref("mention")})},
                "cluster": {**_ref("cluster"),
                            "description": "event coreference cluster; a singleton is its own"},
            }),
        },
    }


def schema_text() -> str:
    """The committed form of the schema file."""
    return json.dumps(annotation_schema(), indent=2, ensure_ascii=False) + "\n"
