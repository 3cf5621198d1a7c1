"""``corpus-ds export``: the corpus for annotation tools (brat standoff, Label Studio tasks)."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from ..validate import validate_file
from .common import corpus_paths, print_problems


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the corpus as brat standoff or Label Studio tasks")
    p.add_argument("format", choices=("brat", "labelstudio"))
    p.add_argument("target", metavar="DIR_OR_FILE",
                   help="brat: a folder for .txt/.ann pairs and the confs; labelstudio: a .json file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..brat import annotation_conf, export_ann, visual_conf
    from ..jsonio import atomic_write_text
    from ..labelstudio import export_tasks, labelling_config

    corpus = corpus_paths(args)
    results = [validate_file(p, corpus.texts) for p in corpus.annotation_files()]
    bad = [p for r in results for p in r.problems if p.severity == "error"]
    if bad:
        print_problems(bad)
        return 1
    records = [(r.record, corpus.text_file(r.record.doc_id)) for r in results if r.record]
    target = Path(args.target)
    if args.format == "brat":
        target.mkdir(parents=True, exist_ok=True)
        for record, text_path in records:
            shutil.copyfile(text_path, target / f"{record.doc_id}.txt")
            atomic_write_text(target / f"{record.doc_id}.ann",
                              export_ann(record, text_path.read_text(encoding="utf-8")))
        atomic_write_text(target / "annotation.conf", annotation_conf())
        atomic_write_text(target / "visual.conf", visual_conf())
        print(f"wrote {len(records)} .txt/.ann pairs with annotation.conf and visual.conf to {target}")
    else:
        tasks = export_tasks([(record, path.read_text(encoding="utf-8")) for record, path in records])
        atomic_write_text(target, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
        config = target.with_suffix(".config.xml")
        atomic_write_text(config, labelling_config())
        print(f"wrote {len(tasks)} Label Studio tasks with predictions to {target} "
              f"and the labelling config to {config}")
    return 0
