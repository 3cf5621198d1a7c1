"""``corpus-ds author``: compile an annotator's draft into an annotation file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..authoring.drafts import author
from ..review.show import render
from .common import corpus_paths
from .report import emit, say


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("author", help="compile a draft (phrases and anchors) into an annotation file",
                       description="Resolve every anchor of a draft to offsets, number the annotations "
                                   "in text order, validate, and write the annotation file only when "
                                   "it is valid.")
    p.add_argument("draft", help="the draft JSON file")
    p.add_argument("--out", default=None,
                   help="annotation file to write (default: ROOT/annotations/DOC.json)")
    p.add_argument("--base", default=None,
                   help="annotation file whose metadata to keep (default: ROOT/annotations/DOC.json)")
    p.add_argument("--fresh-ids", action="store_true",
                   help="take only the base file's metadata, not its annotations, so ids are numbered "
                        "afresh and none of the base's shows through (for an independent second pass)")
    p.add_argument("--show", action="store_true", help="print the rendered document afterwards")
    p.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    result = author(corpus_paths(args), Path(args.draft), out=Path(args.out) if args.out else None,
                    base=Path(args.base) if args.base else None, fresh_ids=args.fresh_ids,
                    dry_run=args.dry_run)
    if args.show and result.record is not None:
        say(render(result.record, result.text).rstrip("\n"))
    if result.problems:
        emit(result.problems, args.format)
        print(f"{len(result.problems)} problem(s) in the compiled annotations; nothing written")
        return 1
    record = result.record
    assert record is not None
    print(f"{result.out}: {len(record.zones)} zones, {len(record.entities)} entities, "
          f"{len(record.mentions)} mentions, {len(record.quotes)} quotes, "
          f"{len(record.events)} events{'' if result.written else ' (dry run, not written)'}")
    return 0
