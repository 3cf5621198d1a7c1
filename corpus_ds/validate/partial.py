"""Records from a file that fails the schema, so that its semantic checks run in the same pass.

A schema-valid file becomes a whole record (:func:`corpus_ds.model.records.from_json`). A
file with schema errors becomes a record of the items that passed: an annotation whose own
subtree has an error is left out, and :class:`Coverage` says what was left out, so that the
checks neither report the consequences of a schema error twice (a reference to a left-out
mention is not "dangling") nor draw conclusions from a layer they cannot see whole (a zone
gap where a zone was left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model.labels import LAYERS
from ..model.records import (
    LAYER_RECORDS,
    AnnotationFile,
    LayerProvenance,
    Metadata,
    PublicationDate,
    Publisher,
    from_json,
    metadata_from_json,
    provenance_from_json,
)

#: The layers of a file in file order, as :data:`LAYER_RECORDS` builds them.
RECORD_LAYERS = tuple(LAYER_RECORDS)


@dataclass(frozen=True)
class Coverage:
    """Which parts of a file are in its record. A schema-valid file is covered whole."""

    #: For a layer with left-out items: the file position of each record kept, in order.
    positions: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: Ids of left-out annotations (references to them are not dangling).
    dropped_ids: frozenset[str] = frozenset()
    #: Layers with a left-out item whose id is unreadable (any reference into them may be fine).
    unknown_ids: frozenset[str] = frozenset()
    #: Layers with any left-out item.
    incomplete: frozenset[str] = frozenset()
    document_ok: bool = True
    provenance_ok: bool = True

    @property
    def whole(self) -> bool:
        return not self.incomplete and self.document_ok and self.provenance_ok

    def pointer(self, layer: str, index: int) -> str:
        """The JSON pointer of the ``index``-th record of ``layer`` in the file."""
        kept = self.positions.get(layer)
        return f"/{layer}/{index if kept is None else kept[index]}"

    def may_exist(self, ref: str, layer: str) -> bool:
        """Whether ``ref`` might name an annotation of ``layer`` that was left out."""
        return ref in self.dropped_ids or layer in self.unknown_ids


WHOLE = Coverage()


def _placeholder_metadata(doc: Any) -> Metadata:
    doc_id = doc.get("id") if isinstance(doc, dict) and isinstance(doc.get("id"), str) else ""
    return Metadata(doc_id, None, Publisher(None, "unknown", ""), PublicationDate(None, None, None, None, ""),
                    "", "", "", "", "")


def partial_record(value: Any, error_paths: Iterable[tuple[Any, ...]]) -> tuple[AnnotationFile | None, Coverage]:
    """The record of the items of ``value`` that have no schema error, and its coverage.

    ``error_paths`` are the JSON paths (as tuples) of the schema errors. ``None`` when the
    value is not an object at all.
    """
    if not isinstance(value, dict):
        return None, WHOLE
    paths = list(error_paths)
    if not paths:
        return from_json(value), WHOLE
    bad_items = {tuple(p[:2]) for p in paths if len(p) >= 2}
    bad_top = {p[0] for p in paths if p}
    document_ok = "document" not in bad_top and isinstance(value.get("document"), dict)
    provenance_ok = "provenance" not in bad_top and isinstance(value.get("provenance"), dict)
    layers: dict[str, Any] = {}
    positions: dict[str, tuple[int, ...]] = {}
    dropped: set[str] = set()
    unknown: set[str] = set()
    incomplete: set[str] = set()
    for layer, build in LAYER_RECORDS.items():
        items = value.get(layer)
        if not isinstance(items, list):
            layers[layer] = ()
            if items is not None or layer in bad_top:
                incomplete.add(layer)
                unknown.add(layer)
            continue
        kept = [i for i, item in enumerate(items) if isinstance(item, dict) and (layer, i) not in bad_items]
        if len(kept) != len(items):
            incomplete.add(layer)
            positions[layer] = tuple(kept)
            for i, item in enumerate(items):
                if i in kept:
                    continue
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item_id, str):
                    dropped.add(item_id)
                else:
                    unknown.add(layer)
        layers[layer] = build([items[i] for i in kept])
    record = AnnotationFile(
        schema_version=str(value.get("schema_version")),
        document=metadata_from_json(value["document"]) if document_ok else _placeholder_metadata(value.get("document")),
        provenance=(provenance_from_json(value["provenance"]) if provenance_ok
                    else {layer: LayerProvenance(status="not_started") for layer in LAYERS}),
        **layers,
    )
    return record, Coverage(positions, frozenset(dropped), frozenset(unknown), frozenset(incomplete),
                            document_ok, provenance_ok)
