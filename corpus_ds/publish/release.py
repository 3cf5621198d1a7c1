"""Cutting an immutable, reproducible release: ``releases/VERSION/`` plus ``manifest.json``.

A release is the Hub-layout folder of :mod:`.build` with a manifest recording the version,
the date, the commit, the sha256 of every file and of every source it was built from, the
counts and the versions of the tools. It is never changed once cut: re-releasing a version
with the same sources is a no-op, with other sources an error. Releases of one corpus are
serialised by a lock, and every step can be killed and rerun: the folder appears in one
rename, and a rerun adds a CHANGELOG entry that a kill left out.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fsutil import MARKER, atomic_write_text
from ..load import CorpusPaths, Progress, load_corpus
from ..model.problems import CorpusError, Problem, fail
from .build import build
from .citation import Citation, cff_text
from .diff import BUMPS, CorpusDiff, diff_states, render_text
from .formats import BUILD_FORMAT
from .manifest import folder_hashes, read_manifest, source_hashes, tool_versions
from .states import current_features, release_features, release_state, working_state
from .versions import (
    MANIFEST,
    bump_of,
    parse_version,
    release_folder,
    released_versions,
)

#: What ``verify`` needs to be the code that built a release: committed before it is cut.
CODE_AND_SOURCES = ("texts", "annotations", "schema", "DATACARD.md", "corpus_ds", "pyproject.toml",
                    "constraints.txt")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _refuse(code: str, message: str, where: str = "VERSION") -> CorpusError:
    return fail("(command line)", where, code, message)


def check_date(date: str) -> str:
    """``date`` if it is a real calendar date written YYYY-MM-DD; CorpusError otherwise."""
    try:
        if _DATE.fullmatch(date) and datetime.date.fromisoformat(date):
            return date
    except ValueError:
        pass
    raise _refuse("bad-date", f"{date[:40]!r} is not a date YYYY-MM-DD", "--date")


def git_commit(root: Path) -> str | None:
    """HEAD of the git checkout at ``root``, or None outside git."""
    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "HEAD"],
                             capture_output=True, text=True, check=False)
    except OSError:
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def dirty_sources(root: Path) -> list[str]:
    """Sources, and the code that builds them, with uncommitted changes (empty outside git).

    ``verify`` rebuilds a release with the code of the commit it records, so that code must be
    the code that built it."""
    try:
        run = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", *CODE_AND_SOURCES],
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
    """The release's card text: DATACARD.md with the version note filled in (the build fills
    the citation from the release's :class:`Citation`)."""
    path = root / "DATACARD.md"
    if not path.is_file():
        raise CorpusError([Problem(str(path), "", "missing-datacard",
                                   "DATACARD.md is missing; a release needs its card text")])
    return path.read_text(encoding="utf-8").replace("<!-- version -->", version_note(version, commit))


def write_citation_file(root: Path, version: str, date: str, commit: str | None) -> None:
    """CITATION.cff of the release, from the same declaration as the card's BibTeX."""
    atomic_write_text(root / "CITATION.cff", cff_text(Citation(version, date, commit)))


@dataclass
class ReleaseResult:
    version: str
    folder: Path
    noop: bool = False
    diff: CorpusDiff | None = None
    manifest: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def release_lock(releases: Path) -> Iterator[None]:
    """Hold the corpus's release lock (an ``flock`` on ``releases/``), or refuse: one release at a time.

    The lock is an ``flock``, which the system releases when the process ends, however it ends.
    """
    releases.mkdir(exist_ok=True)
    fd = os.open(releases, os.O_RDONLY | os.O_DIRECTORY)  # the lock is on the folder: no file left behind
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _refuse("release-running", "another release of this corpus is running; try again "
                                             "when it has finished") from None
        yield
    finally:
        os.close(fd)


def _changelog_heading(version: str) -> re.Pattern[str]:
    return re.compile(rf"^## Corpus {re.escape(version)} - ", re.MULTILINE)


def _changelog_with(changelog: str, version: str, date: str, summary: str) -> str:
    section = f"## Corpus {version} - {date}\n\n{summary.rstrip()}\n"
    match = re.search(r"^## Unreleased\n.*?(?=^## |\Z)", changelog, re.MULTILINE | re.DOTALL)
    if match:
        head, rest = changelog[:match.end()].rstrip("\n"), changelog[match.end():]
        return head + "\n\n" + section + ("\n" + rest if rest else "")
    return changelog.rstrip("\n") + "\n\n" + section


def _summary(diff: CorpusDiff | None, layer_counts: dict[str, dict[str, int]]) -> str:
    if diff is not None:
        return render_text(diff)
    total = {k: sum(c[k] for c in layer_counts.values()) for k in ("documents", "mentions", "quotes", "events")}
    return (f"First release: {total['documents']} documents, {total['mentions']} mentions, "
            f"{total['quotes']} quotes, {total['events']} events.\n")


def _write_changelog_entry(root: Path, version: str, date: str, summary: str) -> None:
    path = root / "CHANGELOG.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n"
    if not _changelog_heading(version).search(old):
        atomic_write_text(path, _changelog_with(old, version, date, summary))


