"""Exchange with the tools of the field: one module per format, all registered here.

An exporter is ``export(documents, target, corpus_root) -> message``; an importer is
``read(source, corpus) -> list[Change]``, whose changes go through the shared import step
(:mod:`.imports`: validated, provenance recorded, all files written at once or none).
A new format is a new module here plus one line in each table it supports.

The research formats (CoNLL-U with CorefUD coreference, CoNLL-2012, spaCy ``DocBin``, INCEpTION
XMI) share the one tokenisation through :mod:`.tokens`; spaCy and XMI need an optional extra
(``corpus_ds[spacy]``, ``corpus_ds[xmi]``) that :mod:`.extras` asks for only when used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .brat import export_brat, read_brat
from .conll2012 import export_conll2012
from .conllu import export_conllu
from .docbin import export_spacy
from .labelstudio import export_labelstudio, read_labelstudio
from .xmi import export_xmi, read_xmi

EXPORTERS: dict[str, Callable[[Any, Path, Path | None], str]] = {
    "brat": export_brat,
    "labelstudio": export_labelstudio,
    "conllu": export_conllu,
    "conll2012": export_conll2012,
    "spacy": export_spacy,
    "xmi": export_xmi,
}
IMPORTERS: dict[str, Callable[[Path, Any], list[Any]]] = {
    "brat": read_brat,
    "labelstudio": read_labelstudio,
    "xmi": read_xmi,
}
#: How provenance names each tool.
TOOL_NAMES = {"brat": "brat", "labelstudio": "Label Studio", "xmi": "INCEpTION (XMI)"}
