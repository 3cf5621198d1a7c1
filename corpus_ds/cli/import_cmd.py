"""``corpus-ds import``: annotations back from brat or Label Studio, validated before writing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .common import corpus_paths, usage_error


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import brat standoff or a Label Studio export into annotation files",
                       description="Every imported document is validated; nothing is written if any is "
                                   "invalid, and an existing annotation file is only replaced with --replace "
                                   "(then the changes are printed).")
    p.add_argument("format", choices=("brat", "labelstudio"))
    p.add_argument("source", metavar="DIR_OR_FILE", help="brat: folder of .ann files; labelstudio: export .json")
    p.add_argument("--replace", action="store_true", help="overwrite existing annotation files that change")
    p.add_argument("--annotator", default="unknown", help="recorded as annotator of layers that were empty")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..brat import BratError, import_ann
    from ..exchange import Imported, base_record, check_and_write, mark_provenance
    from ..labelstudio import LabelStudioError, import_export

    corpus = corpus_paths(args)
    source = Path(args.source)
    imported: list[Imported] = []
    try:
        if args.format == "brat":
            if not source.is_dir():
                return usage_error(f"not a folder: {source}")
            for ann in sorted(source.glob("*.ann")):
                base, why = base_record(corpus, ann.stem)
                if base is None:
                    print(f"{ann}: {why}")
                    return 1
                text = corpus.text_file(ann.stem).read_text(encoding="utf-8")
                new = import_ann(ann.read_text(encoding="utf-8"), base, text, str(ann))
                imported.append(Imported(ann.stem, base, mark_provenance(new, args.annotator, "brat")))
        else:
            try:
                export = json.loads(source.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                print(f"{source}: cannot read a Label Studio export: {exc}")
                return 1
            for doc_id, build_new in import_export(export, str(source)):
                base, why = base_record(corpus, doc_id)
                if base is None:
                    print(f"{source}: {why}")
                    return 1
                text = corpus.text_file(doc_id).read_text(encoding="utf-8")
                new = build_new(base, text)
                imported.append(Imported(doc_id, base, mark_provenance(new, args.annotator, "Label Studio")))
    except (BratError, LabelStudioError) as exc:
        print(f"{exc}; nothing written")
        return 1
    if not imported:
        return usage_error(f"nothing to import in {source}")
    status, lines = check_and_write(corpus, imported, args.replace)
    print("\n".join(lines))
    return status
