"""Where things live in a corpus checkout, and which names may become paths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from ..model.problems import CorpusError, Problem

#: A document id: 16 lower-case hex digits (contract: ids and splits).
DOC_ID = re.compile(r"[0-9a-f]{16}")


def is_doc_id(value: object) -> bool:
    """Whether ``value`` is a well-formed document id (and so safe as a file name)."""
    return isinstance(value, str) and DOC_ID.fullmatch(value) is not None


@dataclass(frozen=True)
class CorpusPaths:
    """The folders of one corpus: raw texts, annotation files, schema."""

    root: Path

    @property
    def texts(self) -> Path:
        return self.root / "texts"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def schema(self) -> Path:
        return self.root / "schema"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    def text_file(self, doc_id: str) -> Path:
        """``texts/DOC.txt``; ``doc_id`` must be a document id (checked)."""
        return self.texts / f"{_checked(doc_id)}.txt"

    def annotation_file(self, doc_id: str) -> Path:
        """``annotations/DOC.json``; ``doc_id`` must be a document id (checked)."""
        return self.annotations / f"{_checked(doc_id)}.json"

    def annotation_files(self) -> list[Path]:
        """Every annotation file of the corpus, sorted by name (all in one folder: by name is by
        path, and much cheaper to compare)."""
        return sorted(self.annotations.glob("*.json"), key=attrgetter("name"))


def _checked(doc_id: str) -> str:
    if not is_doc_id(doc_id):
        raise CorpusError([Problem("(input)", "doc_id", "bad-doc-id",
                                   f"{str(doc_id)[:40]!r} is not a document id (16 hex digits)")])
    return doc_id


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``texts/`` and ``annotations/``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "texts").is_dir() and (folder / "annotations").is_dir():
            return folder
    return here
