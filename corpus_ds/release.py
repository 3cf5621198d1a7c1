"""Immutable, reproducible releases: ``releases/VERSION/`` plus ``manifest.json``.

A release is the Hub-layout folder of :mod:`corpus_ds.build` with a manifest
recording the version, the date, the sha256 of every file, the counts, the
sha256 of every source it was built from and the versions of the tools. It is
never changed once cut: re-releasing a version with the same sources is a
no-op, with other sources an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml
from datasets import Features

from .build import build
from .diff import BUMPS, CorpusDiff, diff_states, render_text
from .features import CONFIG_FEATURES
from .jsonio import atomic_write_text, load_json_file
from .model import to_json
from .paths import CorpusPaths
from .rows import annotation_value_from_row, decode
from .settings import BUILD_FORMAT, BUILD_FORMATS, LEGACY_BUILD_FORMAT
from .validate import validate_file

MANIFEST = "manifest.json"
SOURCE_GLOBS = ("texts/*.txt", "annotations/*.json", "schema/*.json", "DATACARD.md")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


class ReleaseError(Exception):
    """A release or verification that must not go ahead; the message says why."""


def parse_version(version: str) -> tuple[int, int, int]:
    match = _SEMVER.match(version)
    if not match:
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    return int(match[1]), int(match[2]), int(match[3])


def bump_of(old: str, new: str) -> str:
    """The bump from ``old`` to ``new`` (``none`` when not greater)."""
    a, b = parse_version(old), parse_version(new)
    if b <= a:
        return "none"
    if b[0] > a[0]:
        return "major"
    if b[1] > a[1]:
        return "minor"
    return "patch"


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
            found[path.relative_to(root).as_posix()] = sha256_file(path)
    return dict(sorted(found.items()))


def folder_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file of a release folder except the manifest."""
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def tool_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("corpus_ds", "datasets", "pyarrow", "jsonschema", "huggingface_hub"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def git_commit(root: Path) -> str | None:
    """HEAD of the git checkout at ``root``, or None outside git."""
    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                             capture_output=True, text=True, check=False)
    except OSError:
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def dirty_sources(root: Path) -> list[str]:
    """Sources, and the code that builds them, with uncommitted changes (empty outside git).

    ``verify`` rebuilds a release with the code of the commit it records, so that code must be
    the code that built it."""
    try:
        run = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--",
                              "texts", "annotations", "schema", "DATACARD.md", "corpus_ds",
                              "pyproject.toml", "constraints.txt"],
                             capture_output=True, text=True, check=False)
    except OSError:
        return []
    return [line[3:] for line in run.stdout.splitlines()] if run.returncode == 0 else []


def version_note(version: str, commit: str | None) -> str:
    """The card's paragraph that says which release this is and how to cite it."""
    built_from = f"commit `{commit}`" if commit else "an uncommitted working tree"
    return (f"This is release **{version}** of the corpus_ds data, built from {built_from} of "
            f"its source repository. Cite the version and the commit; load this exact release "
            f'with `load_dataset(PATH_OR_REPO, revision="v{version}")` from the Hub, or '
            f'`load_dataset("releases/{version}")` from a checkout.')


def release_card(root: Path, version: str, commit: str | None) -> str:
    card = (root / "DATACARD.md").read_text(encoding="utf-8")
    return card.replace("<!-- version -->", version_note(version, commit))


def released_versions(releases: Path) -> list[str]:
    """Every released version under ``releases/``, oldest first."""
    if not releases.is_dir():
        return []
    found = [p.name for p in releases.iterdir() if p.is_dir() and _SEMVER.match(p.name)
             and (p / MANIFEST).exists()]
    return sorted(found, key=parse_version)


def read_manifest(folder: Path) -> dict[str, Any]:
    value, problems = load_json_file(folder / MANIFEST, str(folder / MANIFEST))
    if problems:
        raise ReleaseError(problems[0].render())
    return value


