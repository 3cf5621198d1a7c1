"""``corpus-ds agree``: agreement between two annotation sets of the same texts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..agree import DocumentPair, agreement, render_markdown, render_table
from ..validate import validate_file
from .common import corpus_paths, print_problems, usage_error


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agree", help="inter-annotator agreement between two annotation folders",
                       description="Compare the documents present in both folders: mentions "
                                   "(exact and overlap F1, per type), coreference (MUC, B-cubed), "
                                   "zones, quotes and events.")
    p.add_argument("dir_a", metavar="DIR_A", help="reference annotations (e.g. annotations/)")
    p.add_argument("dir_b", metavar="DIR_B", help="second annotator's annotations")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.set_defaults(run=run)


def _load(folder: Path, texts: Path) -> tuple[dict, list]:
    records, problems = {}, []
    for path in sorted(folder.glob("*.json")):
        result = validate_file(path, texts)
        problems += result.problems
        if result.record is not None and result.ok:
            records[result.record.doc_id] = result.record
    return records, problems


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    dir_a, dir_b = Path(args.dir_a), Path(args.dir_b)
    for folder in (dir_a, dir_b):
        if not folder.is_dir():
            return usage_error(f"not a folder: {folder}")
    set_a, problems_a = _load(dir_a, corpus.texts)
    set_b, problems_b = _load(dir_b, corpus.texts)
    if problems_a or problems_b:
        print_problems(problems_a + problems_b)
        print("agreement needs valid annotation files on both sides")
        return 1
    common = sorted(set(set_a) & set(set_b))
    if not common:
        return usage_error(f"no document is annotated in both {dir_a} and {dir_b}")
    pairs = [DocumentPair(d, set_a[d], set_b[d], corpus.text_file(d).read_text(encoding="utf-8"))
             for d in common]
    result = agreement(pairs)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    elif args.format == "markdown":
        print(render_markdown(result), end="")
    else:
        print(render_table(result), end="")
    return 0
