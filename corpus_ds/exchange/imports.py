"""The import step every format shares: validate what was produced, diff it, write all or nothing.

An importer (brat, Label Studio, ...) reads its tool's files and returns, for each document,
the new record it describes (:class:`Change`); this module checks each against the document's
text, records in ``provenance`` who changed which layer, refuses to overwrite without
``replace``, and writes every changed annotation file at once (:func:`corpus_ds.fsutil.replace_files`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..fsutil import replace_files
from ..load import Corpus, check_document
from ..model.fileformat import dumps_annotation
from ..model.labels import LAYERS
from ..model.problems import CorpusError, Problem, usage
from ..model.records import AnnotationFile, LayerProvenance, replace, to_json
from ..publish.diff import diff_states, render_text


@dataclass(frozen=True)
class Change:
    """What an importer made of one document: its id, the new record, and where it came from."""

    doc_id: str
    record: AnnotationFile
    source: str
    #: What the importer wants said about this document (e.g. "skipped in Label Studio; file kept").
    note: str = ""


@dataclass
class ImportReport:
    """What an import did (or, without ``replace``, would do)."""

    lines: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _layer_content(record: AnnotationFile) -> dict[str, object]:
    return {"zones": record.zones, "entities": (record.entities, record.mentions),
            "quotes": record.quotes, "events": record.events}


def mark_provenance(new: AnnotationFile, old: AnnotationFile, annotator: str, tool: str,
                    today: str | None = None) -> AnnotationFile:
    """``new`` with the provenance of every layer that changed saying who changed it, with what.

    A layer that was ``not_started`` becomes ``in_progress`` by ``annotator``; a layer that had
    annotations keeps its status and checkers, gains ``annotator`` among its annotators, the
    date, and a note of the edit. Unchanged layers keep their provenance exactly.
    """
    day = today or datetime.date.today().isoformat()
    before, after = _layer_content(old), _layer_content(new)
    provenance = dict(new.provenance)
    for layer in LAYERS:
        if before[layer] == after[layer]:
            continue
        current = provenance[layer]
        note = f"edited in {tool} by {annotator} on {day}"
        if current.status == "not_started":
            provenance[layer] = LayerProvenance(status="in_progress", annotated_by=(annotator,),
                                                annotated_on=day, notes=f"imported from {tool}")
        else:
            annotators = current.annotated_by + (() if annotator in current.annotated_by else (annotator,))
            earlier = (current.notes or "").rstrip().rstrip(".;").rstrip()
            notes = f"{earlier}; {note}" if earlier else note
            provenance[layer] = current._replace(annotated_by=annotators, annotated_on=day, notes=notes)
    return replace(new, provenance=provenance)


def apply_import(corpus: Corpus, changes: list[Change], *, replace_files_too: bool, annotator: str,
                 tool: str) -> ImportReport:
    """Validate every imported document and write them all, or none; CorpusError on any problem.

    Existing annotation files are only overwritten with ``replace_files_too``; otherwise the
    report says what would change and nothing is written.
    """
    if not changes:
        raise usage("SOURCE", "nothing-to-import",
                                   "the source holds no document to import")
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    prepared: list[tuple[str, AnnotationFile, AnnotationFile]] = []
    notes = {change.doc_id: f" ({change.note})" for change in changes if change.note}
    for change in changes:
        if change.doc_id in seen:
            problems.append(Problem(change.source, "", "duplicate-document",
                                    f"document {change.doc_id} is also imported from {seen[change.doc_id]}; "
                                    "an import carries each document once"))
            continue
        seen[change.doc_id] = change.source
        base = corpus.get(change.doc_id)
        new = mark_provenance(change.record, base.record, annotator, tool)
        outcome = check_document(new, base.text, base.path, f"{change.source} (imported)")
        problems += [p for p in outcome.problems if p.is_error]
        prepared.append((change.doc_id, base.record, new))
    if problems:
        raise CorpusError(problems)
    report = ImportReport()
    changed = [(doc_id, old, new) for doc_id, old, new in prepared if to_json(old) != to_json(new)]
    report.unchanged = [doc_id for doc_id, old, new in prepared if to_json(old) == to_json(new)]
    report.lines += [f"{doc_id}: unchanged{notes.get(doc_id, '')}" for doc_id in report.unchanged]
    if changed and not replace_files_too:
        raise CorpusError([Problem(f"annotations/{doc_id}.json", "", "would-overwrite",
                                   "the import would change this file; existing annotation files are "
                                   "never overwritten without --replace (nothing written)")
                           for doc_id, _, _ in changed])
    contents = {f"{doc_id}.json": dumps_annotation(to_json(new)).encode("utf-8") for doc_id, _, new in changed}
    if contents:
        replace_files(corpus.paths.annotations, contents)
    for doc_id, old, new in changed:
        diff = diff_states({doc_id: to_json(old)}, {doc_id: to_json(new)},
                           old_name=f"annotations/{doc_id}.json", new_name="import")
        if doc_id in notes:
            report.lines.append(f"{doc_id}:{notes[doc_id]}")
        report.lines.append(render_text(diff).rstrip("\n"))
        report.written.append(doc_id)
    report.lines.append(f"{len(changed)} file(s) written, {len(report.unchanged)} unchanged")
    return report
