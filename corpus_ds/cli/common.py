"""What the verbs share: finding the corpus from the arguments."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..load import CorpusPaths, find_root


def corpus_paths(args: argparse.Namespace) -> CorpusPaths:
    """The corpus named by ``--root``, or the one found from the current folder."""
    return CorpusPaths(Path(args.root) if args.root else find_root())
