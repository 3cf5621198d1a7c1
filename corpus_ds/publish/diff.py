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

Every changed field is reported with its old and new value: in JSON as they are, in the text
(what ``corpus-ds diff`` prints and ``corpus-ds release`` writes into CHANGELOG.md) one line
per annotation, ``- DOC mentions: changed m14: metonymy true -> false``, with long texts
shortened around what changed, spans as ``"text"@start-end``, references with the text they
point to (``m11 "Lavrov"``) and event arguments as ``[actor=m1 "Lavrov", place=m3 "Brussels"]``.
Nested metadata is compared field by field (``provenance.events.status``). A field that one
side lacks and the other has as null (a field added by a schema change) is no change.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model.problems import printable

LAYER_KEYS = ("zones", "entities", "mentions", "quotes", "events")
BUMPS = ("none", "patch", "minor", "major")
_LABEL_FIELDS = {
    "zones": ("type",), "entities": ("type",), "mentions": ("type", "mention_type"),
    "quotes": ("type",), "events": ("type", "realis"),
}


@dataclass(frozen=True)
class FieldChange:
    """One field that changed: its name (a dotted path inside nested metadata), its old and new
    values (None when absent) and how each reads in a change list."""

    field: str
    old: Any
    new: Any
    old_shown: str
    new_shown: str

    def render(self) -> str:
        return f"{self.field} {self.old_shown} -> {self.new_shown}"

    def as_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new}


