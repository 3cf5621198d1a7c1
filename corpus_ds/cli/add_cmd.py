"""``corpus-ds add``: bring a new raw text into the corpus, with an empty annotation file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..authoring.newdoc import add_document
from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("add", help="add a raw text to the corpus with an empty annotation file",
                       description="Copies the text's bytes into texts/ unchanged (line ends included), "
                                   "names it by the first 16 hex digits of its sha256, assigns its split "
                                   "by the split rule and writes an annotation file with empty layers. "
                                   "Writes nothing on error.")
    p.add_argument("text_file", metavar="TEXT_FILE")
    p.add_argument("--publisher", required=True, help="the outlet or agency that published it")
    p.add_argument("--date", required=True, help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--date-evidence", default=None, help="how the date is known (default: given by the user)")
    p.add_argument("--title", default=None, help="headline (default: the first line of the text)")
    p.add_argument("--language", default="en")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    added = add_document(corpus_paths(args), Path(args.text_file), publisher=args.publisher, date=args.date,
                         date_evidence=args.date_evidence, title=args.title, language=args.language)
    print(f"added {added.doc_id} ({added.characters} characters, split {added.split}): "
          f"texts/{added.doc_id}.txt and annotations/{added.doc_id}.json; its layers are not annotated yet")
    return 0
