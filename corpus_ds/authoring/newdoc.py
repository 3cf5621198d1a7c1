"""Creating the annotation file of a document that enters the corpus."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import atomic_write_text, write_new_bytes
from ..load import CorpusPaths, check_document
from ..load.files import MAX_TEXT_BYTES, ReadFailure, read_bounded
from ..load.texts import decode_text
from ..model.fileformat import dumps_annotation
from ..model.problems import CorpusError, fail, printable
from ..model.records import (
    SCHEMA_VERSION,
    AnnotationFile,
    Metadata,
    PublicationDate,
    Publisher,
    empty_provenance,
    to_json,
)
from ..model.splits import assign_split

LICENCE_TEMPLATE = (
    "Text: copyright of its publisher{publisher}, included unchanged for non-commercial "
    "research on annotation; not covered by the annotation licence. "
    "Annotations: CC BY 4.0."
)


def text_sha256(data: bytes) -> str:
    """The hex sha256 recorded for a raw text."""
    return hashlib.sha256(data).hexdigest()


def document_id(data: bytes) -> str:
    """The id of a text added with ``corpus-ds add``: the first 16 hex digits of its sha256.

    (The five seed texts keep the ids in their source file names.)
    """
    return text_sha256(data)[:16]


def new_annotation_file(
    doc_id: str,
    text: bytes,
    *,
    source_file: str,
    title: str | None,
    publisher: Publisher,
    published: PublicationDate,
    language: str = "en",
) -> AnnotationFile:
    """The annotation file of a new document: metadata, rule-given split, empty layers."""
    named = f" ({publisher.name})" if publisher.name else ""
    metadata = Metadata(
        id=doc_id,
        title=title,
        publisher=publisher,
        published=published,
        language=language,
        split=assign_split(doc_id),
        source_file=source_file,
        text_sha256=text_sha256(text),
        licence=LICENCE_TEMPLATE.format(publisher=named),
    )
    return AnnotationFile(schema_version=SCHEMA_VERSION, document=metadata,
                          provenance=empty_provenance())


_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Added:
    """A document that entered the corpus: its id, split and size."""

    doc_id: str
    split: str
    characters: int


def _argument(value: str | None, name: str, required: bool) -> str | None:
    """A metadata value from the command line: no control characters, not blank."""
    if value is None:
        if required:
            raise fail("(command line)", name, "bad-argument", f"{name} is required")
        return None
    if not value.strip():
        raise fail("(command line)", name, "bad-argument", f"{name} is blank")
    if _CONTROL.search(value) or value != value.strip():
        raise fail("(command line)", name, "bad-argument",
                   f"{name} {printable(value[:60])!r} has control characters, line breaks or outer spaces")
    return value


def _publication_date(date: str, evidence: str | None) -> PublicationDate:
    if not _DATE.fullmatch(date):
        raise fail("(command line)", "--date", "bad-date", f"--date {printable(date[:40])!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        datetime.date.fromisoformat({4: f"{date}-01-01", 7: f"{date}-01", 10: date}[len(date)])
    except ValueError:
        raise fail("(command line)", "--date", "bad-date", f"--date {date!r} is not a calendar date") from None
    precision = {4: "year", 7: "month", 10: "day"}[len(date)]
    return PublicationDate(date, precision, None, None, evidence or "given when the text was added")


def add_document(corpus: CorpusPaths, source: Path, *, publisher: str, date: str, date_evidence: str | None = None,
                 title: str | None = None, language: str = "en") -> Added:
    """Copy a raw text into the corpus byte for byte, with an annotation file of empty layers.

    The id is the first 16 hex digits of the text's sha256 and the split follows the split
    rule. Refused (CorpusError, nothing written): unreadable, non-regular or oversized files,
    empty texts, invalid UTF-8, a byte-order mark, a text already in the corpus, bad metadata.
    Line ends are kept as they are (``\\r\\n`` included): offsets count every character.
    """
    shown = str(source)
    _argument(publisher, "--publisher", True)
    _argument(date_evidence, "--date-evidence", False)
    _argument(title, "--title", False)
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise fail("(command line)", "--language", "bad-argument", "--language is an ISO 639 code such as en")
    published = _publication_date(date, date_evidence)
    try:
        data = read_bounded(source, MAX_TEXT_BYTES)
    except ReadFailure as failure:
        raise fail(shown, "", failure.code, f"the text {failure.message}") from None
    if not data.strip():
        raise fail(shown, "", "empty-text", "the text is empty")
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise fail(shown, "", "invalid-utf8", f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte {exc.start})") from None
    if text.startswith("\ufeff"):
        raise fail(shown, "", "bom", "starts with a byte-order mark; raw texts are UTF-8 without BOM")
    digest = text_sha256(data)
    for existing in sorted(corpus.texts.glob("*.txt")):
        try:
            if text_sha256(read_bounded(existing, MAX_TEXT_BYTES, corpus.texts)) == digest:
                raise fail(shown, "", "duplicate-text", f"the same bytes are already in the corpus as {existing.name}")
        except ReadFailure:
            continue
    doc_id = document_id(data)
    if corpus.text_file(doc_id).exists() or corpus.annotation_file(doc_id).exists():
        raise fail(shown, "", "duplicate-id", f"document id {doc_id} is already used")
    first_line = text.splitlines()[0].strip() if text.strip() else ""
    record = new_annotation_file(
        doc_id, data, source_file=_source_name(source.name),
        title=title or (first_line if first_line and not _CONTROL.search(first_line) else None),
        publisher=Publisher(publisher, "stated", "given when the text was added"),
        published=published, language=language)
    outcome = check_document(record, text, corpus.annotation_file(doc_id), str(corpus.annotation_file(doc_id)))
    if not outcome.ok:
        raise CorpusError(outcome.problems)
    corpus.texts.mkdir(parents=True, exist_ok=True)
    text_path = corpus.text_file(doc_id)
    write_new_bytes(text_path, data)
    try:
        atomic_write_text(corpus.annotation_file(doc_id), dumps_annotation(to_json(record)))
    except BaseException:
        text_path.unlink(missing_ok=True)
        raise
    return Added(doc_id, record.document.split, len(text))


def _source_name(name: str) -> str:
    """The recorded source file name: the given one (made safe), ending in .txt."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") or "text"
    return safe if safe.endswith(".txt") else f"{safe}.txt"
