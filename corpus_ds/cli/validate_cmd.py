"""``corpus-ds validate``: check annotation files and report every problem."""

from __future__ import annotations

import argparse
from operator import attrgetter
from pathlib import Path

from ..load import CorpusPaths, resolve_doc_id
from ..model.problems import usage
from ..validate.report import validate_files
from .common import add_quiet, corpus_paths, progress_bar
from .report import emit


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("validate", help="validate annotation files (default: the whole corpus)",
                       description="Parse each annotation file, check it against the JSON Schema, "
                                   "and run the semantic checks, all in one pass. Exit 0 when clean, "
                                   "1 when any file is invalid, 2 for a usage error.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="annotation files, folders of them, or document ids (a unique beginning is enough: 33fe)")
    p.add_argument("--texts", default=None, help="folder of raw texts (default: ROOT/texts)")
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: one per core when there are many files)")
    p.add_argument("--warnings", action="store_true",
                   help="also list likely omissions and inconsistencies across the given files "
                        "(unannotated names, type conflicts, uncovered quotations, ...); "
                        "warnings do not change the exit status")
    add_quiet(p)
    p.set_defaults(run=run)
    return p


def collect(paths: list[str], corpus: CorpusPaths) -> list[Path]:
    """Annotation files named by the arguments: files, folders of them, or document ids (or
    unique beginnings of ids) of the corpus; a usage error for arguments that name nothing."""
    files: list[Path] = []
    missing: list[str] = []
    by_id: dict[str, Path] | None = None
    for raw in paths or [str(corpus.annotations)]:
        path = Path(raw)
        if path.is_dir():
            files += sorted(path.glob("*.json"), key=attrgetter("name"))  # one folder: by name is by path, cheaper
        elif path.exists() or path.is_symlink():
            files.append(path)
        elif raw and all(c in "0123456789abcdefABCDEF" for c in raw):
            if by_id is None:
                by_id = {p.stem: p for p in corpus.annotation_files()}
            files.append(by_id[resolve_doc_id(raw, list(by_id), corpus.annotations)])
        else:
            missing.append(raw)
    if missing:
        raise usage("PATH", "no-such-file", f"no such file, folder or document: {', '.join(missing)}")
    if not files:
        raise usage("PATH", "no-files", "no annotation files to validate")
    return files


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    files = collect(args.paths, corpus)
    texts_dir = Path(args.texts) if args.texts else corpus.texts
    report = validate_files(files, texts_dir, warnings=args.warnings, jobs=args.jobs, progress=progress_bar(args))
    emit(report.problems, args.format, files=len(files))
    if args.format == "text":
        errors = len(report.errors)
        bad = len({p.file for p in report.errors})
        warned = f", {len(report.problems) - errors} warning(s)" if args.warnings else ""
        if errors:
            print(f"{len(files)} file(s) checked: {errors} error(s) in {bad} file(s){warned}")
        else:
            print(f"{len(files)} file(s) checked: all valid{warned}")
    return 0 if report.ok else 1
