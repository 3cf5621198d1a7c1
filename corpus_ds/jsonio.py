"""Reading annotation files safely and writing them in their canonical form."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .problems import Problem

#: Files larger than this are refused before they are read (an annotation file of
#: a long news article is well under 1 MB).
MAX_FILE_BYTES = 16 * 1024 * 1024
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


def load_json_file(path: Path, shown_as: str) -> tuple[Any, list[Problem]]:
    """Parse one JSON file; return ``(value, [])`` or ``(None, [problem])``.

    Every failure (missing, too large, BOM, invalid UTF-8, syntax, duplicate key,
    NaN, nesting too deep) becomes a Problem located at ``line:column``.
    """
    value, problems, _ = load_json_file_noting_floats(path, shown_as)
    return value, problems


def load_json_file_noting_floats(path: Path, shown_as: str) -> tuple[Any, list[Problem], bool]:
    """As :func:`load_json_file`, and whether the file has any non-integer number literal.

    No field of an annotation file takes one, so a file with a float is never
    valid; the validator uses this to route such files to the strict engine.
    """
    floats: list[str] = []

    def note_float(literal: str) -> float:
        floats.append(literal)
        return float(literal)

    value, problems = _load(path, shown_as, note_float)
    return value, problems, bool(floats)


def _load(path: Path, shown_as: str, parse_float: Any) -> tuple[Any, list[Problem]]:

    def fail(location: str, code: str, message: str) -> tuple[Any, list[Problem]]:
        return None, [Problem(shown_as, location, code, message)]

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail("1:1", "file-too-large",
                        f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit "
                        "for an annotation file; not read")
        data = path.read_bytes()
    except OSError as exc:
        return fail("1:1", "unreadable", f"cannot read file: {exc.strerror or exc}")
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
    return value, []


def dumps_annotation(value: dict[str, Any]) -> str:
    """The canonical text of an annotation file.

    Two-space indent, keys in record order, and each annotation of a layer on a
    line of its own so that a review diff shows one changed line per changed
    annotation.
    """
    layers = ("zones", "entities", "mentions", "quotes", "events")
    lines = ["{"]
    keys = list(value)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        item = value[key]
        if key in layers and isinstance(item, list):
            if not item:
                lines.append(f'  "{key}": []{comma}')
                continue
            lines.append(f'  "{key}": [')
            for j, record in enumerate(item):
                sep = "," if j < len(item) - 1 else ""
                lines.append("    " + json.dumps(record, ensure_ascii=False) + sep)
            lines.append(f"  ]{comma}")
        else:
            block = json.dumps(item, ensure_ascii=False, indent=2)
            block = block.replace("\n", "\n  ")
            lines.append(f'  "{key}": {block}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def replace_folder(new: Path, out: Path) -> None:
    """Move the finished folder ``new`` to ``out``, replacing an existing one by two renames."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "previous")
        os.rename(new, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new, out)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
