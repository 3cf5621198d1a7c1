"""Validator regression cases: one folder each under tests/cases/invalid/.

A case is either ``patch.json`` (JSON-patch operations applied to the valid
fixture) or a raw ``00000000000000f1.json`` file, plus ``expected.txt``: the
exact findings, one per line, as the validator prints them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
TEXTS = FIXTURES / "texts"
VALID = FIXTURES / "valid" / "00000000000000f1.json"
CASES = HERE / "cases" / "invalid"
FILE_NAME = "00000000000000f1.json"


def _parent(doc, pointer):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    target = doc
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    return target, parts[-1]


def apply_patch(doc, ops):
    """Apply the add / remove / replace operations of RFC 6902 that the cases use."""
    doc = copy.deepcopy(doc)
    for op in ops:
        target, key = _parent(doc, op["path"])
        if isinstance(target, list):
            index = len(target) if key == "-" else int(key)
            if op["op"] == "add":
                target.insert(index, op["value"])
            elif op["op"] == "remove":
                del target[index]
            else:
                target[index] = op["value"]
        elif op["op"] == "remove":
            del target[key]
        else:
            target[key] = op["value"]
    return doc


def materialise(case: Path, into: Path) -> Path:
    """Write the case's annotation file into ``into`` and return its path."""
    out = into / FILE_NAME
    raw = case / FILE_NAME
    if raw.exists():
        out.write_bytes(raw.read_bytes())
    else:
        ops = json.loads((case / "patch.json").read_text(encoding="utf-8"))
        doc = apply_patch(json.loads(VALID.read_text(encoding="utf-8")), ops)
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def all_cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())
