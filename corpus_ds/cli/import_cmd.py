"""``corpus-ds import``: annotations back from an annotation tool, validated before writing."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..exchange import IMPORTERS, TOOL_NAMES
from ..exchange.imports import apply_import
from ..load import load_corpus
from ..model.problems import usage
from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("import", help="import annotations from an annotation tool into the annotation files",
                       description="Every imported document is validated; nothing is written if any is "
                                   "invalid, all changed files are written at once, and an existing "
                                   "annotation file is only replaced with --replace (then the changes "
                                   "are printed).")
    p.add_argument("format", choices=tuple(IMPORTERS))
    p.add_argument("source", metavar="SOURCE", help="brat: folder of .ann files; labelstudio: export .json; xmi: folder of .xmi "
                                                      "files with TypeSystem.xml, INCEpTION ZIP files, or one of them")
    p.add_argument("--replace", action="store_true", help="overwrite existing annotation files that change")
    p.add_argument("--annotator", default="unknown", help="recorded in the provenance of the layers that change")
    p.add_argument("--completed-by", metavar="USER", default=None,
                   help="labelstudio: import the annotations of this Label Studio user (the numeric id the "
                        "export gives as completed_by, or an e-mail when it gives one); default: the latest "
                        "submitted annotation of each task")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    options = {}
    if args.completed_by is not None:
        if args.format != "labelstudio":
            raise usage("--completed-by", "not-for-format", "--completed-by chooses among Label Studio annotations; "
                                                            f"{args.format} has none")
        options["completed_by"] = args.completed_by
    corpus = load_corpus(corpus_paths(args))
    changes = IMPORTERS[args.format](Path(args.source), corpus, **options)
    report = apply_import(corpus, changes, replace_files_too=args.replace, annotator=args.annotator,
                          tool=TOOL_NAMES[args.format])
    print("\n".join(report.lines))
    return 0
