"""The canonical text of an annotation file, as every command writes it."""

from __future__ import annotations

import json
from typing import Any


def dumps_annotation(value: dict[str, Any]) -> str:
    """The canonical text of an annotation file.

    Two-space indent, keys in record order, and each annotation of a layer on a
    line of its own so that a review diff shows one changed line per changed
    annotation.
    """
    layers = ("zones", "entities", "mentions", "quotes", "events")
    lines = ["{"]
    keys = list(value)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        item = value[key]
        if key in layers and isinstance(item, list):
            if not item:
                lines.append(f'  "{key}": []{comma}')
                continue
            lines.append(f'  "{key}": [')
            for j, record in enumerate(item):
                sep = "," if j < len(item) - 1 else ""
                lines.append("    " + json.dumps(record, ensure_ascii=False) + sep)
            lines.append(f"  ]{comma}")
        else:
            block = json.dumps(item, ensure_ascii=False, indent=2)
            block = block.replace("\n", "\n  ")
            lines.append(f'  "{key}": {block}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"
