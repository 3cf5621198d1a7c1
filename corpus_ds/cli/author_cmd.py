"""``corpus-ds author``: compile an annotator's draft into an annotation file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..authoring import compile_draft
from ..jsonio import atomic_write_text, dumps_annotation, load_json_file
from ..model import empty_provenance, replace, to_json
from ..render import render
from ..validate import validate_file, validate_value
from .common import corpus_paths, print_problems, usage_error


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("author", help="compile a draft (phrases and anchors) into an annotation file",
                       description="Resolve every anchor of a draft to offsets, number the annotations "
                                   "in text order, validate, and write the annotation file only when "
                                   "it is valid.")
    p.add_argument("draft", help="the draft JSON file")
    p.add_argument("--out", default=None,
                   help="annotation file to write (default: ROOT/annotations/DOC.json)")
    p.add_argument("--base", default=None,
                   help="annotation file whose metadata to keep (default: ROOT/annotations/DOC.json)")
    p.add_argument("--fresh-ids", action="store_true",
                   help="take only the base file's metadata, not its annotations, so ids are numbered "
                        "afresh and none of the base's shows through (for an independent second pass)")
    p.add_argument("--show", action="store_true", help="print the rendered document afterwards")
    p.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    corpus = corpus_paths(args)
    draft_path = Path(args.draft)
    draft, problems = load_json_file(draft_path, str(draft_path))
    if problems:
        print_problems(problems)
        return 1
    doc_id = draft.get("doc") if isinstance(draft, dict) else None
    if not isinstance(doc_id, str):
        return usage_error(f'{draft_path}: the draft needs a "doc" id')
    base_path = Path(args.base) if args.base else corpus.annotation_file(doc_id)
    base = validate_file(base_path, corpus.texts)
    if base.record is None:
        print_problems(base.problems)
        return 1
    base_record = base.record
    if args.fresh_ids:
        base_record = replace(base_record, provenance=empty_provenance(), zones=(), entities=(),
                              mentions=(), quotes=(), events=())
    text = corpus.text_file(doc_id).read_text(encoding="utf-8")
    compiled, problems = compile_draft(draft, base_record, text, str(draft_path))
    if compiled is None:
        print_problems(problems)
        print(f"{len(problems)} problem(s) in the draft; nothing written")
        return 1
    out = Path(args.out) if args.out else corpus.annotation_file(doc_id)
    value = to_json(compiled)
    result = validate_value(value, out, corpus.texts, str(out))
    if args.show:
        print(render(compiled, text), end="")
    if not result.ok:
        print_problems(result.problems)
        print(f"{len(result.problems)} problem(s) in the compiled annotations; nothing written")
        return 1
    if not args.dry_run:
        atomic_write_text(out, dumps_annotation(value))
    print(f"{out}: {len(compiled.zones)} zones, {len(compiled.entities)} entities, "
          f"{len(compiled.mentions)} mentions, {len(compiled.quotes)} quotes, "
          f"{len(compiled.events)} events{' (dry run, not written)' if args.dry_run else ''}")
    return 0
