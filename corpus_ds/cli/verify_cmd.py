"""``corpus-ds verify``: rebuild a release from its sources and check every checksum."""

from __future__ import annotations

import argparse

from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("verify", help="check a release against its manifest and rebuild it byte for byte",
                       description="The rebuild uses the code and sources of the commit the manifest "
                                   "records, so old releases verify whatever the current code publishes.")
    p.add_argument("version", metavar="VERSION")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..publish.verify import verify_release

    result = verify_release(corpus_paths(args).root, args.version)
    for problem in result.problems:
        print(f"releases/{args.version}/{problem}")
    if result.problems:
        print(f"release {args.version}: {len(result.problems)} problem(s)")
        return 1
    print(f"release {args.version}: {result.checked} files match the manifest and the rebuild "
          f"from {result.rebuilt_from}")
    return 0
