"""Reading JSON files into values, with every failure a located Problem.

Used for annotation files, drafts, tool exports and release manifests. Reads go through
:func:`corpus_ds.load.files.read_bounded` (regular files only, size-limited); parsing is
:func:`corpus_ds.model.jsontext.parse_json_bytes`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.jsontext import parse_json_bytes
from ..model.problems import Problem
from .files import MAX_ANNOTATION_BYTES, ReadFailure, read_bounded

MAX_FILE_BYTES = MAX_ANNOTATION_BYTES


def read_json_bytes(path: Path, shown_as: str, limit: int = MAX_FILE_BYTES,
                    inside: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a JSON file, or the problem that stops its reading (at ``1:1``)."""
    try:
        return read_bounded(path, limit, inside), []
    except ReadFailure as failure:
        code = "unreadable" if failure.code == "missing" else failure.code
        return None, [Problem(shown_as, "1:1", code, f"file {failure.message}")]


def load_json_file(path: Path, shown_as: str, limit: int = MAX_FILE_BYTES,
                   inside: Path | None = None) -> tuple[Any, list[Problem]]:
    """Parse one JSON file; return ``(value, [])`` or ``(None, [problem])``.

    Every failure (missing, too large, not a regular file, BOM, invalid UTF-8, syntax,
    duplicate key, NaN, nesting too deep, unpaired surrogate) becomes a Problem located at
    ``line:column`` (or at the string's JSON pointer).
    """
    data, problems = read_json_bytes(path, shown_as, limit, inside)
    if data is None:
        return None, problems
    return parse_json_bytes(data, shown_as)
