"""Validating files from disk: every problem of every file (and, on request, the warnings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..load import CorpusPaths, Progress, iter_files, shown_paths
from ..model.problems import ERROR, Problem
from .consistency import Annotated, corpus_warnings


@dataclass
class ValidationReport:
    """What validating a set of annotation files found. True when no file has an error."""

    files: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def __bool__(self) -> bool:
        return self.ok


def validate_files(files: Sequence[Path], texts: Path, *, warnings: bool = False, jobs: int | None = None,
                   shown: Sequence[str] | None = None, progress: Progress | None = None) -> ValidationReport:
    """Every problem of the given annotation files (schema, semantic and across files) in one pass;
    with ``warnings``, also the review warnings over the valid ones. Returns, never raises.
    ``progress`` watches the files go by (:data:`corpus_ds.load.Progress`)."""
    report = ValidationReport(len(files))
    documents: list[Annotated] = []
    names = list(shown) if shown is not None else shown_paths(files)
    for outcome in iter_files(files, texts, names, jobs=jobs, keep_documents=warnings, progress=progress,
                              what="validate"):
        report.problems += outcome.problems
        if outcome.document is not None:
            documents.append(Annotated(outcome.document.record, outcome.document.text, outcome.shown_as))
    if warnings:
        report.problems += corpus_warnings(documents)
    return report


def validate_corpus(root: Path | str, *, warnings: bool = False, jobs: int | None = None,
                    progress: Progress | None = None) -> ValidationReport:
    """Every problem of the corpus at ``root`` (see :func:`validate_files`)."""
    paths = CorpusPaths(Path(root))
    return validate_files(paths.annotation_files(), paths.texts, warnings=warnings, jobs=jobs, progress=progress)