@dataclass
class LayerDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: Per changed annotation id, its changed fields (in the order of the annotation's keys).
    changed: dict[str, list[FieldChange]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class DocumentDiff:
    doc_id: str
    metadata_changed: list[FieldChange] = field(default_factory=list)
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
                {"doc_id": d.doc_id,
                 "metadata_changed": {c.field: c.as_json() for c in d.metadata_changed},
                 "layers": {k: {"added": v.added, "removed": v.removed,
                                "changed": {item: {c.field: c.as_json() for c in changes}
                                            for item, changes in v.changed.items()}}
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


_ABSENT: Any = object()
#: Text shown of a string value at most (longer ones are shortened around what changed).
SHOWN_CHARS = 60
#: Fields holding references, and the layer of what they refer to.
_REFERENCES = {("mentions", "entity"): "entities", ("quotes", "source"): "mentions",
               ("quotes", "via"): "mentions", ("quotes", "addressee"): "mentions"}

#: Looks up what an id refers to in one state of a document: ``(layer, id) -> text or None``.
Lookup = Callable[[str, str], "str | None"]


def _is_span(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"start", "end", "text"}


def _empty(value: Any) -> bool:
    return value is _ABSENT or value is None


def _field_changes(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """``(path, old, new)`` of every field that differs; nested objects (not spans) field by field."""
    for key in [*new, *(k for k in old if k not in new)]:
        a, b = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if (_empty(a) and _empty(b)) or (a is not _ABSENT and b is not _ABSENT and a == b):
            continue
        if isinstance(a, dict) and isinstance(b, dict) and not (_is_span(a) or _is_span(b)):
            yield from _field_changes(a, b, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", a, b


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters: its beginning and end around an ellipsis."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[len(text) - (limit - 1 - half):]


def _cut_pair(old: str, new: str, limit: int = SHOWN_CHARS) -> tuple[str, str]:
    """Two long versions of a text shortened alike: what they share is cut, what differs kept
    with a little context on each side."""
    if len(old) <= limit and len(new) <= limit:
        return old, new
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    context = 12

    def around(text: str) -> str:
        start = max(0, prefix - context)
        end = min(len(text), len(text) - suffix + context)
        while 0 < start and not text[start - 1].isspace() and prefix - start < 2 * context:
            start -= 1  # back to the beginning of a word
        while end < len(text) and not text[end].isspace() and end - (len(text) - suffix) < 2 * context:
            end += 1  # on to the end of one
        middle = _cut(text[start:end], limit)
        return ("…" if start > 0 else "") + middle + ("…" if end < len(text) else "")

    return around(old), around(new)


def _quoted(text: str, limit: int = SHOWN_CHARS) -> str:
    return json.dumps(_cut(text, limit), ensure_ascii=False)


def _show(value: Any, layer: str, name: str, lookup: Lookup, text: str | None = None) -> str:
    """How one value of the field ``name`` reads in a change list (``text``: a string already shortened)."""
    if value is _ABSENT:
        return "(absent)"
    if (layer, name) in _REFERENCES and isinstance(value, str):
        target = lookup(_REFERENCES[layer, name], value)
        return value if target is None else f"{value} {_quoted(target, 40)}"
    if name == "arguments" and isinstance(value, list) and all(
            isinstance(a, dict) and {"role", "mention"} <= set(a) for a in value):
        parts = []
        for argument in value:
            target = lookup("mentions", argument["mention"])
            shown = "" if target is None else f" {_quoted(target, 30)}"
            parts.append(f"{argument['role']}={argument['mention']}{shown}")
        return "[" + ", ".join(parts) + "]"
    if _is_span(value):
        return f"{_quoted(str(value['text']), 40)}@{value['start']}-{value['end']}"
    if isinstance(value, list) and value and all(_is_span(v) for v in value):
        return "[" + ", ".join(f"{_quoted(str(v['text']), 30)}@{v['start']}-{v['end']}" for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(text if text is not None else _cut(value, SHOWN_CHARS), ensure_ascii=False)
    return _cut(json.dumps(value, ensure_ascii=False), 2 * SHOWN_CHARS)


def _change(layer: str, path: str, old: Any, new: Any, old_lookup: Lookup, new_lookup: Lookup) -> FieldChange:
    old_text = new_text = None
    if isinstance(old, str) and isinstance(new, str) and (layer, path) not in _REFERENCES:
        old_text, new_text = _cut_pair(old, new)
    return FieldChange(path, None if old is _ABSENT else old, None if new is _ABSENT else new,
                       printable(_show(old, layer, path, old_lookup, old_text)),
                       printable(_show(new, layer, path, new_lookup, new_text)))


def _lookup(value: dict[str, Any]) -> Lookup:
    """What the ids of one document state refer to: mentions by their text, entities by name."""
    texts = {("mentions", m.get("id")): m.get("text") for m in value.get("mentions", ())}
    texts.update({("entities", e.get("id")): e.get("name") for e in value.get("entities", ())})
    return lambda layer, item_id: texts.get((layer, item_id))


def _layer_diff(layer: str, old: list[dict[str, Any]], new: list[dict[str, Any]],
                old_lookup: Lookup, new_lookup: Lookup) -> LayerDiff:
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    diff = LayerDiff(
        added=[i for i in new_by_id if i not in old_by_id],
        removed=[i for i in old_by_id if i not in new_by_id],
    )
    for item_id, item in new_by_id.items():
        before = old_by_id.get(item_id)
        if before is not None and before != item:
            changes = [_change(layer, path, a, b, old_lookup, new_lookup)
                       for path, a, b in _field_changes(before, item)]
            if changes:
                diff.changed[item_id] = changes
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
        old_lookup, new_lookup = _lookup(a), _lookup(b)
        doc.metadata_changed = [
            _change("document", path, x, y, old_lookup, new_lookup)
            for path, x, y in _field_changes({**a["document"], "provenance": a["provenance"]},
                                             {**b["document"], "provenance": b["provenance"]})]
        doc.layers = {layer: _layer_diff(layer, a[layer], b[layer], old_lookup, new_lookup)
                      for layer in LAYER_KEYS}
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


def _metadata_lines(changes: list[FieldChange]) -> list[str]:
    """One line per changed metadata field; a provenance field that changed alike in several
    layers is one line naming them (``provenance.{zones,entities}.checked_by [] -> ["b"]``)."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    lines: list[str | tuple[str, str, str]] = []
    for change in changes:
        parts = change.field.split(".", 2)
        if len(parts) == 3 and parts[0] == "provenance":
            key = (parts[2], change.old_shown, change.new_shown)
            if key not in groups:
                groups[key] = []
                lines.append(key)
            groups[key].append(parts[1])
        else:
            lines.append(change.render())
    out = []
    for line in lines:
        if isinstance(line, tuple):
            name, old, new = line
            layers = groups[line]
            where = layers[0] if len(layers) == 1 else "{" + ",".join(layers) + "}"
            line = f"provenance.{where}.{name} {old} -> {new}"
        out.append(line)
    return out


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
        lines += [f"- {doc.doc_id} metadata: {line}" for line in _metadata_lines(doc.metadata_changed)]
        for layer, layer_diff in doc.layers.items():
            if layer_diff.added:
                lines.append(f"- {doc.doc_id} {layer}: added {', '.join(layer_diff.added)}")
            if layer_diff.removed:
                lines.append(f"- {doc.doc_id} {layer}: removed {', '.join(layer_diff.removed)}")
            for item_id, changes in layer_diff.changed.items():
                lines.append(f"- {doc.doc_id} {layer}: changed {item_id}: "
                             + "; ".join(change.render() for change in changes))
    for layer_field, deltas in diff.label_deltas.items():
        rendered = ", ".join(f"{label} {delta:+d}" for label, delta in deltas.items())
        lines.append(f"- label counts {layer_field}: {rendered}")
    if len(lines) == 1:
        lines.append("- no changes")
    return "\n".join(lines) + "\n"
