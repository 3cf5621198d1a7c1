"""corpus_ds: an annotated news corpus and the package that validates, reviews and publishes it.

The public Python API returns values and never prints or exits::

    from corpus_ds import load_corpus, validate_corpus

    report = validate_corpus("path/to/checkout")      # every problem, schema and semantic
    if report.ok:
        corpus = load_corpus("path/to/checkout")      # every document with its text
        for document in corpus:
            print(document.doc_id, len(document.record.mentions), document.text[:40])

``load_corpus`` raises :class:`CorpusError` (whose ``problems`` say what is wrong where)
when any file is invalid. Records are typed named tuples (:mod:`corpus_ds.model.records`).
"""

from __future__ import annotations

import os
from pathlib import Path

from .load import Corpus, CorpusPaths, Document, FileOutcome, check_file, load_corpus
from .model.problems import CorpusError, Problem
from .model.records import (
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
from .validate.report import ValidationReport, validate_corpus, validate_files


def validate_file(path: str | os.PathLike[str], texts: str | os.PathLike[str] | None = None,
                  shown_as: str | None = None, engine: str = "fast") -> FileOutcome:
    """Every problem of one annotation file, schema and semantic together, and its document when
    valid (``texts``: the texts/ folder beside its annotations/ folder by default)."""
    file = Path(path)
    return check_file(file, Path(texts) if texts is not None else file.parent.parent / "texts", shown_as, engine)


__all__ = [
    "AnnotationFile", "Argument", "Corpus", "CorpusError", "CorpusPaths", "Document", "Entity", "Event",
    "FileOutcome", "LayerProvenance", "Mention", "Metadata", "Problem", "PublicationDate", "Publisher",
    "Quote", "Span", "ValidationReport", "Zone", "load_corpus", "validate_corpus", "validate_file",
    "validate_files",
]
