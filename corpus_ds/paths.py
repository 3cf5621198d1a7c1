"""Where things live in a corpus checkout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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

    def text_file(self, doc_id: str) -> Path:
        return self.texts / f"{doc_id}.txt"

    def annotation_file(self, doc_id: str) -> Path:
        return self.annotations / f"{doc_id}.json"

    def annotation_files(self) -> list[Path]:
        """Every annotation file of the corpus, sorted by name."""
        return sorted(self.annotations.glob("*.json"))


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``texts/`` and ``annotations/``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "texts").is_dir() and (folder / "annotations").is_dir():
            return folder
    return here
