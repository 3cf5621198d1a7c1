"""The load stage: the one place that reads a corpus.

It finds the annotation files, reads each once (bounded, regular files only), parses and
validates it in the one worker pool (:mod:`.pool`), reads each document's raw text once as
bytes and decodes it exactly, and runs the checks across files (one annotation file per
document). Every verb takes its documents from here: either all of them, as typed records
with their texts (:class:`Document`), or every problem (:class:`CorpusError`).

:func:`iter_corpus` streams, for the verbs that must not hold a large corpus in memory (the
build makes each document's rows in the same worker that validated it, and never sees the
record in the parent); :func:`load_corpus` returns everything at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..model.problems import ERROR, CorpusError, Problem, printable, usage
from ..model.records import AnnotationFile, Metadata, to_json
from ..validate import Checked, check_bytes
from . import pool
from .jsonfile import read_json_bytes
from .paths import CorpusPaths, is_doc_id
from .pool import ordered_map
from .texts import check_text_bytes, read_text


@dataclass(frozen=True)
class Document:
    """One valid annotation file with the raw text it was validated against."""

    record: AnnotationFile
    text: str
    #: The annotation file it was read from, and how messages name it.
    path: Path
    shown_as: str

    @property
    def doc_id(self) -> str:
        return self.record.doc_id


class FileOutcome(NamedTuple):
    """What loading one annotation file gave: its problems, its id when readable, and (when
    it is valid and was asked for) the document and the result of the caller's work on it."""

    path: Path
    shown_as: str
    problems: list[Problem]
    doc_id: str | None
    document: Document | None = None
    payload: Any = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)

    @property
    def record(self) -> AnnotationFile | None:
        """The valid file's record (None when the file has an error)."""
        return self.document.record if self.document is not None else None


def text_reader(texts_dir: Path, shown_as: str) -> Callable[[Metadata], tuple[str | None, list[Problem]]]:
    """Reads a document's raw text from ``texts_dir`` (once per call)."""
    return lambda metadata: read_text(texts_dir, metadata, shown_as)


def check_file(path: Path, texts_dir: Path, shown_as: str | None = None, engine: str = "fast") -> FileOutcome:
    """Load and validate one annotation file: read (bounded), schema, semantic checks, raw text."""
    shown = shown_as or str(path)
    # a symlink is followed only within the file's own folder (never to a device or out of the corpus)
    data, problems = read_json_bytes(path, shown, inside=path.parent)
    if data is None:
        return FileOutcome(path, shown, problems, None)
    checked = check_bytes(data, shown, text_reader(texts_dir, shown), file_name=path.name, engine=engine)
    return _outcome(path, shown, checked)


def _outcome(path: Path, shown: str, checked: Checked) -> FileOutcome:
    document = None
    if checked.record is not None and checked.text is not None:
        document = Document(checked.record, checked.text, path, shown)
    return FileOutcome(path, shown, checked.problems, checked.doc_id, document)


def check_document(record: AnnotationFile, text: str, path: Path, shown_as: str) -> FileOutcome:
    """Validate a record made in memory (an import, a compiled draft) against a text already read.

    The record goes through its JSON text, exactly as if it had been written and read back.
    """
    data = text.encode("utf-8")

    def known_text(metadata: Metadata) -> tuple[str | None, list[Problem]]:
        return check_text_bytes(data, metadata, shown_as, f"{metadata.id}.txt")

    encoded = json.dumps(to_json(record), ensure_ascii=False).encode("utf-8")
    return _outcome(path, shown_as, check_bytes(encoded, shown_as, known_text, file_name=path.name))


#: A function applied, in the worker that validated it, to each valid document; its result
#: comes back as :attr:`FileOutcome.payload`. It must be a module-level function.
Work = Callable[[Document], Any]

#: A caller's view of a long run, for the command line's progress bar (the library never prints):
#: ``progress(items, total, what)`` returns the same items, in order, observing them as they pass;
#: ``what`` names the step ("validate", "load", "build").
Progress = Callable[[Iterator[Any], int, str], Iterator[Any]]


def _job(job: tuple[str, str, str, str, Work | None, bool]) -> tuple[list[Problem], str | None, Document | None, Any]:
    """What a worker sends back: the problems, the id, and only what the caller asked for."""
    path, texts_dir, shown, engine, work, keep = job
    outcome = check_file(Path(path), Path(texts_dir), shown, engine)
    document = outcome.document
    payload = work(document) if work is not None and document is not None else None
    return outcome.problems, outcome.doc_id, document if keep else None, payload


