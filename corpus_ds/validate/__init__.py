"""Validation of one parsed annotation file: the JSON Schema and the semantic checks, in one pass.

:func:`check_value` never raises on bad input and never reads files itself: the load stage
(:mod:`corpus_ds.load`) parses the file and hands over a function that reads the document's
raw text once. Every problem of the file is reported together: when the schema fails, the
semantic checks still run over the parts of the file that passed (:mod:`.partial`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from ..model.jsontext import parse_json_bytes
from ..model.problems import ERROR, Problem
from ..model.records import AnnotationFile, Metadata, from_json
from .checks import run_checks
from .fastpath import decode_valid
from .partial import WHOLE, Coverage, partial_record

#: Reads a document's raw text given its metadata: ``(text or None, problems)``.
TextReader = Callable[[Metadata], "tuple[str | None, list[Problem]]"]


class Checked(NamedTuple):
    """What validating one file found: its problems, its document id when readable, and its
    record with the text it was checked against (both only when the file has no error)."""

    problems: list[Problem]
    doc_id: str | None = None
    record: AnnotationFile | None = None
    text: str | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def _identity_problems(record: AnnotationFile, file_name: str | None, shown_as: str) -> list[Problem]:
    """The document id agrees with the annotation file's name and the source file's name."""
    problems: list[Problem] = []
    doc_id = record.doc_id
    if file_name is not None and file_name.endswith(".json") and file_name[:-5] != doc_id:
        problems.append(Problem(shown_as, "/document/id", "doc-id",
                                f"document id {doc_id!r} does not match the file name {file_name!r}"))
    match = re.search(r"([0-9a-f]{16})\.txt$", record.document.source_file)
    if match and match.group(1) != doc_id:
        problems.append(Problem(shown_as, "/document/source_file", "doc-id",
                                f"source file {record.document.source_file!r} does not carry "
                                f"document id {doc_id!r}"))
    return problems


def check_record(record: AnnotationFile, shown_as: str, read_text: TextReader, *, file_name: str | None = None,
                 coverage: Coverage = WHOLE, problems: list[Problem] | None = None) -> Checked:
    """The semantic problems of a record (of a whole file that passed the schema, or of the part
    ``coverage`` says passed it), with the file's identity and its text checked; ``problems``
    found before (the schema's) come first."""
    found = list(problems or ())
    text = None
    doc_id = None
    if coverage.document_ok:
        doc_id = record.doc_id
        found += _identity_problems(record, file_name, shown_as)
        text, text_problems = read_text(record.document)
        found += text_problems
    found += run_checks(record, text, shown_as, coverage)
    if any(p.severity == ERROR for p in found):
        return Checked(found, doc_id)
    return Checked(found, doc_id, record, text)


def check_value(value: Any, shown_as: str, read_text: TextReader, *, file_name: str | None = None) -> Checked:
    """Every problem of one parsed annotation file, schema (``jsonschema``, every finding) and
    semantic together. (:func:`check_bytes` tries the fast path first.)"""
    from .schema_check import schema_errors, schema_problems  # jsonschema: loaded only when needed
    errors = schema_errors(value)
    if not errors:
        return check_record(from_json(value), shown_as, read_text, file_name=file_name)
    partial, coverage = partial_record(value, (tuple(e.absolute_path) for e in errors))
    problems = schema_problems(errors, shown_as)
    if partial is None:
        return Checked(problems)
    return check_record(partial, shown_as, read_text, file_name=file_name, coverage=coverage, problems=problems)


def check_bytes(data: bytes, shown_as: str, read_text: TextReader, *, file_name: str | None = None,
                engine: str = "fast") -> Checked:
    """Every problem of one annotation file's bytes. The ``fast`` engine decodes a schema-valid
    file straight into its record (:mod:`.fastpath`); any other file, and every file with the
    ``python`` engine, is parsed and checked by ``jsonschema``, which reports every finding."""
    if engine == "fast":
        record = decode_valid(data)
        if record is not None:
            return check_record(record, shown_as, read_text, file_name=file_name)
    value, problems = parse_json_bytes(data, shown_as)
    if problems:
        return Checked(problems)
    return check_value(value, shown_as, read_text, file_name=file_name)


#: ``fast``: msgspec decides, jsonschema reports; ``python``: jsonschema alone. Same findings.
ENGINES = ("fast", "python")

__all__ = ["ENGINES", "Checked", "TextReader", "check_bytes", "check_record", "check_value"]