def cut_release(root: Path, version: str, date: str, *, allow_dirty: bool = False,
                after_file_written: Callable[[Path], None] | None = None,
                progress: Progress | None = None) -> ReleaseResult:
    """Validate, build and write ``releases/VERSION`` and its CHANGELOG entry (``progress``
    watches the corpus load and the build: :data:`corpus_ds.load.Progress`)."""
    parse_version(version)
    check_date(date)
    paths = CorpusPaths(root)
    releases = paths.releases
    folder = release_folder(root, version)
    with release_lock(releases):
        sources = source_hashes(root)
        if (folder / MANIFEST).exists():
            manifest = read_manifest(folder)
            recorded = manifest["sources"]
            if recorded != sources:
                differing = sorted(k for k in set(recorded) | set(sources) if recorded.get(k) != sources.get(k))
                raise _refuse("release-exists",
                              f"release {version} already exists and was built from other sources "
                              f"({', '.join(differing[:5])}{' …' if len(differing) > 5 else ''}); "
                              "a release never changes: choose a new version")
            changelog = root / "CHANGELOG.md"
            if not changelog.exists() or not _changelog_heading(version).search(changelog.read_text(encoding="utf-8")):
                diff = _diff_to_previous(root, version, working_state(load_corpus(paths, progress=progress)))
                _write_changelog_entry(root, version, manifest.get("date", date),
                                       _summary(diff, manifest["counts"]["layers"]))
            return ReleaseResult(version, folder, noop=True, manifest=manifest)
        if folder.exists() or folder.is_symlink():
            raise _refuse("release-exists", f"{folder} exists but holds no release manifest; "
                                            "remove it or choose another version")
        changelog = root / "CHANGELOG.md"
        if changelog.exists() and _changelog_heading(version).search(changelog.read_text(encoding="utf-8")):
            raise _refuse("release-exists", f"CHANGELOG.md already has an entry for {version}, but "
                                            f"{folder} is missing; choose another version")
        dirty = dirty_sources(root)
        if dirty and not allow_dirty:
            raise _refuse("uncommitted", f"sources or code have uncommitted changes ({', '.join(dirty[:5])}); "
                                         "commit them first so that the release records the commit it "
                                         "was built from")
        corpus = load_corpus(paths, progress=progress)
        diff = _diff_to_previous(root, version, working_state(corpus))
        commit = git_commit(root)
        card = release_card(root, version, commit)
        for stale in releases.glob(f".{version}.tmp-*"):
            if (stale / MARKER).is_file():
                shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{version}.tmp-", dir=releases))
        try:
            (staging / MARKER).write_text("release staging of corpus-ds\n", encoding="utf-8")
            result = build(paths, staging / version, card_text=card, build_format=BUILD_FORMAT,
                           documents=corpus.documents, protect=staging, after_file_written=after_file_written,
                           citation=Citation(version, date, commit), progress=progress)
            built = staging / version
            (built / MARKER).unlink()
            manifest = {
                "version": version,
                "date": date,
                "commit": commit,
                "previous": diff.old if diff else None,
                "required_bump": diff.required_bump if diff else "initial",
                "schema_version": corpus.documents[0].record.schema_version if len(corpus) else None,
                "build_format": BUILD_FORMAT,
                "files": folder_hashes(built),
                "counts": {"rows": result.rows, "layers": result.layer_counts},
                "sources": sources,
                "tools": tool_versions(),
            }
            atomic_write_text(built / MANIFEST, json.dumps(manifest, indent=2, sort_keys=False) + "\n")
            os.rename(built, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _write_changelog_entry(root, version, date, _summary(diff, result.layer_counts))
        write_citation_file(root, version, date, commit)
    return ReleaseResult(version, folder, diff=diff, manifest=manifest)


def _diff_to_previous(root: Path, version: str, state: dict[str, dict[str, Any]]) -> CorpusDiff | None:
    """The difference from the last release before ``version``; CorpusError if the version
    understates it or nothing changed."""
    releases = root / "releases"
    previous = [v for v in released_versions(releases) if parse_version(v) < parse_version(version)]
    if not previous:
        return None
    last = previous[-1]
    diff = diff_states(release_state(releases / last), state, old_name=last, new_name=version,
                       old_features=release_features(releases / last), new_features=current_features())
    if diff.errors:
        raise _refuse("split-change", "; ".join(diff.errors))
    needed, given = diff.required_bump, bump_of(last, version)
    if needed == "none":
        raise _refuse("nothing-changed", f"nothing changed since release {last}; no new version to cut")
    if BUMPS.index(given) < BUMPS.index(needed) and not _released(root, version):
        raise _refuse("bump-too-small", f"{last} -> {version} is a {given} bump, but the changes need at "
                                        f"least a {needed} bump:\n{render_text(diff)}")
    return diff


def _released(root: Path, version: str) -> bool:
    return (release_folder(root, version) / MANIFEST).is_file()
