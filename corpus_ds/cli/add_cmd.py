"""``corpus-ds add``: bring a new raw text into the corpus, with an empty annotation file."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..jsonio import atomic_write_text, dumps_annotation
from ..model import PublicationDate, Publisher, to_json
from ..newdoc import document_id, new_annotation_file, text_sha256
from ..validate import validate_value
from .common import corpus_paths, print_problems

_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("add", help="add a raw text to the corpus with an empty annotation file",
                       description="Copies the text's bytes into texts/ unchanged, names it by the first "
                                   "16 hex digits of its sha256, assigns its split by the split rule and "
                                   "writes an annotation file with empty layers. Writes nothing on error.")
    p.add_argument("text_file", metavar="TEXT_FILE")
    p.add_argument("--publisher", required=True, help="the outlet or agency that published it")
    p.add_argument("--date", required=True, help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--date-evidence", default=None, help="how the date is known (default: given by the user)")
    p.add_argument("--title", default=None, help="headline (default: the first line of the text)")
    p.add_argument("--language", default="en")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    source = Path(args.text_file)

    def refuse(message: str) -> int:
        print(f"corpus-ds add: {source}: {message}; nothing written")
        return 1

    try:
        data = source.read_bytes()
    except OSError as exc:
        return refuse(f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return refuse("the text is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return refuse(f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte {exc.start})")
    if text.startswith("\ufeff"):
        return refuse("starts with a byte-order mark; raw texts are UTF-8 without BOM")
    if not _DATE.match(args.date):
        return refuse(f"--date {args.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    digest = text_sha256(data)
    for existing in sorted(corpus.texts.glob("*.txt")):
        if text_sha256(existing.read_bytes()) == digest:
            return refuse(f"the same bytes are already in the corpus as {existing.name}")
    doc_id = document_id(data)
    if corpus.text_file(doc_id).exists() or corpus.annotation_file(doc_id).exists():
        return refuse(f"document id {doc_id} is already used")
    precision = {4: "year", 7: "month", 10: "day"}[len(args.date)]
    title = args.title or text.split("\n", 1)[0].strip() or None
    record = new_annotation_file(
        doc_id, data, source_file=source.name if source.name.endswith(".txt") else f"{source.name}.txt",
        title=title, publisher=Publisher(args.publisher, "stated", "given when the text was added"),
        published=PublicationDate(args.date, precision, None, None,
                                  args.date_evidence or "given when the text was added"),
        language=args.language)
    value = to_json(record)
    corpus.texts.mkdir(parents=True, exist_ok=True)
    text_path = corpus.text_file(doc_id)
    text_path.write_bytes(data)
    result = validate_value(value, corpus.annotation_file(doc_id), corpus.texts, str(corpus.annotation_file(doc_id)))
    if not result.ok:
        text_path.unlink()
        print_problems(result.problems)
        return refuse("the new annotation file would be invalid")
    atomic_write_text(corpus.annotation_file(doc_id), dumps_annotation(value))
    print(f"added {doc_id} ({len(text)} characters, split {record.document.split}): "
          f"texts/{doc_id}.txt and annotations/{doc_id}.json; its layers are not annotated yet")
    return 0
