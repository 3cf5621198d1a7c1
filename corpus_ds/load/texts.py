"""Reading a raw text: once, as bytes, decoded exactly.

The package has one way to read a text, and it does no newline translation: a text with
``\\r\\n`` line ends keeps its ``\\r`` characters, so offsets count them and every slice,
config and export stays aligned with the bytes whose sha256 the annotation file records.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..model.problems import Problem
from ..model.records import Metadata
from .files import MAX_TEXT_BYTES, ReadFailure, read_bounded


def decode_text(data: bytes) -> str:
    """The text of raw bytes: strict UTF-8, nothing translated."""
    return data.decode("utf-8")


def read_text(texts_dir: Path, metadata: Metadata, shown_as: str,
              inside: Path | None = None) -> tuple[str | None, list[Problem]]:
    """The raw text of a document and the problems with it (missing, unreadable, sha256, UTF-8).

    The text is returned even when its sha256 differs from the recorded one, so that the
    other checks still run; it is None only when it cannot be read or decoded.
    """
    doc_id = metadata.id
    path = texts_dir / f"{doc_id}.txt"
    try:
        data = read_bounded(path, MAX_TEXT_BYTES, inside if inside is not None else texts_dir)
    except ReadFailure as failure:
        if failure.code == "missing":
            return None, [Problem(shown_as, "/document/id", "text-missing",
                                  f"raw text {path.parent.name}/{path.name} is missing")]
        return None, [Problem(shown_as, "/document/id", f"text-{failure.code}",
                              f"raw text {path.parent.name}/{path.name} {failure.message}")]
    return check_text_bytes(data, metadata, shown_as, path.name)


def check_text_bytes(data: bytes, metadata: Metadata, shown_as: str,
                     name: str) -> tuple[str | None, list[Problem]]:
    """Check already-read text bytes against the metadata (sha256) and decode them."""
    problems: list[Problem] = []
    digest = hashlib.sha256(data).hexdigest()
    if digest != metadata.text_sha256:
        problems.append(Problem(shown_as, "/document/text_sha256", "text-sha256",
                                f"text {name} has sha256 {digest}, not the recorded "
                                f"{metadata.text_sha256}; raw texts are never edited"))
    try:
        return decode_text(data), problems
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown_as, "/document/id", "text-encoding",
                                f"raw text {name} is not UTF-8 (byte {exc.start})"))
        return None, problems
