"""Generated parts of the docs: the label tables, from :mod:`corpus_ds.labels`.

GUIDELINES.md and DATACARD.md carry a block between
``<!-- BEGIN GENERATED: labels -->`` and ``<!-- END GENERATED: labels -->``;
``corpus-ds docs --write`` regenerates it and a test fails when it is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from .labels import LABEL_SETS, ROLE_FILLERS, iob2_tags
from .problems import CorpusError, Problem

BEGIN = "<!-- BEGIN GENERATED: labels -->"
END = "<!-- END GENERATED: labels -->"
DOC_FILES = ("annotations/GUIDELINES.md", "DATACARD.md")


def labels_markdown() -> str:
    """Every closed label set, in ClassLabel order, as a markdown table."""
    lines = ["| label set | labels (ClassLabel order) |", "|---|---|"]
    for name, values in LABEL_SETS.items():
        lines.append(f"| `{name}` | " + ", ".join(f"`{v}`" for v in values) + " |")
    lines.append(f"| `ner_tags` | `O`, then `B-`/`I-` per entity type ({len(iob2_tags())} tags) |")
    lines += ["", "| role | filler entity types |", "|---|---|"]
    lines += [f"| `{role}` | {', '.join(types)} |" for role, types in ROLE_FILLERS.items()]
    return "\n".join(lines)


def refresh(text: str) -> str:
    """``text`` with its generated block replaced by the current tables."""
    block = f"{BEGIN}\n{labels_markdown()}\n{END}"
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no {BEGIN} … {END} block")
    return pattern.sub(lambda _: block, text)


def refresh_docs(root: Path, write: bool) -> list[str]:
    """The doc files whose label tables are stale (rewritten when ``write``); CorpusError when a
    file or its generated block is missing."""
    from ..fsutil import atomic_write_text

    stale = []
    for name in DOC_FILES:
        path = root / name
        if not path.is_file():
            raise CorpusError([Problem(name, "", "missing-doc", f"{name} is missing")])
        text = path.read_text(encoding="utf-8")
        try:
            fresh = refresh(text)
        except ValueError as exc:
            raise CorpusError([Problem(name, "", "no-generated-block", str(exc))]) from None
        if fresh != text:
            stale.append(name)
            if write:
                atomic_write_text(path, fresh)
    return stale
