"""Validation of annotation files: parse, schema, then the semantic checks.

``validate_file`` never raises on bad input: every failure is a Problem.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from .checks import run_checks
from .model import AnnotationFile, from_json
from .jsonio import load_json_file_noting_floats
from .problems import ERROR, Problem
from .schema import annotation_schema


#: Schema engines: ``python`` reports through ``jsonschema`` alone; ``fast`` first asks the
#: compiled ``jsonschema-rs`` whether the file is valid and only when it is not (or cannot
#: say) asks ``jsonschema`` for the findings, so both report exactly the same findings.
ENGINES = ("fast", "python")


def _strict_integer(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


#: JSON Schema counts 0.0 as an integer; an offset must be written 0, so integers are strict here.
_StrictValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


@lru_cache(maxsize=1)
def _schema_validator() -> jsonschema.protocols.Validator:
    schema = annotation_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return _StrictValidator(schema)


def _contains_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_contains_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_float(v) for v in value)
    return False


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    try:
        import jsonschema_rs
    except ImportError:  # the fast engine is optional; fall back to jsonschema
        return None
    return jsonschema_rs.validator_for(annotation_schema())


def schema_is_valid(value: Any, engine: str = "fast", has_floats: bool | None = None) -> bool | None:
    """True/False when the fast engine can decide, None when only jsonschema can.

    A value with a non-integer number is left to jsonschema, whose integers are strict.
    """
    fast = _fast_validator() if engine == "fast" else None
    if fast is None:
        return None
    if has_floats or (has_floats is None and _contains_float(value)):
        return None
    try:
        return bool(fast.is_valid(value))
    except (ValueError, OverflowError, TypeError, RecursionError):
        return None


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
    return error.message


def schema_problems(value: Any, shown_as: str) -> list[Problem]:
    """Every JSON Schema violation of ``value``, each at its JSON pointer."""
    problems = []
    for error in _schema_validator().iter_errors(value):
        chosen = _describe(error)
        message = _message(chosen)
        if len(message) > 200:
            message = message[:199] + "…"
        problems.append(Problem(shown_as, _pointer(chosen.absolute_path), f"schema-{chosen.validator}", message))
    return sorted(set(problems), key=lambda p: (p.location, p.code, p.message))


@dataclass
class FileResult:
    """What validating one file found, and its record when it parsed."""

    path: Path
    shown_as: str
    problems: list[Problem] = field(default_factory=list)
    record: AnnotationFile | None = None
    doc_id: str | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def check_text(record: AnnotationFile, path: Path, texts_dir: Path, shown_as: str) -> tuple[str | None, list[Problem]]:
    """Load the record's raw text and check its identity: file names and sha256."""
    problems: list[Problem] = []
    doc_id = record.doc_id
    if path.suffix == ".json" and path.stem != doc_id:
        problems.append(Problem(shown_as, "/document/id", "doc-id",
                                f"document id {doc_id!r} does not match the file name {path.name!r}"))
    match = re.search(r"([0-9a-f]{16})\.txt$", record.document.source_file)
    if match and match.group(1) != doc_id:
        problems.append(Problem(shown_as, "/document/source_file", "doc-id",
                                f"source file {record.document.source_file!r} does not carry "
                                f"document id {doc_id!r}"))
    text_path = texts_dir / f"{doc_id}.txt"
    try:
        data = text_path.read_bytes()
    except OSError:
        problems.append(Problem(shown_as, "/document/id", "text-missing",
                                f"raw text {text_path.parent.name}/{text_path.name} is missing"))
        return None, problems
    digest = hashlib.sha256(data).hexdigest()
    if digest != record.document.text_sha256:
        problems.append(Problem(shown_as, "/document/text_sha256", "text-sha256",
                                f"text {text_path.name} has sha256 {digest}, not the recorded "
                                f"{record.document.text_sha256}; raw texts are never edited"))
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown_as, "/document/id", "text-encoding",
                                f"raw text {text_path.name} is not UTF-8 (byte {exc.start})"))
        return None, problems


def validate_value(value: Any, path: Path, texts_dir: Path, shown_as: str, engine: str = "fast",
                   has_floats: bool | None = None) -> FileResult:
    """Validate an already parsed annotation file value."""
    result = FileResult(path, shown_as)
    if schema_is_valid(value, engine, has_floats) is not True:
        result.problems += schema_problems(value, shown_as)
    if result.problems:
        return result
    record = from_json(value)
    result.record = record
    result.doc_id = record.doc_id
    text, problems = check_text(record, path, texts_dir, shown_as)
    result.problems += problems
    if text is not None:
        result.problems += run_checks(record, text, shown_as)
    return result


