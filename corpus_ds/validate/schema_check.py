"""The JSON Schema check of an annotation file value, with findings a person can act on.

``jsonschema`` reports every finding; the fast path (:mod:`.fastpath`) only says "valid" first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from ..model.problems import Problem
from ..model.schema import annotation_schema, ecma_pattern


def _strict_integer(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


@lru_cache(maxsize=None)
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(ecma_pattern(pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: JSON Schema counts 0.0 as an integer; an offset must be written 0, so integers are strict here;
#: and a pattern's ``$`` means the end of the string, as in the compiled engine.
StrictValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


@lru_cache(maxsize=1)
def _schema_validator() -> jsonschema.protocols.Validator:
    schema = annotation_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return StrictValidator(schema)


def _pointer(path: Iterable[Any]) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


def _describe(error: ValidationError) -> ValidationError:
    """The most helpful error of an ``anyOf`` group (e.g. a nullable field)."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        non_null = [e for e in error.context if e.validator != "type" or e.validator_value != "null"]
        return best_match(non_null or error.context)
    return error


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _message(error: ValidationError) -> str:
    """jsonschema's message, with values shown as JSON rather than Python."""
    if error.validator == "enum":
        return f"{_json(error.instance)} is not one of {json.dumps(error.validator_value)}"
    if error.validator == "type":
        return f"{_json(error.instance)} is not of type {error.validator_value}"
    if error.validator == "const":
        return f"{_json(error.instance)} should be {_json(error.validator_value)}"
    if error.validator == "pattern" and len(error.validator_value) > 40 and error.schema.get("description"):
        return f"{_json(error.instance)} does not fit: {error.schema['description']}"
    return error.message


def schema_errors(value: Any) -> list[ValidationError]:
    """Every JSON Schema violation of ``value``, as ``jsonschema`` reports them."""
    return list(_schema_validator().iter_errors(value))


def schema_problems(errors: Iterable[ValidationError], shown_as: str, code_prefix: str = "schema") -> list[Problem]:
    """The violations as Problems, each at its JSON pointer, sorted and without repeats."""
    problems = []
    for error in errors:
        chosen = _describe(error)
        if chosen.validator == "additionalProperties" and isinstance(chosen.instance, dict):
            allowed = list(chosen.schema.get("properties", {}))
            for key in chosen.instance:
                if key not in allowed:
                    problems.append(Problem(shown_as, _pointer([*chosen.absolute_path, key]),
                                            f"{code_prefix}-{chosen.validator}",
                                            f"unknown key {_json(key)} (allowed: {', '.join(allowed)})"[:200]))
            continue
        message = _message(chosen)
        if len(message) > 200:
            message = message[:199] + "…"
        problems.append(Problem(shown_as, _pointer(chosen.absolute_path), f"{code_prefix}-{chosen.validator}", message))
    return sorted(set(problems), key=lambda p: (p.location, p.code, p.message))