def release_features(folder: Path) -> dict[str, Any]:
    """``{config: features dict}`` as the release's card declares them."""
    text = (folder / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    return {info["config_name"]: Features._from_yaml_list(info["features"]).to_dict()
            for info in meta.get("dataset_info", [])}


def release_state(folder: Path) -> dict[str, dict[str, Any]]:
    """The annotation-file values a release carries, read back from its Parquet files."""
    features = CONFIG_FEATURES["documents"]
    state = {}
    for path in sorted((folder / "documents").glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        for row in pq.read_table(path).to_pylist():
            decoded = decode(features, row)
            state[decoded["id"]] = annotation_value_from_row(decoded, split)
    return state


def working_state(corpus: CorpusPaths) -> dict[str, dict[str, Any]]:
    """The annotation-file values of the working tree (all files must be valid)."""
    state = {}
    for path in corpus.annotation_files():
        result = validate_file(path, corpus.texts)
        if not result.ok or result.record is None:
            raise ReleaseError(f"{path.name} is invalid; run corpus-ds validate")
        state[result.record.doc_id] = to_json(result.record)
    return state


def current_features() -> dict[str, Any]:
    return {config: features.to_dict() for config, features in CONFIG_FEATURES.items()}


def resolve_state(root: Path, name: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any], str]:
    """``(state, features, label)`` for a released version or ``working`` (the working tree)."""
    if name in ("working", "."):
        return working_state(CorpusPaths(root)), current_features(), "working tree"
    folder = root / "releases" / name
    if not (folder / MANIFEST).exists():
        raise ReleaseError(f"no release {name} under {root / 'releases'}")
    return release_state(folder), release_features(folder), name


@dataclass
class ReleaseResult:
    version: str
    folder: Path
    noop: bool = False
    diff: CorpusDiff | None = None
    manifest: dict[str, Any] = field(default_factory=dict)


def _changelog_with(changelog: str, version: str, date: str, summary: str) -> str:
    section = f"## Corpus {version} - {date}\n\n{summary.rstrip()}\n"
    match = re.search(r"^## Unreleased\n.*?(?=^## |\Z)", changelog, re.MULTILINE | re.DOTALL)
    if match:
        head, rest = changelog[:match.end()].rstrip("\n"), changelog[match.end():]
        return head + "\n\n" + section + ("\n" + rest if rest else "")
    return changelog.rstrip("\n") + "\n\n" + section


def cut_release(root: Path, version: str, date: str, *, allow_dirty: bool = False,
                after_file_written: Callable[[Path], None] | None = None) -> ReleaseResult:
    """Validate, build and write ``releases/VERSION`` and its CHANGELOG entry, atomically."""
    parse_version(version)
    corpus = CorpusPaths(root)
    releases = root / "releases"
    folder = releases / version
    sources = source_hashes(root)
    if (folder / MANIFEST).exists():
        recorded = read_manifest(folder)["sources"]
        if recorded == sources:
            return ReleaseResult(version, folder, noop=True)
        differing = sorted(k for k in set(recorded) | set(sources) if recorded.get(k) != sources.get(k))
        raise ReleaseError(f"release {version} already exists and was built from other sources "
                           f"({', '.join(differing[:5])}{' …' if len(differing) > 5 else ''}); "
                           "a release never changes: choose a new version")
    dirty = dirty_sources(root)
    if dirty and not allow_dirty:
        raise ReleaseError(f"sources have uncommitted changes ({', '.join(dirty[:5])}); commit them "
                           "first so that the release records the commit it was built from")
    state = working_state(corpus)
    previous = [v for v in released_versions(releases) if parse_version(v) < parse_version(version)]
    diff = None
    if previous:
        last = previous[-1]
        diff = diff_states(release_state(releases / last), state, old_name=last, new_name=version,
                           old_features=release_features(releases / last),
                           new_features=current_features())
        if diff.errors:
            raise ReleaseError("; ".join(diff.errors))
        needed, given = diff.required_bump, bump_of(last, version)
        if needed == "none":
            raise ReleaseError(f"nothing changed since release {last}; no new version to cut")
        if BUMPS.index(given) < BUMPS.index(needed):
            raise ReleaseError(f"{last} -> {version} is a {given} bump, but the changes need at least "
                               f"a {needed} bump:\n{render_text(diff)}")
    commit = git_commit(root)
    releases.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.tmp-", dir=releases))
    changelog_path = root / "CHANGELOG.md"
    old_changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.exists() else "# Changelog\n"
    changelog_written = False
    try:
        result = build(corpus, staging / version, card_text=release_card(root, version, commit),
                       build_format=BUILD_FORMAT, after_file_written=after_file_written)
        if not result.ok:
            raise ReleaseError("the corpus is invalid; run corpus-ds validate")
        built = staging / version
        manifest = {
            "version": version,
            "date": date,
            "commit": commit,
            "previous": previous[-1] if previous else None,
            "required_bump": diff.required_bump if diff else "initial",
            "schema_version": next(iter(state.values()))["schema_version"] if state else None,
            "build_format": BUILD_FORMAT,
            "files": folder_hashes(built),
            "counts": {"rows": result.rows, "layers": result.layer_counts},
            "sources": sources,
            "tools": tool_versions(),
        }
        atomic_write_text(built / MANIFEST, json.dumps(manifest, indent=2, sort_keys=False) + "\n")
        summary = render_text(diff) if diff else (
            f"First release: {sum(c['documents'] for c in result.layer_counts.values())} documents, "
            f"{sum(c['mentions'] for c in result.layer_counts.values())} mentions, "
            f"{sum(c['quotes'] for c in result.layer_counts.values())} quotes, "
            f"{sum(c['events'] for c in result.layer_counts.values())} events.\n")
        atomic_write_text(changelog_path, _changelog_with(old_changelog, version, date, summary))
        changelog_written = True
        os.rename(built, folder)
    except BaseException:
        if changelog_written:
            atomic_write_text(changelog_path, old_changelog)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReleaseResult(version, folder, diff=diff, manifest=manifest)


@dataclass
class VerifyResult:
    version: str
    problems: list[str]
    checked: int
    rebuilt_from: str


_COMMIT = re.compile(r"^[0-9a-f]{40}$")

#: Run in a fresh interpreter inside a release's own source tree: rebuild the release with
#: the code of that tree. Trees with ``corpus_ds/publish/reproduce.py`` (this layout on) run
#: it; older trees (corpus 1.0.0-1.2.0) are driven through their ``build`` and ``release``.
_REBUILD_DRIVER = """
import inspect, json, sys
from pathlib import Path
tree, out, version, commit, build_format = sys.argv[1:6]
sys.path.insert(0, tree)
import corpus_ds
assert Path(corpus_ds.__file__).resolve().is_relative_to(Path(tree).resolve()), corpus_ds.__file__
try:
    from corpus_ds.publish.reproduce import rebuild
except ImportError:
    from corpus_ds.build import build
    from corpus_ds.paths import CorpusPaths
    from corpus_ds.release import version_note
    card = (Path(tree) / "DATACARD.md").read_text(encoding="utf-8").replace(
        "<!-- version -->", version_note(version, commit))
    kwargs = {}
    if "build_format" in inspect.signature(build).parameters:
        kwargs["build_format"] = int(build_format)
    result = build(CorpusPaths(Path(tree)), Path(out), card_text=card, **kwargs)
    sys.exit(0 if result.ok else 3)
else:
    sys.exit(rebuild(Path(tree), Path(out), version, commit, int(build_format)))
"""


def _tree_from_git(root: Path, commit: str, into: Path) -> bool:
    """Export the whole tree of ``commit`` (code and sources) into ``into``; False when impossible.

    ``commit`` must be 40 hex digits (checked by the caller), so it can never be read as an option.
    """
    try:
        run = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", commit],
                             capture_output=True, check=False)
    except OSError:
        return False
    if run.returncode != 0:
        return False
    archive = into.parent / f"{into.name}.tar"
    archive.write_bytes(run.stdout)
    into.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    archive.unlink()
    return True


