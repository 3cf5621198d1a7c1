"""Shared steps of every import: validate what was produced, diff it, write it safely."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .diff import diff_states, render_text
from .jsonio import atomic_write_text, dumps_annotation
from .model import AnnotationFile, LayerProvenance, to_json, replace
from .paths import CorpusPaths
from .problems import Problem
from .validate import validate_value


@dataclass
class Imported:
    """One document as an import produced it, before anything is written."""

    doc_id: str
    old: AnnotationFile
    new: AnnotationFile


def mark_provenance(record: AnnotationFile, annotator: str, tool: str) -> AnnotationFile:
    """Layers that got annotations but were ``not_started`` become ``in_progress`` by ``annotator``."""
    filled = {"zones": record.zones, "entities": record.mentions, "quotes": record.quotes, "events": record.events}
    provenance = dict(record.provenance)
    for layer, items in filled.items():
        if items and provenance[layer].status == "not_started":
            provenance[layer] = LayerProvenance(
                status="in_progress", annotated_by=(annotator,), annotated_on=datetime.date.today().isoformat(),
                notes=f"imported from {tool}")
    return replace(record, provenance=provenance)


def check_and_write(corpus: CorpusPaths, imported: list[Imported], replace_files: bool) -> tuple[int, list[str]]:
    """Validate every imported document; write them all (or none). Returns (exit status, report lines)."""
    problems: list[Problem] = []
    for item in imported:
        path = corpus.annotation_file(item.doc_id)
        result = validate_value(to_json(item.new), path, corpus.texts, f"{path} (imported)")
        problems += result.problems
    if problems:
        return 1, [p.render() for p in problems] + ["the import is invalid; nothing written"]
    changed = [item for item in imported if to_json(item.new) != to_json(item.old)]
    lines = [f"{item.doc_id}: unchanged" for item in imported if item not in changed]
    if changed and not replace_files:
        lines += [f"{item.doc_id}: would change annotations/{item.doc_id}.json" for item in changed]
        return 1, lines + ["existing annotation files are never overwritten without --replace; nothing written"]
    for item in changed:
        diff = diff_states({item.doc_id: to_json(item.old)}, {item.doc_id: to_json(item.new)},
                           old_name=f"annotations/{item.doc_id}.json", new_name="import")
        atomic_write_text(corpus.annotation_file(item.doc_id), dumps_annotation(to_json(item.new)))
        lines.append(render_text(diff).rstrip("\n"))
    lines.append(f"{len(changed)} file(s) written, {len(imported) - len(changed)} unchanged")
    return 0, lines


def base_record(corpus: CorpusPaths, doc_id: str) -> tuple[AnnotationFile | None, str | None]:
    """The existing annotation file an import fills, or why there is none."""
    from .validate import validate_file

    path = corpus.annotation_file(doc_id)
    if not path.exists():
        return None, f"no annotation file for document {doc_id}; add its text with corpus-ds add first"
    result = validate_file(path, corpus.texts)
    if result.record is None:
        return None, "; ".join(p.render() for p in result.problems)
    return result.record, None
