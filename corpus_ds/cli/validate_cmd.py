"""``corpus-ds validate``: check annotation files and report every problem."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..consistency import Annotated, corpus_warnings
from ..problems import ERROR
from ..validate import corpus_problems, render_json, validate_files
from .common import corpus_paths, display_paths, print_problems, usage_error


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="validate annotation files (default: the whole corpus)",
                       description="Parse each annotation file, check it against the JSON Schema, "
                                   "then run the semantic checks. Exit 0 when clean, 1 when any "
                                   "file is invalid, 2 for a usage error.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="annotation files or folders of them")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--texts", default=None, help="folder of raw texts (default: ROOT/texts)")
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: one per core when there are many files)")
    p.add_argument("--warnings", action="store_true",
                   help="also list likely omissions and inconsistencies across the given files "
                        "(unannotated names, type conflicts, uncovered quotations, ...); "
                        "warnings do not change the exit status")
    p.set_defaults(run=run)


def collect(paths: list[str], default_dir: Path) -> tuple[list[Path], list[str]]:
    """Annotation files named by the arguments, and the arguments that name nothing."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths or [str(default_dir)]:
        path = Path(raw)
        if path.is_dir():
            files += sorted(path.glob("*.json"))
        elif path.exists():
            files.append(path)
        else:
            missing.append(raw)
    return files, missing


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    files, missing = collect(args.paths, corpus.annotations)
    if missing:
        return usage_error(f"no such file or folder: {', '.join(missing)}")
    if not files:
        return usage_error("no annotation files to validate")
    texts_dir = Path(args.texts) if args.texts else corpus.texts
    results = validate_files(files, texts_dir, display_paths(files),
                             jobs=args.jobs, keep_records=args.warnings)
    problems = [p for r in results for p in r.problems] + corpus_problems(results)
    if args.warnings:
        docs = [Annotated(r.record, (texts_dir / f"{r.record.doc_id}.txt").read_text(encoding="utf-8"), r.shown_as)
                for r in results if r.record is not None and r.ok]
        problems += corpus_warnings(docs)
    if args.format == "json":
        print(render_json(problems, len(files)))
    else:
        print_problems(problems)
        errors = sum(p.severity == ERROR for p in problems)
        bad = len({p.file for p in problems if p.severity == ERROR})
        warned = f", {len(problems) - errors} warning(s)" if args.warnings else ""
        if errors:
            print(f"{len(files)} file(s) checked: {errors} error(s) in {bad} file(s){warned}")
        else:
            print(f"{len(files)} file(s) checked: all valid{warned}")
    return 1 if any(p.severity == ERROR for p in problems) else 0
