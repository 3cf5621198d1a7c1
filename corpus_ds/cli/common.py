"""What the verbs share: finding the corpus from the arguments, and the progress display."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..load import CorpusPaths, Progress, find_root

#: ``CORPUS_DS_PROGRESS=1`` shows progress even when stderr is not a terminal, ``=0`` never.
PROGRESS_ENV = "CORPUS_DS_PROGRESS"


def corpus_paths(args: argparse.Namespace) -> CorpusPaths:
    """The corpus named by ``--root``, or the one found from the current folder."""
    return CorpusPaths(Path(args.root) if args.root else find_root())


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """``--quiet``: no progress display (it is shown on stderr only when stderr is a terminal)."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help=f"show no progress on stderr (shown only when stderr is a terminal, or "
                             f"when {PROGRESS_ENV}=1)")


def progress_bar(args: argparse.Namespace) -> Progress | None:
    """A progress bar on stderr for the library's long runs, or None: off with ``--quiet``, off
    when stderr is not a terminal unless ``CORPUS_DS_PROGRESS=1``, never with ``=0``."""
    if getattr(args, "quiet", False):
        return None
    setting = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if setting in ("0", "no", "off", "never"):
        return None
    if setting not in ("1", "yes", "on", "always") and not sys.stderr.isatty():
        return None
    stream = sys.stderr

    def bar(items: Iterator[Any], total: int, what: str) -> Iterator[Any]:
        from tqdm import tqdm

        with tqdm(total=total or None, desc=what, unit=" files", file=stream, dynamic_ncols=True,
                  mininterval=0.25) as shown:
            for item in items:
                yield item
                shown.update(1)

    return bar
