"""Helpers shared by the verbs: finding the corpus, printing problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..paths import CorpusPaths, find_root
from ..problems import ERROR, Problem


def corpus_paths(args: argparse.Namespace) -> CorpusPaths:
    return CorpusPaths(Path(args.root) if args.root else find_root())


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.render())


def usage_error(message: str) -> int:
    print(f"corpus-ds: error: {message}", file=sys.stderr)
    return 2


def count_errors(problems: list[Problem]) -> int:
    return sum(p.severity == ERROR for p in problems)


def display_paths(paths: list[Path]) -> list[str]:
    """Each path relative to the current folder when it lies below it (folders resolved once)."""
    cwd = Path.cwd().resolve()
    folders: dict[Path, Path] = {}
    shown = []
    for path in paths:
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = path.parent.resolve()
        try:
            shown.append(str((folder / path.name).relative_to(cwd)))
        except ValueError:
            shown.append(str(path))
    return shown
