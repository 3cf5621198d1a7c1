"""``corpus-ds verify``: rebuild a release from its sources and check every checksum."""

from __future__ import annotations

import argparse

from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check a release against its manifest and rebuild it byte for byte")
    p.add_argument("version", metavar="VERSION")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..release import ReleaseError, verify_release

    try:
        result = verify_release(corpus_paths(args).root, args.version)
    except ReleaseError as exc:
        print(f"corpus-ds verify: {exc}")
        return 1
    for problem in result.problems:
        print(f"releases/{args.version}/{problem}")
    if result.problems:
        print(f"release {args.version}: {len(result.problems)} problem(s)")
        return 1
    print(f"release {args.version}: {result.checked} files match the manifest and the rebuild "
          f"from {result.rebuilt_from}")
    return 0
