"""JSON text to values, with every failure a located Problem (no file access here)."""

from __future__ import annotations

import json
import re
from typing import Any

from .problems import Problem

_BOM = b"\xef\xbb\xbf"


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{line}:{col}"


def parse_json_bytes(data: bytes, shown_as: str, parse_float: Any = float) -> tuple[Any, list[Problem]]:
    """Parse JSON bytes; ``(value, [])`` or ``(None, [problem at line:column])``."""

    def fail(location: str, code: str, message: str) -> tuple[Any, list[Problem]]:
        return None, [Problem(shown_as, location, code, message)]
    if not data or data.isspace():
        return fail("1:1", "empty-file", "file is empty; expected a JSON object")
    if data.startswith(_BOM):
        return fail("1:1", "bom", "file starts with a UTF-8 byte-order mark; save it without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        return fail(_line_col(prefix, len(prefix)), "invalid-utf8",
                    f"invalid UTF-8 byte 0x{data[exc.start]:02x}")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates,
                           parse_constant=_reject_constant, parse_float=parse_float)
    except json.JSONDecodeError as exc:
        return fail(f"{exc.lineno}:{exc.colno}", "json-syntax", f"invalid JSON: {exc.msg}")
    except _DuplicateKey as exc:
        return fail("1:1", "duplicate-key", f"key {exc.args[0]!r} appears twice in one object")
    except RecursionError:
        return fail("1:1", "too-deep", "JSON nesting is too deep to be an annotation file")
    except ValueError as exc:  # NaN / Infinity, or huge numbers Python refuses
        return fail("1:1", "json-syntax", f"invalid JSON: {exc}")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        lone = _lone_surrogates(value)
        if lone:
            return None, [Problem(shown_as, pointer, "lone-surrogate",
                                  "a string holds an unpaired surrogate (\\ud800-\\udfff escape); it is no "
                                  "character and cannot be written as UTF-8") for pointer in lone]
    return value, []


#: A surrogate written as a JSON escape: the only way one can enter a decoded file.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogates(value: Any, path: str = "") -> list[str]:
    """JSON pointers of the strings (keys included) that hold an unpaired surrogate."""
    found: list[str] = []
    if isinstance(value, str):
        if _SURROGATE.search(value):
            found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            pointer = f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if _SURROGATE.search(key):
                found.append(pointer)
            found += _lone_surrogates(item, pointer)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _lone_surrogates(item, f"{path}/{index}")
    return found
