"""The ``corpus-ds`` command line: the only place that prints or exits.

Each verb is a module of this package with ``add_parser(subparsers)`` and
``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

VERBS = ("validate", "show", "author", "schema")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpus-ds",
        description="Validate, review, compare and publish the corpus_ds annotated news corpus.",
    )
    parser.add_argument("--root", default=None,
                        help="corpus folder holding texts/ and annotations/ (default: found from the current folder)")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND", required=True)
    for verb in VERBS:
        module = import_module(f"{__name__}.{verb}_cmd")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
