"""``corpus-ds schema``: print or write the generated JSON Schema."""

from __future__ import annotations

import argparse

from ..fsutil import atomic_write_text
from ..model.schema import SCHEMA_FILE, schema_text
from .common import corpus_paths

FORMATS = ("text",)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("schema", help="print the annotation file's JSON Schema (or --write it)")
    p.add_argument("--write", action="store_true", help="write schema/annotation.schema.json")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    if args.write:
        path = corpus_paths(args).schema / SCHEMA_FILE
        atomic_write_text(path, schema_text())
        print(f"wrote {path}")
    else:
        print(schema_text(), end="")
    return 0
