"""Writing safely: atomic files, staged output folders, and the folders a command may replace.

Every command that writes goes through here, so that

- nothing is half-written: a file is written to a temporary sibling and renamed over its
  target; a folder is built in a hidden staging sibling and swapped into place in one step
  (``renameat2(RENAME_EXCHANGE)`` where the system has it, two renames otherwise);
- nothing is lost: an output folder is replaced only if it is absent, empty, or carries the
  marker file that corpus-ds writes into every folder it makes; never the corpus root, a
  folder above it, or one of its source folders;
- what is written follows the umask (0644 files and 0755 folders under umask 022), not the
  0600/0700 of :mod:`tempfile`;
- a kill at any point leaves either the old output or the new one, and only hidden staging
  folders that carry the marker, which the next run of the same command removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .model.problems import CorpusError, Problem, fail

#: The file corpus-ds writes into every output folder it makes (and only there).
MARKER = ".corpus-ds-output"
#: Folders of a corpus checkout that hold sources: never an output, never replaced.
SOURCE_FOLDERS = ("texts", "annotations", "releases", "authoring", "agreement", "schema", ".git",
                  "corpus_ds", "tests", "scripts")


def umask() -> int:
    """The process umask (read without changing it for longer than one call)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _follow_umask(path: Path, folder: bool) -> None:
    os.chmod(path, (0o777 if folder else 0o666) & ~umask())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary sibling and a rename.

    The rename replaces ``path`` itself: a symlink at ``path`` is replaced, never followed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _follow_umask(Path(tmp), folder=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 (``\\n`` line ends kept as given) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_new_bytes(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (``O_EXCL``: never through a symlink or over a file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def is_within(path: Path, folder: Path) -> bool:
    """Whether ``path`` (resolved) is ``folder`` (resolved) or lies below it."""
    return path.resolve().is_relative_to(folder.resolve())


def check_output_folder(out: Path, corpus_root: Path | None, what: str = "--out") -> Path:
    """The resolved ``out`` if corpus-ds may (re)place a folder there; else a CorpusError.

    Refused: the corpus root or any folder above it, a source folder of the corpus or
    anything inside one, an existing file, and an existing folder that is neither empty nor
    marked as corpus-ds output.
    """
    resolved = out.resolve()

    def refuse(message: str) -> CorpusError:
        return fail("(command line)", what, "unsafe-output", f"{out}: {message}")

    if corpus_root is not None:
        root = corpus_root.resolve()
        if root.is_relative_to(resolved):
            raise refuse(f"is the corpus folder {root} or a folder above it; choose a new folder "
                         "for the output")
        for name in SOURCE_FOLDERS:
            if resolved.is_relative_to(root / name):
                raise refuse(f"is inside the corpus source folder {name}/, which corpus-ds never "
                             "replaces; choose another folder")
    if resolved.exists() or resolved.is_symlink():
        if resolved.is_symlink() or not resolved.is_dir():
            raise refuse("exists and is not a folder; choose another --out or remove it yourself")
        if any(resolved.iterdir()) and not (resolved / MARKER).is_file():
            raise refuse("is a folder corpus-ds did not make (it holds files and no "
                         f"{MARKER} marker); remove it yourself or choose another --out")
    return resolved


def _renameat2_exchange() -> object | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False when the system cannot."""
    function = _renameat2_exchange()
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)  # type: ignore[operator]
    return result == 0


def _remove_stale_staging(out: Path) -> None:
    """Hidden staging siblings of ``out`` left by a killed run (only ones that carry the marker)."""
    for sibling in out.parent.glob(f".{out.name}.*-*"):
        if sibling.is_dir() and not sibling.is_symlink() and (sibling / MARKER).is_file():
            shutil.rmtree(sibling, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(out: Path, corpus_root: Path | None, what: str = "--out") -> Iterator[Path]:
    """Build a folder in a hidden staging sibling; swap it into ``out`` when the block succeeds.

    ``out`` is checked first (:func:`check_output_folder`). On any exception the staging
    folder is removed and ``out`` is left as it was.
    """
    out = check_output_folder(out, corpus_root, what)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        (staging / MARKER).write_text("made by corpus-ds; this folder may be replaced by it\n",
                                      encoding="utf-8")
        yield staging
        for folder, _, files in os.walk(staging):
            _follow_umask(Path(folder), folder=True)
            for name in files:
                _follow_umask(Path(folder) / name, folder=False)
        if out.exists() and _exchange(staging, out):
            shutil.rmtree(staging, ignore_errors=True)  # now holds the previous output
        elif out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            (old / MARKER).write_text("previous output being replaced\n", encoding="utf-8")
            os.rename(out, old / "previous")
            os.rename(staging, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_output_file(path: Path, corpus_root: Path | None, what: str = "TARGET") -> Path:
    """``path`` if corpus-ds may write a file there: not a folder, not inside a source folder."""
    resolved = path.resolve()
    if corpus_root is not None:
        root = corpus_root.resolve()
        for name in SOURCE_FOLDERS:
            if resolved.is_relative_to(root / name):
                raise fail("(command line)", what, "unsafe-output",
                                           f"{path}: is inside the corpus source folder {name}/, which "
                                           "corpus-ds never writes exports into; choose another file")
    if resolved.is_dir():
        raise fail("(command line)", what, "unsafe-output", f"{path}: is a folder, not a file")
    return path


def replace_files(folder: Path, contents: dict[str, bytes]) -> None:
    """Replace (or create) the named files of ``folder`` all at once, or none of them.

    A copy of the folder is staged beside it (hard links to the files that stay, new files
    for the rest) and exchanged with the folder in one step; a failure before the exchange
    leaves the folder untouched, a kill after it leaves only a hidden marked copy that the
    next call removes. Where the system cannot exchange two folders, the files are renamed
    into place one by one after all of them were written. Names must be plain file names.
    """
    for name in contents:
        if Path(name).name != name or name in ("", ".", ".."):
            raise ValueError(f"not a plain file name: {name!r}")
    _remove_stale_staging(folder)
    listing = sorted(os.listdir(folder))
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        (staging / MARKER).write_text("staged replacement made by corpus-ds\n", encoding="utf-8")
        for name in listing:
            source = folder / name
            if name in contents or name == MARKER:
                continue
            if source.is_symlink() or not source.is_file():
                raise CorpusError([Problem(str(source), "", "unsafe-output",
                                           "is not a regular file; corpus-ds replaces only folders of "
                                           "regular files")])
            try:
                os.link(source, staging / name)
            except OSError:
                shutil.copy2(source, staging / name)
        for name, data in contents.items():
            target = staging / name
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _follow_umask(target, folder=False)
        os.chmod(staging, os.stat(folder).st_mode & 0o7777)
        if sorted(os.listdir(folder)) != listing:
            raise CorpusError([Problem(str(folder), "", "concurrent-change",
                                       "the folder changed while the import was being staged; nothing "
                                       "written, run the import again")])
        (staging / MARKER).unlink()
        if _exchange(staging, folder):
            (staging / MARKER).write_text("previous contents, being removed\n", encoding="utf-8")
            shutil.rmtree(staging, ignore_errors=True)
            return
        (staging / MARKER).write_text("staged replacement made by corpus-ds\n", encoding="utf-8")
        for name in contents:  # no atomic exchange here: rename the complete files one by one
            os.replace(staging / name, folder / name)
        shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