def validate_file(path: Path, texts_dir: Path, shown_as: str | None = None, engine: str = "fast") -> FileResult:
    """Validate one annotation file from disk."""
    shown = shown_as or str(path)
    value, problems, has_floats = load_json_file_noting_floats(path, shown)
    if problems:
        return FileResult(path, shown, problems)
    return validate_value(value, path, texts_dir, shown, engine, has_floats)


#: Below this many files a single process is faster than starting workers.
PARALLEL_MIN_FILES = 64
#: Files handed to the worker processes at a time.
PARALLEL_CHUNK = 512


def _validate_job(job: tuple[str, str, str, str, bool]) -> tuple[list[Problem], AnnotationFile | None, str | None]:
    """What a worker sends back: little to pickle (no paths, the record only when asked)."""
    path, texts_dir, shown, engine, keep_record = job
    result = validate_file(Path(path), Path(texts_dir), shown, engine)
    return result.problems, result.record if keep_record else None, result.doc_id


def iter_validate(paths: list[Path], texts_dir: Path, shown: list[str] | None = None, *,
                  engine: str = "fast", jobs: int | None = None, keep_records: bool = True) -> Iterator[FileResult]:
    """Validate many files, in worker processes when there are enough of them.

    Results come in the order of ``paths`` whatever the number of workers, so the
    findings and their order are those of a single-process run; files go to the
    workers a chunk at a time, so memory does not grow with the corpus.
    """
    texts = str(texts_dir)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    parallel = workers > 1 and len(paths) >= PARALLEL_MIN_FILES
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    def submit(start: int) -> tuple[range, list[tuple[str, str, str, str, bool]], Iterator[Any]]:
        indices = range(start, min(start + PARALLEL_CHUNK, len(paths)))
        chunk = [(str(paths[i]), texts, shown[i] if shown else str(paths[i]), engine, keep_records)
                 for i in indices]
        outcomes = pool.imap(_validate_job, chunk, chunksize=64) if pool else map(_validate_job, chunk)
        return indices, chunk, outcomes

    with context.Pool(workers) if parallel else contextlib.nullcontext() as pool:
        starts = range(0, len(paths), PARALLEL_CHUNK)
        # two chunks in flight: the workers start on the next one while this one is collected
        pending = collections.deque(submit(start) for start in starts[:2])
        next_start = 2
        while pending:
            indices, chunk, outcomes = pending.popleft()
            if next_start < len(starts):
                pending.append(submit(starts[next_start]))
                next_start += 1
            for i, job, (problems, record, doc_id) in zip(indices, chunk, outcomes):
                yield FileResult(paths[i], job[2], problems, record, doc_id)


def validate_files(paths: list[Path], texts_dir: Path, shown: list[str] | None = None, *,
                   engine: str = "fast", jobs: int | None = None, keep_records: bool = True) -> list[FileResult]:
    """Every file's result, in order (see :func:`iter_validate`)."""
    return list(iter_validate(paths, texts_dir, shown, engine=engine, jobs=jobs, keep_records=keep_records))


class CrossFileCheck:
    """Checks across files, fed one result at a time: each document id in exactly one file
    (and so one split). Keeps only each id and its file name, not the records."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}
        self.problems: list[Problem] = []

    def add(self, result: FileResult) -> None:
        doc_id = result.doc_id
        if doc_id is None:
            return
        if doc_id in self.seen:
            self.problems.append(Problem(result.shown_as, "/document/id", "duplicate-document",
                                         f"document {doc_id} is also annotated in {self.seen[doc_id]}; "
                                         "a document has one annotation file and one split"))
        else:
            self.seen[doc_id] = result.shown_as


def corpus_problems(results: Iterable[FileResult]) -> list[Problem]:
    """Checks across files (see :class:`CrossFileCheck`)."""
    check = CrossFileCheck()
    for result in results:
        check.add(result)
    return check.problems


def render_json(problems: list[Problem], files: int) -> str:
    """The ``--format json`` report."""
    errors = sum(p.severity == ERROR for p in problems)
    return json.dumps({
        "files": files,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [p.as_json() for p in problems],
    }, ensure_ascii=False, indent=2)


__all__ = [
    "CrossFileCheck", "FileResult", "check_text", "corpus_problems", "render_json", "schema_problems",
    "validate_file", "validate_value",
]