def _rebuild_with_tree_code(tree: Path, out: Path, version: str, commit: str, build_format: int) -> str | None:
    """Rebuild with the code of ``tree`` in a fresh interpreter; an error message, or None."""
    run = subprocess.run([sys.executable, "-c", _REBUILD_DRIVER, str(tree), str(out), version, commit,
                          str(build_format)], cwd=tree, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return f"cannot rebuild with the code of commit {commit}: {last}"
    return None


def verify_release(root: Path, version: str) -> VerifyResult:
    """Check a release's files against its manifest and rebuild it byte for byte.

    The rebuild uses the code and the sources of the commit the manifest records, so a release
    keeps verifying whatever later versions of the code publish. Without that commit (no git,
    or a tree whose commit holds no ``corpus_ds`` package) the current code rebuilds it from the
    recorded sources, which must then be the working tree's or the commit's.
    """
    parse_version(version)
    folder = root / "releases" / version
    if not (folder / MANIFEST).exists():
        raise ReleaseError(f"no release {version} under {root / 'releases'}")
    manifest = read_manifest(folder)
    commit = manifest.get("commit")
    if commit is not None and not (isinstance(commit, str) and _COMMIT.match(commit)):
        raise ReleaseError(f"{folder / MANIFEST}: /commit: {str(commit)[:60]!r} is not a 40-hex-digit "
                           "git commit")
    problems = []
    present = folder_hashes(folder)
    for name, digest in manifest["files"].items():
        if name not in present:
            problems.append(f"{name}: missing from releases/{version}")
        elif present[name] != digest:
            problems.append(f"{name}: sha256 {present[name]} differs from the manifest's {digest}")
    problems += [f"{name}: not listed in the manifest" for name in present if name not in manifest["files"]]
    build_format = manifest.get("build_format", LEGACY_BUILD_FORMAT)
    with tempfile.TemporaryDirectory(prefix="corpus-ds-verify-") as tmp:
        rebuilt_dir = Path(tmp) / "rebuilt"
        tree = Path(tmp) / "tree"
        exported = bool(commit) and _tree_from_git(root, commit, tree)
        if exported and source_hashes(tree) == manifest["sources"] and (tree / "corpus_ds").is_dir():
            origin = f"the code and sources of commit {commit}"
            failure = _rebuild_with_tree_code(tree, rebuilt_dir, version, commit, build_format)
            if failure:
                problems.append(failure)
                return VerifyResult(version, problems, len(present), origin)
        else:
            if exported and source_hashes(tree) == manifest["sources"]:
                source_root, origin = tree, f"the sources of commit {commit} with the current code"
            elif source_hashes(root) == manifest["sources"]:
                source_root, origin = root, "the working tree with the current code"
            else:
                current = source_hashes(root)
                differing = sorted(k for k in set(current) | set(manifest["sources"])
                                   if current.get(k) != manifest["sources"].get(k))
                problems.append("cannot rebuild: these sources differ from the ones the release "
                                f"records, and its commit does not give them back: {', '.join(differing)}")
                return VerifyResult(version, problems, len(present), "nothing")
            if build_format not in BUILD_FORMATS:
                problems.append(f"cannot rebuild: build format {build_format} is unknown to this "
                                f"corpus_ds (it knows {', '.join(map(str, BUILD_FORMATS))}) and the "
                                "release's own commit is not available")
                return VerifyResult(version, problems, len(present), origin)
            card = (source_root / "DATACARD.md").read_text(encoding="utf-8").replace(
                "<!-- version -->", version_note(version, commit))
            rebuilt = build(CorpusPaths(source_root), rebuilt_dir, card_text=card, build_format=build_format)
            if not rebuilt.ok:
                problems.append("cannot rebuild: the recorded sources do not validate with the current code")
                return VerifyResult(version, problems, len(present), origin)
        again = folder_hashes(rebuilt_dir)
        for name, digest in manifest["files"].items():
            if again.get(name) != digest:
                problems.append(f"{name}: the rebuild gives sha256 {again.get(name)}, the manifest {digest}")
        problems += [f"{name}: the rebuild has a file the release lacks" for name in again
                     if name not in manifest["files"]]
    return VerifyResult(version, problems, len(manifest["files"]), origin)
