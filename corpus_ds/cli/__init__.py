"""The ``corpus-ds`` command line: the only place that prints or exits.

Each verb is a module of this package with ``add_parser(subparsers)`` and
``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

VERBS = (
    "validate", "show", "view", "add", "author", "export", "import", "agree", "build", "release", "diff", "verify", "push", "schema", "docs",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpus-ds",
        description="Validate, review, compare and publish the corpus_ds annotated news corpus.",
    )
    root_help = "corpus folder holding texts/ and annotations/ (default: found from the current folder)"
    parser.add_argument("--root", default=None, help=root_help)
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--root", default=argparse.SUPPRESS, help=root_help)
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND", required=True)
    original = sub.add_parser

    def add_parser(name: str, **kwargs: object) -> argparse.ArgumentParser:
        return original(name, parents=[shared], **kwargs)  # type: ignore[arg-type]

    sub.add_parser = add_parser  # type: ignore[method-assign]
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
