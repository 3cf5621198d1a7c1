"""``corpus-ds push``: upload a release to the Hugging Face Hub and tag it."""

from __future__ import annotations

import argparse

from .common import corpus_paths


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("push", help="upload releases/VERSION to a Hub dataset repo and tag it vVERSION")
    p.add_argument("version", metavar="VERSION")
    p.add_argument("--repo-id", required=True, metavar="OWNER/NAME")
    p.add_argument("--dry-run", action="store_true", help="print what would be uploaded and tagged; no network")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..publish.push import execute_push, plan_push

    plan = plan_push(corpus_paths(args).root, args.version, args.repo_id)
    print(plan.render())
    if args.dry_run:
        print("dry run: nothing uploaded, nothing tagged")
        return 0
    commit = execute_push(plan)
    print(f"uploaded as commit {commit} and tagged {plan.tag}")
    return 0
