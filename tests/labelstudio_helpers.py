"""Making Label Studio exports in the shapes a real Label Studio 1.23 server gives (see the
samples in the README's Label Studio section): tasks with ``predictions`` as ids, annotations
with ``completed_by`` user ids, dates, ``was_cancelled``, and results as the web app
serialises them (region ids kept from the prediction, ``origin`` on every region result)."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

_ids = itertools.count(1)


def read_tasks(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def frontend_result(task: dict[str, Any]) -> list[dict[str, Any]]:
    """The prediction of a task as an annotation made from it in the web app and submitted unchanged."""
    result = copy.deepcopy(task["predictions"][0]["result"])
    for item in result:
        if item.get("type") != "relation":
            item["origin"] = "prediction"
    return result


def annotation(result: list[dict[str, Any]], *, user: int = 1, when: str = "2026-12-06T10:00:00.000000Z",
               cancelled: bool = False) -> dict[str, Any]:
    number = next(_ids)
    return {"id": number, "completed_by": user, "result": result, "was_cancelled": cancelled,
            "ground_truth": False, "created_at": when, "updated_at": when, "draft_created_at": None,
            "lead_time": 12.5, "prediction": {}, "result_count": len(result), "unique_id": f"u{number}",
            "import_id": None, "last_action": None, "bulk_created": False, "task": 1, "project": 1,
            "updated_by": user, "parent_prediction": 1, "parent_annotation": None, "last_created_by": None}


def export_of(tasks: list[dict[str, Any]], annotations: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A standard JSON export: each task with its annotations (by doc id) and prediction ids."""
    out = []
    for number, task in enumerate(tasks, 1):
        given = annotations.get(task["data"]["doc_id"], [])
        out.append({"id": number, "annotations": given, "drafts": [], "predictions": [number],
                    "data": task["data"], "meta": {}, "created_at": "2026-12-06T09:00:00.000000Z",
                    "updated_at": "2026-12-06T10:00:00.000000Z", "inner_id": number,
                    "total_annotations": sum(not a["was_cancelled"] for a in given),
                    "cancelled_annotations": sum(a["was_cancelled"] for a in given), "total_predictions": 1,
                    "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": None,
                    "project": 1, "updated_by": 1, "allow_skip": True, "comment_authors": []})
    return out


def items(result: list[dict[str, Any]], rid: str) -> list[dict[str, Any]]:
    return [item for item in result if item.get("id") == rid]


def labels_item(result: list[dict[str, Any]], rid: str) -> dict[str, Any]:
    return next(item for item in result if item.get("id") == rid and item["type"] == "labels")


def delete_region(result: list[dict[str, Any]], rid: str) -> list[dict[str, Any]]:
    """What deleting a region in the web app does: its results and its relations go."""
    return [item for item in result
            if item.get("id") != rid and rid not in (item.get("from_id"), item.get("to_id"))]


def relabel(result: list[dict[str, Any]], rid: str, label: str) -> None:
    item = labels_item(result, rid)
    item["value"]["labels"] = [label]
    for other in items(result, rid):
        other["origin"] = "prediction-changed"


def set_field(result: list[dict[str, Any]], rid: str, name: str, value: str | None) -> list[dict[str, Any]]:
    """Type into (or, with None, empty) a per-region text field of a region."""
    region = labels_item(result, rid)["value"]
    kept = [item for item in result if not (item.get("id") == rid and item.get("from_name") == name)]
    if value is not None:
        kept.append({"id": rid, "from_name": name, "to_name": "text", "type": "textarea", "origin": "prediction-changed",
                     "value": {"start": region["start"], "end": region["end"], "text": [value]}})
    return kept


def set_choice(result: list[dict[str, Any]], rid: str, name: str, value: str | None) -> list[dict[str, Any]]:
    region = labels_item(result, rid)["value"]
    kept = [item for item in result if not (item.get("id") == rid and item.get("from_name") == name)]
    if value is not None:
        kept.append({"id": rid, "from_name": name, "to_name": "text", "type": "choices", "origin": "prediction-changed",
                     "value": {"start": region["start"], "end": region["end"], "text": region["text"],
                               "choices": [value]}})
    return kept


def new_region(result: list[dict[str, Any]], rid: str, group: str, label: str, text: str, phrase: str,
               occurrence: int = 1) -> dict[str, Any]:
    """A region drawn over the ``occurrence``-th ``phrase`` of ``text`` (code point offsets)."""
    start = -1
    for _ in range(occurrence):
        start = text.index(phrase, start + 1)
    item = {"id": rid, "from_name": group, "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}}
    result.append(item)
    return item


def relate(result: list[dict[str, Any]], head: str, other: str, label: str | None,
           direction: str = "right") -> dict[str, Any]:
    item: dict[str, Any] = {"from_id": head, "to_id": other, "type": "relation", "direction": direction}
    if label is not None:
        item["labels"] = [label]
    result.append(item)
    return item


def write_export(path: Path, export: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
