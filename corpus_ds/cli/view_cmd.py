"""``corpus-ds view``: write the static HTML review site."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from ..jsonio import replace_folder
from ..validate import validate_file
from ..view import render_document, render_index
from .common import corpus_paths, print_problems


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("view", help="write a static HTML review site (opens from the file system)")
    p.add_argument("--out", default=None, help="output folder (default: ROOT/site)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    out = (Path(args.out) if args.out else corpus.root / "site").resolve()
    results = [validate_file(p, corpus.texts) for p in corpus.annotation_files()]
    bad = [p for r in results for p in r.problems if p.severity == "error"]
    if bad:
        print_problems(bad)
        print("fix the invalid files first; nothing written")
        return 1
    records = [r.record for r in results if r.record is not None]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        (tmp / "index.html").write_text(render_index(records), encoding="utf-8")
        for record in records:
            text = corpus.text_file(record.doc_id).read_text(encoding="utf-8")
            (tmp / f"{record.doc_id}.html").write_text(render_document(record, text), encoding="utf-8")
        replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"wrote {len(records) + 1} pages to {out}; open {out / 'index.html'} in a browser")
    return 0
