"""``corpus-ds diff``: what changed between two releases (or a release and the working tree)."""

from __future__ import annotations

import argparse
import json

from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="annotations added, removed and changed between two corpus versions",
                       description="OLD and NEW are released versions or 'working' for the working "
                                   "tree. Exit 1 if a document changed split.")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..diff import diff_states, render_text
    from ..release import ReleaseError, resolve_state

    root = corpus_paths(args).root
    try:
        old, old_features, old_name = resolve_state(root, args.old)
        new, new_features, new_name = resolve_state(root, args.new)
    except ReleaseError as exc:
        print(f"corpus-ds diff: {exc}")
        return 1
    diff = diff_states(old, new, old_name=old_name, new_name=new_name,
                       old_features=old_features, new_features=new_features)
    print(json.dumps(diff.as_json(), indent=2) if args.format == "json" else render_text(diff), end="\n" if args.format == "json" else "")
    return 1 if diff.errors else 0
