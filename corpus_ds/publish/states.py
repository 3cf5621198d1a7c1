"""Corpus states to compare: a release read back from its Parquet files, or the working tree.

A state is ``{doc_id: annotation-file JSON value}`` plus the features it is published with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml
from datasets import Features

from ..load import Corpus, CorpusPaths, load_corpus
from ..model.problems import usage
from ..model.records import to_json
from .features import CONFIG_FEATURES
from .rows import annotation_value_from_row, decode
from .versions import MANIFEST, release_folder

State = dict[str, dict[str, Any]]


def release_features(folder: Path) -> dict[str, Any]:
    """``{config: features dict}`` as the release's card declares them."""
    text = (folder / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    return {info["config_name"]: Features._from_yaml_list(info["features"]).to_dict()
            for info in meta.get("dataset_info", [])}


def release_state(folder: Path) -> State:
    """The annotation-file values a release carries, read back with the release's own features."""
    features = Features.from_dict(release_features(folder)["documents"])
    state = {}
    for path in sorted((folder / "documents").glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        for row in pq.read_table(path).to_pylist():
            decoded = decode(features, row)
            state[decoded["id"]] = annotation_value_from_row(decoded, split)
    return state


def working_state(corpus: Corpus) -> State:
    """The annotation-file values of a loaded (so valid) corpus."""
    return {document.doc_id: to_json(document.record) for document in corpus}


def current_features() -> dict[str, Any]:
    return {config: features.to_dict() for config, features in CONFIG_FEATURES.items()}


def resolve_state(root: Path, name: str) -> tuple[State, dict[str, Any], str]:
    """``(state, features, label)`` for a released version or ``working`` (the working tree)."""
    if name in ("working", "."):
        return working_state(load_corpus(CorpusPaths(root))), current_features(), "working tree"
    folder = release_folder(root, name)
    if not (folder / MANIFEST).is_file():
        raise usage("VERSION", "unknown-release",
                                   f"no release {name} under {root / 'releases'}")
    return release_state(folder), release_features(folder), name