#: A function applied, in a worker, to the valid documents of a batch of files at once (for work
#: that pays per batch, such as turning documents into Arrow tables). Module-level.
BatchWork = Callable[[list[Document]], Any]


def _batch_job(job: tuple[list[str], str, list[str], str, BatchWork, bool]) -> tuple[list[tuple[list[Problem], str | None, Document | None]], Any]:
    """A batch of files: each file's problems and id (and document when asked), and the batch
    work's result over the valid documents."""
    paths, texts_dir, shown, engine, batch_work, keep = job
    with pool.cycle_collection_paused():
        outcomes = [check_file(Path(path), Path(texts_dir), name, engine) for path, name in zip(paths, shown)]
        payload = batch_work([o.document for o in outcomes if o.document is not None])
    return [(o.problems, o.doc_id, o.document if keep else None) for o in outcomes], payload


class _CrossFile:
    """Checks across files, fed one outcome at a time: each document in exactly one file
    (and so one split). Keeps only each id and the file that has it."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def problems(self, outcome: FileOutcome) -> list[Problem]:
        doc_id = outcome.doc_id
        if doc_id is None:
            return []
        if doc_id in self.seen:
            return [Problem(outcome.shown_as, "/document/id", "duplicate-document",
                            f"document {doc_id} is also annotated in {self.seen[doc_id]}; "
                            "a document has one annotation file and one split")]
        self.seen[doc_id] = outcome.shown_as
        return []


def iter_files(paths: Sequence[Path], texts_dir: Path, shown: Sequence[str] | None = None, *,
               work: Work | None = None, batch_work: BatchWork | None = None, batch_size: int = 32,
               keep_documents: bool = True, engine: str = "fast", jobs: int | None = None,
               progress: Progress | None = None, what: str = "load") -> Iterator[FileOutcome]:
    """Load many annotation files, in order, in worker processes when there are many.

    Each outcome already carries the cross-file problems found up to it (a document id seen
    in an earlier file). ``work`` runs in the worker on each valid document; ``batch_work``
    instead runs on the valid documents of each batch of ``batch_size`` files, and its result
    comes with the last file of the batch (it covers the batch's documents as the worker saw
    them, before the checks across files). ``keep_documents=False`` sends no document back
    (only problems, id and payload). ``progress`` (see :data:`Progress`) watches the files go
    by, named ``what``.
    """
    outcomes = _outcomes(paths, texts_dir, shown, work, batch_work, batch_size, keep_documents, engine, jobs)
    if progress is not None:
        outcomes = iter(progress(outcomes, len(paths), what))
    return outcomes


def _outcomes(paths: Sequence[Path], texts_dir: Path, shown: Sequence[str] | None, work: Work | None,
              batch_work: BatchWork | None, batch_size: int, keep_documents: bool, engine: str,
              jobs: int | None) -> Iterator[FileOutcome]:
    texts = str(texts_dir)
    names = list(shown) if shown is not None else [str(p) for p in paths]
    cross_file = _CrossFile()

    def checked(index: int, problems: list[Problem], doc_id: str | None, document: Document | None,
                payload: Any) -> FileOutcome:
        outcome = FileOutcome(paths[index], names[index], problems, doc_id, document, payload)
        extra = cross_file.problems(outcome)
        if extra:
            outcome = outcome._replace(problems=[*problems, *extra], document=None, payload=None)
        return outcome

    if batch_work is None:
        job_list = [(str(p), texts, names[i], engine, work, keep_documents) for i, p in enumerate(paths)]
        for i, (problems, doc_id, document, payload) in enumerate(ordered_map(_job, job_list, jobs=jobs)):
            yield checked(i, problems, doc_id, document, payload)
        return
    starts = range(0, len(paths), batch_size)
    batches = [([str(p) for p in paths[s:s + batch_size]], texts, names[s:s + batch_size], engine, batch_work,
                keep_documents) for s in starts]
    # workers when there are as many files as per-file work needs
    min_jobs = 1 if len(paths) >= pool.PARALLEL_MIN_JOBS else len(batches) + 1
    # one batch per group: a few batches in flight per process (their results, a build's
    # tables, wait for their turn), so memory stays bounded whatever the number of files
    for start, (files, payload) in zip(starts, ordered_map(_batch_job, batches, jobs=jobs, batch=1,
                                                           min_jobs=min_jobs)):
        for offset, (problems, doc_id, document) in enumerate(files):
            last = offset == len(files) - 1
            yield checked(start + offset, problems, doc_id, document, payload if last else None)


@dataclass(frozen=True)
class Corpus:
    """Every document of a valid corpus, in file order, with the folders it came from."""

    paths: CorpusPaths
    documents: tuple[Document, ...]

    @property
    def root(self) -> Path:
        return self.paths.root

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, doc_id: str) -> Document:
        """The document with this id, or the one whose id begins with this unique prefix."""
        wanted = resolve_doc_id(doc_id, [d.doc_id for d in self.documents], self.paths.annotations)
        return next(d for d in self.documents if d.doc_id == wanted)


#: How many of the ids an ambiguous prefix matches are named in the message.
SHOWN_MATCHES = 10


def resolve_doc_id(wanted: str, available: Sequence[str], where: Path) -> str:
    """The one id of ``available`` equal to ``wanted`` or beginning with it (upper-case hex
    digits too); a usage error otherwise: no such document, or a prefix of several (the first
    few listed)."""
    if wanted in available:
        return wanted
    prefix = wanted.lower()
    hexadecimal = bool(prefix) and all(c in "0123456789abcdef" for c in prefix)
    found = [doc_id for doc_id in available if hexadecimal and doc_id.startswith(prefix)]
    if len(found) == 1:
        return found[0]
    shown = printable(wanted[:40])
    if found:
        listed = ", ".join(sorted(found)[:SHOWN_MATCHES])
        if len(found) > SHOWN_MATCHES:
            listed += f", and {len(found) - SHOWN_MATCHES} more"
        raise usage("DOC_ID", "ambiguous-document",
                    f"{shown!r} is the beginning of several document ids, {len(found)} of them "
                    f"({listed}); give more digits")
    raise usage("DOC_ID", "unknown-document", f"no document {shown!r} in {where}")


def shown_paths(paths: Iterable[Path]) -> list[str]:
    """Each path relative to the current folder when it lies below it (folders resolved once;
    names joined as strings: pathlib would cost more than validating a small file)."""
    cwd = str(Path.cwd().resolve())
    base = cwd if cwd.endswith(os.sep) else cwd + os.sep
    prefixes: dict[str, str | None] = {}  # folder as given -> its path relative to cwd plus a separator
    shown = []
    for path in paths:
        folder, name = os.path.split(os.fspath(path))
        if folder not in prefixes:
            resolved = str(Path(folder or os.curdir).resolve())
            prefixes[folder] = ("" if resolved == cwd else
                                resolved[len(base):] + os.sep if resolved.startswith(base) else None)
        prefix = prefixes[folder]
        shown.append(str(path) if prefix is None else prefix + name)
    return shown


def load_corpus(corpus: CorpusPaths | Path, *, jobs: int | None = None,
                progress: Progress | None = None) -> Corpus:
    """Every document of the corpus, validated, with its text; or CorpusError with every problem.

    An empty corpus is an error too (nothing to work on). ``progress``: see :data:`Progress`.
    """
    paths = corpus if isinstance(corpus, CorpusPaths) else CorpusPaths(Path(corpus))
    files = paths.annotation_files()
    if not files:
        raise CorpusError([Problem(str(paths.annotations), "", "empty-corpus", "no annotation files")])
    problems: list[Problem] = []
    documents: list[Document] = []
    for outcome in iter_files(files, paths.texts, shown_paths(files), jobs=jobs, progress=progress):
        problems += [p for p in outcome.problems if p.severity == ERROR]
        if outcome.document is not None:
            documents.append(outcome.document)
    if problems:
        raise CorpusError(problems)
    return Corpus(paths, tuple(documents))


def load_one(corpus: CorpusPaths, doc_or_path: str) -> Document:
    """One document by id, unique id prefix, or annotation file path; CorpusError otherwise."""
    candidate = Path(doc_or_path)
    if not is_doc_id(doc_or_path) and candidate.suffix == ".json" and candidate.is_file():
        path, shown = candidate, doc_or_path
    else:
        files = {p.stem: p for p in corpus.annotation_files()}
        path = files[resolve_doc_id(doc_or_path, list(files), corpus.annotations)]
        shown = shown_paths([path])[0]
    outcome = check_file(path, corpus.texts, shown)
    if outcome.document is None:
        raise CorpusError(outcome.problems)
    return outcome.document
