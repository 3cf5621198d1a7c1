"""``corpus-ds diff``: what changed between two releases (or a release and the working tree)."""

from __future__ import annotations

import argparse
import json

from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("diff", help="annotations added, removed and changed between two corpus versions",
                       description="OLD and NEW are released versions or 'working' for the working "
                                   "tree. Exit 1 if a document changed split.")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..publish.diff import diff_states, render_text
    from ..publish.states import resolve_state

    root = corpus_paths(args).root
    old, old_features, old_name = resolve_state(root, args.old)
    new, new_features, new_name = resolve_state(root, args.new)
    diff = diff_states(old, new, old_name=old_name, new_name=new_name,
                       old_features=old_features, new_features=new_features)
    if args.format == "json":
        print(json.dumps(diff.as_json(), indent=2))
    else:
        print(render_text(diff), end="")
    return 1 if diff.errors else 0
