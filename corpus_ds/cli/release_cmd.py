"""``corpus-ds release``: cut an immutable, reproducible corpus release."""

from __future__ import annotations

import argparse
import datetime

from .common import add_quiet, corpus_paths, progress_bar


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("release", help="validate, build and write releases/VERSION with its manifest",
                       description="Refuses a version that understates the change since the last "
                                   "release; re-running an existing version with the same sources "
                                   "is a no-op, with other sources an error. One release at a time.")
    p.add_argument("version", metavar="VERSION", help="the corpus version, MAJOR.MINOR.PATCH")
    p.add_argument("--date", default=None, help="release date (default: today, YYYY-MM-DD)")
    p.add_argument("--allow-dirty", action="store_true",
                   help="release even if sources or code have uncommitted changes")
    add_quiet(p)
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..publish.release import cut_release

    date = args.date or datetime.date.today().isoformat()
    result = cut_release(corpus_paths(args).root, args.version, date, allow_dirty=args.allow_dirty,
                         progress=progress_bar(args))
    if result.noop:
        print(f"release {args.version} already exists with the same sources; nothing to do")
        return 0
    print(f"released {args.version} into {result.folder} ({len(result.manifest['files'])} files)")
    print(f"CHANGELOG.md has its entry; load it with: load_dataset(\"{result.folder}\")")
    return 0
