"""Bounded, regular reads: the only way the package reads a corpus file.

A file is read only if it is a regular file (not a FIFO, device or socket, which could
block or never end), no larger than its limit, and, when a folder is given, lies inside
that folder once symlinks are resolved (a committed symlink cannot pull in /dev/zero or
a file from outside the corpus). Failures are :class:`ReadFailure` with a code and a
message that never echoes the file's contents.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Annotation files larger than this are refused before they are read (the annotation file of
#: a long news article is well under 1 MB).
MAX_ANNOTATION_BYTES = 16 * 1024 * 1024
#: Raw texts larger than this are refused (a long news article is under 100 KB).
MAX_TEXT_BYTES = 4 * 1024 * 1024
#: Drafts, exports of annotation tools and manifests.
MAX_INPUT_BYTES = 256 * 1024 * 1024


class ReadFailure(Exception):
    """A file that cannot or must not be read: ``code`` and a message for a Problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_regular(path: Path, limit: int, inside: Path | None = None) -> os.stat_result:
    """The stat of ``path`` if it may be read: regular, within ``limit``, and, if it is a symlink,
    resolving to a file inside ``inside`` (a plain file is where its path says)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise ReadFailure("missing", "no such file") from None
    except OSError as exc:
        raise ReadFailure("unreadable", f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            raise ReadFailure("missing", "is a symlink to no file") from None
        except (OSError, RuntimeError) as exc:  # a symlink loop, a permission problem
            raise ReadFailure("unreadable", f"cannot resolve the path: {getattr(exc, 'strerror', None) or exc}") from None
        if inside is not None and not target.is_relative_to(inside.resolve()):
            raise ReadFailure("outside-corpus", f"is a symlink to a file outside its folder {inside.name}/; not read")
        try:
            info = os.stat(target)
        except OSError as exc:
            raise ReadFailure("unreadable", f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file")
        raise ReadFailure("not-regular", f"is {kind}, not a regular file; not read")
    if info.st_size > limit:
        raise ReadFailure("file-too-large", f"is {info.st_size} bytes, over the {limit}-byte limit; not read")
    return info


def read_bounded(path: Path, limit: int, inside: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`check_regular`).

    Read with ``os.read`` in pieces of the expected size: a buffered ``read(limit + 1)`` would
    allocate the whole limit for every file.
    """
    expected = check_regular(path, limit, inside).st_size
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ReadFailure("unreadable", f"cannot read: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the check
            raise ReadFailure("not-regular", "is not a regular file; not read")
        pieces: list[bytes] = []
        total = 0
        want = min(expected, limit) + 1  # one more byte: a file that grew is seen at once
        while piece := os.read(fd, want):
            pieces.append(piece)
            total += len(piece)
            if total > limit:
                raise ReadFailure("file-too-large", f"is over the {limit}-byte limit; not read")
            want = min(limit + 1 - total, _READ_PIECE)
    except OSError as exc:
        raise ReadFailure("unreadable", f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


#: Bytes read at a time after the expected size (a file growing while it is read).
_READ_PIECE = 1 << 16
