"""The ``corpus-ds`` command line: the only place that prints or exits.

Each verb is a module of this package with ``add_parser(subparsers)`` and ``run(args) -> int``:
it parses its arguments, calls one library function, renders the result and returns the exit
status. A :class:`~corpus_ds.model.problems.CorpusError` from the library is rendered here
(text, or JSON with ``--format json``) with exit status 1; a usage error exits 2; nothing a
user can cause ends in a traceback (an unforeseen fault is reported as an internal error).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from importlib import import_module

from ..model.problems import CorpusError, Problem, UsageError
from .report import emit

VERBS = (
    "validate", "show", "view", "add", "author", "export", "import", "agree", "build", "release", "diff",
    "verify", "push", "schema", "docs",
)


def _verb_of(argv: list[str]) -> str | None:
    """The verb ``argv`` names, if it is a known one (options before it skipped)."""
    words = iter(argv)
    for word in words:
        if word == "--root":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in VERBS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every verb, or only the verb ``only`` (whose module alone is
    then imported, so a command starts without loading what the other verbs need)."""
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
    for verb in (only,) if only else VERBS:
        module = import_module(f"{__name__}.{verb}_cmd")
        verb_parser = module.add_parser(sub)
        formats = getattr(module, "FORMATS", ("text", "json"))
        verb_parser.add_argument("--format", choices=formats, default="text",
                                 help="output format (problems too); default text")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_verb_of(argv))
    args = parser.parse_args(argv)
    output_format = getattr(args, "format", "text")
    try:
        return int(args.run(args))
    except UsageError as error:  # an argument that names nothing usable: exit status 2, on stderr
        for problem in error.problems:
            print(f"corpus-ds {args.verb}: error: {problem.render()}", file=sys.stderr)
        return 2
    except CorpusError as error:
        emit(error.problems, "json" if output_format == "json" else "text")
        if output_format != "json":
            print(f"corpus-ds {args.verb}: {len(error.problems)} problem(s); nothing written")
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, a read-only folder, a vanished file
        where = exc.filename if isinstance(exc.filename, str) else "(system)"
        reason = exc.strerror or errno.errorcode.get(exc.errno or 0, str(exc))
        emit([Problem(where, "", "os-error", f"{reason}; nothing was left half-written")],
             "json" if output_format == "json" else "text")
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a message, not a traceback
        if os.environ.get("CORPUS_DS_DEBUG"):
            raise
        emit([Problem("(corpus-ds)", "", "internal-error",
                      f"{type(exc).__name__}: {str(exc)[:200]} (a bug in corpus-ds; rerun with "
                      "CORPUS_DS_DEBUG=1 for the traceback and report it)")],
             "json" if output_format == "json" else "text")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
