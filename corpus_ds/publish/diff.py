"""What changed between two states of the corpus, and the version bump it needs.

A state is a mapping ``doc_id -> annotation-file JSON value`` plus the
features it is published with. Annotations are matched by id (ids are never
reused for a different annotation, contract §6).

Bump rules (the corpus's own semantic version):

- MAJOR: loading code breaks: a config or feature removed or changed, a label
  removed or renamed (ClassLabel order changed), or a document removed;
- MINOR: documents, annotations, labels (appended), configs or features added;
- PATCH: corrections to existing annotations or metadata (changed or removed
  annotations, changed metadata).

A document that changes split is an error, never a bump.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

LAYER_KEYS = ("zones", "entities", "mentions", "quotes", "events")
BUMPS = ("none", "patch", "minor", "major")
_LABEL_FIELDS = {
    "zones": ("type",), "entities": ("type",), "mentions": ("type", "mention_type"),
    "quotes": ("type",), "events": ("type", "realis"),
}


@dataclass
class LayerDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class DocumentDiff:
    doc_id: str
    metadata_changed: list[str] = field(default_factory=list)
    layers: dict[str, LayerDiff] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.metadata_changed or any(self.layers.values()))


@dataclass
class CorpusDiff:
    """Every difference between an old and a new corpus state."""

    old: str
    new: str
    added_documents: list[str] = field(default_factory=list)
    removed_documents: list[str] = field(default_factory=list)
    split_changes: list[tuple[str, str, str]] = field(default_factory=list)
    documents: list[DocumentDiff] = field(default_factory=list)
    label_deltas: dict[str, dict[str, int]] = field(default_factory=dict)
    schema_changes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"document {d} moved from split {a} to {b}; a released document never changes split"
                for d, a, b in self.split_changes]

    @property
    def required_bump(self) -> str:
        """The smallest version bump this difference allows."""
        level = 0
        for kind, _ in self.schema_changes:
            level = max(level, BUMPS.index(kind))
        if self.removed_documents:
            level = 3
        if self.added_documents or any(d.layers.get(k) and d.layers[k].added
                                       for d in self.documents for k in LAYER_KEYS):
            level = max(level, 2)
        if any(self.documents):
            level = max(level, 1)
        return BUMPS[level]

    def as_json(self) -> dict[str, Any]:
        return {
            "old": self.old, "new": self.new, "required_bump": self.required_bump,
            "errors": self.errors,
            "documents_added": self.added_documents, "documents_removed": self.removed_documents,
            "split_changes": [{"doc_id": d, "old": a, "new": b} for d, a, b in self.split_changes],
            "schema_changes": [{"bump": k, "change": c} for k, c in self.schema_changes],
            "label_deltas": self.label_deltas,
            "documents": [
                {"doc_id": d.doc_id, "metadata_changed": d.metadata_changed,
                 "layers": {k: {"added": v.added, "removed": v.removed, "changed": v.changed}
                            for k, v in d.layers.items() if v}}
                for d in self.documents if d
            ],
        }


def _label_counts(state: dict[str, dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for value in state.values():
        for layer, keys in _LABEL_FIELDS.items():
            for item in value[layer]:
                for key in keys:
                    counts[f"{layer}.{key}={item[key]}"] += 1
    return counts


def _layer_diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> LayerDiff:
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    diff = LayerDiff(
        added=[i for i in new_by_id if i not in old_by_id],
        removed=[i for i in old_by_id if i not in new_by_id],
    )
    for item_id, item in new_by_id.items():
        before = old_by_id.get(item_id)
        if before is not None and before != item:
            diff.changed[item_id] = [k for k in item if before.get(k) != item[k]]
    return diff


def features_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """Bump-classified differences between two ``{config: features-dict}`` declarations."""
    changes: list[tuple[str, str]] = []
    for config in old:
        if config not in new:
            changes.append(("major", f"config {config} removed"))
    for config in new:
        if config not in old:
            changes.append(("minor", f"config {config} added"))
            continue
        changes += _compare_features(old[config], new[config], config)
    return changes


def _compare_features(old: Any, new: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(old, dict) and isinstance(new, dict):
        if "names" in old and "names" in new and old.get("_type") == new.get("_type") == "ClassLabel":
            a, b = old["names"], new["names"]
            if b[:len(a)] != a:
                return [("major", f"{where}: labels removed or reordered ({a} -> {b})")]
            if len(b) > len(a):
                return [("minor", f"{where}: labels added {b[len(a):]}")]
            return []
        changes = []
        for key in old:
            if key not in new:
                changes.append(("major", f"{where}.{key} removed"))
            else:
                changes += _compare_features(old[key], new[key], f"{where}.{key}")
        for key in new:
            if key not in old:
                changes.append(("minor", f"{where}.{key} added"))
        return changes
    if old != new:
        return [("major", f"{where} changed from {old!r} to {new!r}")]
    return []


def diff_states(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], *,
                old_name: str, new_name: str,
                old_features: dict[str, Any] | None = None,
                new_features: dict[str, Any] | None = None) -> CorpusDiff:
    """Compare two corpus states (annotation-file values keyed by doc id)."""
    result = CorpusDiff(old_name, new_name)
    result.added_documents = sorted(set(new) - set(old))
    result.removed_documents = sorted(set(old) - set(new))
    for doc_id in sorted(set(old) & set(new)):
        a, b = old[doc_id], new[doc_id]
        if a["document"]["split"] != b["document"]["split"]:
            result.split_changes.append((doc_id, a["document"]["split"], b["document"]["split"]))
        doc = DocumentDiff(doc_id)
        doc.metadata_changed = [k for k in b["document"] if a["document"].get(k) != b["document"][k]]
        if a["provenance"] != b["provenance"]:
            doc.metadata_changed.append("provenance")
        doc.layers = {layer: _layer_diff(a[layer], b[layer]) for layer in LAYER_KEYS}
        result.documents.append(doc)
    before, after = _label_counts(old), _label_counts(new)
    for key in sorted(set(before) | set(after)):
        delta = after[key] - before[key]
        if delta:
            layer_field, label = key.split("=", 1)
            result.label_deltas.setdefault(layer_field, {})[label] = delta
    if old_features is not None and new_features is not None:
        result.schema_changes = features_changes(old_features, new_features)
    return result


def render_text(diff: CorpusDiff) -> str:
    """A human-readable change summary (also what goes into CHANGELOG.md)."""
    lines = [f"Changes from {diff.old} to {diff.new} (smallest allowed bump: {diff.required_bump})"]
    lines += [f"- ERROR: {e}" for e in diff.errors]
    lines += [f"- schema: {c} ({k})" for k, c in diff.schema_changes]
    lines += [f"- document added: {d}" for d in diff.added_documents]
    lines += [f"- document removed: {d}" for d in diff.removed_documents]
    for doc in diff.documents:
        if not doc:
            continue
        if doc.metadata_changed:
            lines.append(f"- {doc.doc_id}: metadata changed: {', '.join(doc.metadata_changed)}")
        for layer, layer_diff in doc.layers.items():
            if layer_diff.added:
                lines.append(f"- {doc.doc_id} {layer}: added {', '.join(layer_diff.added)}")
            if layer_diff.removed:
                lines.append(f"- {doc.doc_id} {layer}: removed {', '.join(layer_diff.removed)}")
            for item_id, fields_changed in layer_diff.changed.items():
                lines.append(f"- {doc.doc_id} {layer}: changed {item_id} ({', '.join(fields_changed)})")
    for layer_field, deltas in diff.label_deltas.items():
        rendered = ", ".join(f"{label} {delta:+d}" for label, delta in deltas.items())
        lines.append(f"- label counts {layer_field}: {rendered}")
    if len(lines) == 1:
        lines.append("- no changes")
    return "\n".join(lines) + "\n"
