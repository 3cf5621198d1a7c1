"""A release's manifest: reading it safely, and the checksums and tool versions it records."""

from __future__ import annotations

import hashlib
import platform
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from ..fsutil import MARKER
from ..load.files import MAX_INPUT_BYTES
from ..load.jsonfile import load_json_file
from ..model.problems import CorpusError, Problem, printable
from .versions import MANIFEST

#: What a release is built from, relative to the corpus root.
SOURCE_GLOBS = ("texts/*.txt", "annotations/*.json", "schema/*.json", "DATACARD.md")
_COMMIT = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RELATIVE = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_hashes(root: Path) -> dict[str, str]:
    """sha256 of every source a release is built from, by path relative to ``root``."""
    found: dict[str, str] = {}
    for pattern in SOURCE_GLOBS:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = sha256_file(path)
    return dict(sorted(found.items()))


def folder_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file of a release folder except the manifest (and corpus-ds's marker)."""
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in (MANIFEST, MARKER)}


def tool_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("corpus_ds", "datasets", "pyarrow", "msgspec", "jsonschema", "huggingface_hub"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a release folder, checked field by field; CorpusError with located problems.

    A manifest is data from a file: its commit must be 40 hex digits (it is handed to git),
    its file names relative paths inside the release, its checksums sha256 digests.
    """
    path = folder / MANIFEST
    shown = str(path)
    value, problems = load_json_file(path, shown, MAX_INPUT_BYTES, inside=folder)
    if problems:
        raise CorpusError(problems)

    def bad(pointer: str, message: str) -> Problem:
        return Problem(shown, pointer, "bad-manifest", message)

    if not isinstance(value, dict):
        raise CorpusError([bad("", "a manifest is a JSON object")])
    found: list[Problem] = []
    commit = value.get("commit")
    if commit is not None and not (isinstance(commit, str) and _COMMIT.fullmatch(commit)):
        found.append(bad("/commit", f"{printable(str(commit)[:60])!r} is not a 40-hex-digit git commit"))
    for key in ("files", "sources"):
        table = value.get(key)
        if not isinstance(table, dict):
            found.append(bad(f"/{key}", "expected an object of path -> sha256"))
            continue
        for name, digest in table.items():
            pointer = f"/{key}/{name.replace('~', '~0').replace('/', '~1')}"
            if not _RELATIVE.fullmatch(name) or ".." in name.split("/"):
                found.append(bad(pointer, f"{printable(name[:60])!r} is not a relative path inside the release"))
            elif not (isinstance(digest, str) and _SHA256.fullmatch(digest)):
                found.append(bad(pointer, "expected a sha256 digest (64 hex digits)"))
    build_format = value.get("build_format", 1)
    if not (isinstance(build_format, int) and not isinstance(build_format, bool) and build_format >= 1):
        found.append(bad("/build_format", "expected a positive integer"))
    if found:
        raise CorpusError(found)
    return value
