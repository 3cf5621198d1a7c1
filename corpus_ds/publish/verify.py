"""Verifying a release: its files against its manifest, and a rebuild byte for byte."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..load import CorpusPaths
from ..model.problems import CorpusError, usage
from .build import build
from .citation import Citation
from .formats import BUILD_FORMATS, LEGACY_BUILD_FORMAT
from .manifest import folder_hashes, read_manifest, source_hashes
from .release import release_card
from .versions import MANIFEST, release_folder


@dataclass
class VerifyResult:
    version: str
    problems: list[str]
    checked: int
    rebuilt_from: str


#: Run in a fresh interpreter inside a release's own source tree: rebuild the release with
#: the code of that tree. Trees with ``corpus_ds/publish/reproduce.py`` run it (the protocol
#: of :mod:`.reproduce`); older trees (corpus 1.0.0-1.2.0) are driven through their own
#: ``build`` and ``release`` modules.
_REBUILD_DRIVER = """
import inspect, runpy, sys
from pathlib import Path
tree, out, version, commit, build_format = sys.argv[1:6]
date = sys.argv[6] if len(sys.argv) > 6 else ""
sys.path.insert(0, tree)
import corpus_ds
assert Path(corpus_ds.__file__).resolve().is_relative_to(Path(tree).resolve()), corpus_ds.__file__
if (Path(tree) / "corpus_ds" / "publish" / "reproduce.py").is_file():
    sys.argv = ["reproduce", tree, out, version, commit, build_format, date]
    runpy.run_module("corpus_ds.publish.reproduce", run_name="__main__")
else:
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
"""


def _tree_from_git(root: Path, commit: str, into: Path) -> bool:
    """Export the whole tree of ``commit`` (code and sources) into ``into``; False when impossible.

    ``commit`` must be 40 hex digits (the manifest reader checks it), so it can never be read
    as an option.
    """
    try:
        run = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", "--end-of-options", commit],
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


def _rebuild_with_tree_code(tree: Path, out: Path, version: str, commit: str, build_format: int,
                            date: str | None) -> str | None:
    """Rebuild with the code of ``tree`` in a fresh interpreter; an error message, or None.

    The release date is passed last: trees whose ``reproduce`` predates it ignore it."""
    run = subprocess.run([sys.executable, "-c", _REBUILD_DRIVER, str(tree), str(out), version, commit,
                          str(build_format), date or ""], cwd=tree, capture_output=True, text=True, check=False)
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
    folder = release_folder(root, version)
    if not (folder / MANIFEST).is_file():
        raise usage("VERSION", "unknown-release",
                                   f"no release {version} under {root / 'releases'}")
    manifest = read_manifest(folder)
    commit = manifest.get("commit")
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
            failure = _rebuild_with_tree_code(tree, rebuilt_dir, version, commit, build_format,
                                              manifest.get("date"))
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
            card = release_card(source_root, version, commit)
            try:
                build(CorpusPaths(source_root), rebuilt_dir, card_text=card, build_format=build_format,
                      protect=Path(tmp), citation=Citation(version, manifest.get("date"), commit))
            except CorpusError:
                problems.append("cannot rebuild: the recorded sources do not validate with the current code")
                return VerifyResult(version, problems, len(present), origin)
        again = folder_hashes(rebuilt_dir)
        for name, digest in manifest["files"].items():
            if again.get(name) != digest:
                problems.append(f"{name}: the rebuild gives sha256 {again.get(name)}, the manifest {digest}")
        problems += [f"{name}: the rebuild has a file the release lacks" for name in again
                     if name not in manifest["files"]]
    return VerifyResult(version, problems, len(manifest["files"]), origin)
