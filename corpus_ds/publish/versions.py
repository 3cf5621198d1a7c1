"""Corpus versions: MAJOR.MINOR.PATCH names, the bump between two, and the released ones."""

from __future__ import annotations

import re
from pathlib import Path

from ..model.problems import fail, printable

#: The whole name must be a version: no sign, no leading zeros, no trailing newline.
_SEMVER = re.compile(r"(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})")
MANIFEST = "manifest.json"


def is_version(name: str) -> bool:
    return _SEMVER.fullmatch(name) is not None


def parse_version(version: str, where: str = "VERSION") -> tuple[int, int, int]:
    """``(major, minor, patch)``; CorpusError when ``version`` is not exactly MAJOR.MINOR.PATCH."""
    match = _SEMVER.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise fail("(command line)", where, "bad-version",
                                   f"{printable(str(version)[:40])!r} is not a version MAJOR.MINOR.PATCH "
                                   "(digits only, e.g. 1.3.0)")
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


def released_versions(releases: Path) -> list[str]:
    """Every released version under ``releases/``, oldest first."""
    if not releases.is_dir():
        return []
    found = [p.name for p in releases.iterdir() if p.is_dir() and not p.is_symlink() and is_version(p.name)
             and (p / MANIFEST).is_file()]
    return sorted(found, key=parse_version)


def release_folder(root: Path, version: str) -> Path:
    """``releases/VERSION`` of a checked version name (so it stays inside the corpus)."""
    parse_version(version)
    return root / "releases" / version
