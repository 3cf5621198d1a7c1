"""Hostile input and faults: a catalogue, one case per row.

Every case runs the command line on a fresh copy of a corpus that has a sibling folder
outside it, and asserts: the exit status, a clear located message, no traceback (and no
"internal error"), nothing outside the corpus changed, and nothing in the corpus lost.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus_ds.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
DOC = "00000000000000f1"


@dataclass
class World:
    """A corpus at ``root`` and, beside it, a folder ``outside`` that nothing may touch."""

    root: Path
    outside: Path

    def snapshot(self, folder: Path | None = None) -> dict[str, str]:
        folder = folder or self.root.parent
        found = {}
        for path in sorted(folder.rglob("*")):
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"-> {os.readlink(path)}"
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir():
                found[key] = "dir"
        return found


def _world(tmp_path: Path, real: bool = False) -> World:
    root = tmp_path / "corpus"
    if real:
        shutil.copytree(ROOT / "texts", root / "texts")
        shutil.copytree(ROOT / "annotations", root / "annotations", ignore=shutil.ignore_patterns("*.md"))
        shutil.copyfile(ROOT / "DATACARD.md", root / "DATACARD.md")
    else:
        shutil.copytree(FIXTURES / "texts", root / "texts")
        shutil.copytree(FIXTURES / "valid", root / "annotations")
        (root / "DATACARD.md").write_text("# card\n\n<!-- version -->\n\n<!-- statistics -->\n", encoding="utf-8")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("a file of the user's, outside the corpus\n", encoding="utf-8")
    return World(root, outside)


@pytest.fixture
def world(tmp_path):
    return _world(tmp_path)


@pytest.fixture
def real_world(tmp_path):
    return _world(tmp_path, real=True)


def run(world: World, capsys, *args: str, status: int | tuple[int, ...] = 1) -> str:
    """Run the CLI on the world's corpus; check the exit status and that no traceback shows."""
    code = main([*args, "--root", str(world.root)])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    wanted = status if isinstance(status, tuple) else (status,)
    assert code in wanted, output
    assert "Traceback" not in output and "[internal-error]" not in output, output
    return output


def _unchanged_outside(world: World, before: dict[str, str]) -> None:
    after = world.snapshot()
    lost = {k: v for k, v in before.items() if k.startswith(("outside", "corpus/texts", "corpus/annotations"))
            and after.get(k) != v}
    assert lost == {}, f"changed or lost: {sorted(lost)}"


# 1. Output folders: never the corpus, a folder above it, a source folder, a file, a foreign folder

@pytest.mark.parametrize("verb", ["build", "view"])
@pytest.mark.parametrize("target", [".", "CORPUS", "texts", "annotations", "..", "annotations/sub",
                                    "notes.txt", "FOREIGN", "OUTSIDE"])
def test_an_output_never_replaces_what_corpus_ds_did_not_make(world, capsys, verb, target):
    (world.root / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (world.root / "foreign").mkdir()
    (world.root / "foreign" / "data.csv").write_text("a,b\n", encoding="utf-8")
    out = {"CORPUS": str(world.root), "FOREIGN": str(world.root / "foreign"), "OUTSIDE": str(world.outside),
           ".": str(world.root), "..": str(world.root.parent)}.get(target, str(world.root / target))
    before = world.snapshot()
    output = run(world, capsys, verb, "--out", out)
    assert "[unsafe-output]" in output and "--out" in output
    assert world.snapshot() == before


def test_an_output_folder_corpus_ds_made_is_replaced_whole_and_follows_the_umask(world, capsys):
    old = os.umask(0o022)
    try:
        run(world, capsys, "build", "--out", str(world.root / "dist"), status=0)
        run(world, capsys, "build", "--out", str(world.root / "dist"), status=0)  # its own folder: replaced
    finally:
        os.umask(old)
    dist = world.root / "dist"
    modes = {p.relative_to(dist).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [dist, *dist.rglob("*")]}
    assert {mode for name, mode in modes.items() if (dist / name).is_dir() or name == "."} <= {0o755}
    assert {mode for name, mode in modes.items() if (dist / name).is_file()} == {0o644}
    assert not [p.name for p in world.root.iterdir() if p.name.startswith(".dist.")]


def test_a_killed_run_leaves_the_old_output_and_the_next_run_cleans_up(world, capsys, monkeypatch):
    run(world, capsys, "build", "--out", str(world.root / "dist"), status=0)
    before = world.snapshot(world.root / "dist")
    from corpus_ds.publish import build as build_module

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "render_card", killed)
    run(world, capsys, "build", "--out", str(world.root / "dist"), status=130)
    assert world.snapshot(world.root / "dist") == before
    monkeypatch.undo()
    # a kill the process could not handle (SIGKILL) leaves a marked staging folder: the next run removes it
    stale = world.root / ".dist.tmp-killed"
    stale.mkdir()
    (stale / ".corpus-ds-output").write_text("x", encoding="utf-8")
    run(world, capsys, "build", "--out", str(world.root / "dist"), status=0)
    assert not stale.exists()


def test_export_brat_never_writes_through_a_symlink_in_its_target(world, capsys):
    target = world.root.parent / "brat"
    run(world, capsys, "export", "brat", str(target), status=0)
    (target / f"{DOC}.ann").unlink()
    (target / f"{DOC}.ann").symlink_to(world.outside / "keep.txt")
    before = world.snapshot()
    run(world, capsys, "export", "brat", str(target), status=0)
    assert (world.outside / "keep.txt").read_bytes() == b"a file of the user's, outside the corpus\n"
    assert not (target / f"{DOC}.ann").is_symlink()
    _unchanged_outside(world, before)


# 2. HTML: every value escaped, a Content-Security-Policy on every page

def test_names_and_annotators_reach_the_site_escaped(world, capsys):
    path = world.root / "annotations" / f"{DOC}.json"
    value = json.loads(path.read_text(encoding="utf-8"))
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    value["provenance"]["zones"]["annotated_by"] = [payload]
    value["entities"][0]["name"] = payload
    value["document"]["title"] = payload
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    run(world, capsys, "validate", status=0)
    site = world.root / "site"
    run(world, capsys, "view", "--out", str(site), status=0)
    for page in site.glob("*.html"):
        content = page.read_text(encoding="utf-8")
        assert "<img src=x" not in content and "<script>alert" not in content
        assert content.count("<script>") == 1  # the page's own script only
        assert 'http-equiv="Content-Security-Policy"' in content and "default-src &#x27;none&#x27;" in content
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in (site / "index.html").read_text(encoding="utf-8")


# 3. Names that become paths stay inside the corpus

@pytest.mark.parametrize("doc_id", ["../../outside/keep", "/tmp/x", "00000000000000f1/../../x", "00000000000000f",
                                    "", None, 7, ["x"]])
def test_label_studio_doc_ids_never_become_paths(world, capsys, doc_id, tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"id": 1, "data": {"doc_id": doc_id, "text": "x"}, "annotations": []}]),
                      encoding="utf-8")
    before = world.snapshot()
    output = run(world, capsys, "import", "labelstudio", str(export), "--replace")
    assert f"{export}:/0/data/doc_id:" in output and "[unknown-document]" in output
    assert world.snapshot() == before


@pytest.mark.parametrize("doc", ["../outside/keep", "/etc/passwd", "00000000000000F1", "x" * 16])
def test_a_draft_doc_id_never_becomes_a_path(world, capsys, doc, tmp_path):
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"doc": doc, "zones": []}), encoding="utf-8")
    before = world.snapshot()
    output = run(world, capsys, "author", str(draft))
    assert f"{draft}:/doc:" in output
    assert world.snapshot() == before


@pytest.mark.parametrize("name", ["../x.ann", "x.ann", "0000000000000000.ann"])
def test_brat_file_names_must_be_documents_of_the_corpus(world, capsys, tmp_path, name):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / Path(name).name).write_text("", encoding="utf-8")
    before = world.snapshot()
    output = run(world, capsys, "import", "brat", str(folder), "--replace")
    assert "[unknown-document]" in output
    assert world.snapshot() == before


@pytest.mark.parametrize("verb", [["verify"], ["diff", "1.0.0"], ["push", "--repo-id", "a/b", "--dry-run"]])
@pytest.mark.parametrize("version", ["../../outside", "/etc", "1.0.0\n", "1.0", "01.0.0", "1.0.0/../.."])
def test_version_names_never_become_paths(world, capsys, verb, version):
    before = world.snapshot()
    args = [verb[0], version, *verb[1:]] if verb[0] != "diff" else ["diff", version, "working"]
    output = run(world, capsys, *args)
    assert "[bad-version]" in output
    assert world.snapshot() == before


# 4. Values from a file never reach another program as options

def _released(world: World, capsys) -> Path:
    run(world, capsys, "release", "1.0.0", "--date", "2026-12-06", "--allow-dirty", status=0)
    return world.root / "releases" / "1.0.0" / "manifest.json"


@pytest.mark.parametrize("commit", ["--output=OUTSIDE", "-o", "HEAD", "a" * 39, "A" * 40, 12])
def test_a_crafted_manifest_commit_never_reaches_git(world, capsys, commit):
    manifest_path = _released(world, capsys)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["commit"] = str(world.outside / "keep.txt").join(commit.split("OUTSIDE")) if isinstance(commit, str) else commit
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    before = world.snapshot()
    output = run(world, capsys, "verify", "1.0.0")
    assert f"{manifest_path}:/commit:" in output and "[bad-manifest]" in output
    assert world.snapshot() == before


@pytest.mark.parametrize("mutation", ["not json", "[]", "{}", '{"files": []}', '{"files": {"../../x": "00"}, "sources": {}}',
                                      '{"files": {"a": 1}, "sources": {}}', '{"files": {}, "sources": {}, "build_format": "x"}',
                                      '{"files": {}, "sources": {}, "commit": null, "build_format": true}'])
def test_a_malformed_manifest_gives_a_located_message(world, capsys, mutation):
    manifest_path = _released(world, capsys)
    manifest_path.write_text(mutation, encoding="utf-8")
    before = world.snapshot()
    output = run(world, capsys, "verify", "1.0.0")
    assert str(manifest_path) in output
    run(world, capsys, "push", "1.0.0", "--repo-id", "a/b", "--dry-run")
    assert world.snapshot() == before


# 5. Validated input never crashes a later stage

def test_an_unpaired_surrogate_is_refused_by_validate_and_so_by_every_stage(world, capsys):
    path = world.root / "annotations" / f"{DOC}.json"
    raw = path.read_text(encoding="utf-8").replace('"Sergey Lavrov"', '"Sergey \\ud800Lavrov"', 1)
    path.write_text(raw, encoding="utf-8")
    output = run(world, capsys, "validate")
    assert "[lone-surrogate]" in output and ":/entities/0/name:" in output
    for args in (["build", "--out", str(world.root / "dist")], ["view", "--out", str(world.root / "site")],
                 ["export", "brat", str(world.root.parent / "brat")]):
        assert "[lone-surrogate]" in run(world, capsys, *args)
    assert not (world.root / "dist").exists() and not (world.root / "site").exists()


@pytest.mark.parametrize("field,value,code", [
    ("/entities/0/name", "Lavrov\n", "schema-pattern"), ("/entities/0/name", " ", "schema-pattern"),
    ("/document/title", "A\x1b[2Jtitle", "schema-pattern"), ("/document/published/value", "2013-02-29", "bad-date"),
    ("/provenance/zones/annotated_on", "2026-02-30", "bad-date"), ("/document/publisher/name", "RT\u2028", "schema-pattern"),
])
def test_validate_rejects_what_later_stages_cannot_handle(world, capsys, field, value, code):
    path = world.root / "annotations" / f"{DOC}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    target = document
    parts = field.strip("/").split("/")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    target[parts[-1]] = value
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    output = run(world, capsys, "validate")
    assert f":{field}: " in output and f"[{code}]" in output
    assert "\x1b" not in output and "\u2028" not in output  # printed escaped


# 6. Releases are unique

@pytest.mark.parametrize("version", ["1.3.0\n", " 1.3.0", "v1.3.0", "1.3.0-rc1"])
def test_a_release_version_is_exactly_major_minor_patch(world, capsys, version):
    before = world.snapshot()
    assert "[bad-version]" in run(world, capsys, "release", version, "--allow-dirty")
    assert world.snapshot() == before


@pytest.mark.parametrize("date", ["2026-12-06\n## Corpus 9.9.9 - 2026-01-01", "2026-02-30", "yesterday"])
def test_a_release_date_cannot_forge_changelog_headings(world, capsys, date):
    output = run(world, capsys, "release", "1.0.0", "--date", date, "--allow-dirty")
    assert "[bad-date]" in output
    assert "9.9.9" not in (world.root / "CHANGELOG.md").read_text(encoding="utf-8")


def test_a_release_without_its_card_is_refused(world, capsys):
    (world.root / "DATACARD.md").unlink()
    assert "[missing-datacard]" in run(world, capsys, "release", "1.0.0", "--allow-dirty")
    assert not (world.root / "releases" / "1.0.0").exists()


def test_one_release_at_a_time(world, capsys):
    import fcntl

    (world.root / "releases").mkdir()
    fd = os.open(world.root / "releases", os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert "[release-running]" in run(world, capsys, "release", "1.0.0", "--allow-dirty")
    finally:
        os.close(fd)
    run(world, capsys, "release", "1.0.0", "--allow-dirty", status=0)


def test_two_concurrent_releases_of_one_version_make_one_release_and_one_entry(world):
    command = [sys.executable, "-m", "corpus_ds", "release", "1.0.0", "--date", "2026-12-06", "--allow-dirty",
               "--root", str(world.root)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [(p.wait(timeout=300), p.stdout.read()) for p in runs]
    assert all(code in (0, 1) and "Traceback" not in out for code, out in outputs), outputs
    assert sum("released 1.0.0" in out for _, out in outputs) == 1
    changelog = (world.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.count("## Corpus 1.0.0 - ") == 1
    assert [p.name for p in (world.root / "releases").iterdir()] == ["1.0.0"]


# 7. Imports are all or nothing

def _brat_edit_everything(world: World, capsys) -> Path:
    folder = world.root.parent / "brat"
    run(world, capsys, "export", "brat", str(folder), status=0)
    for ann in folder.glob("*.ann"):
        lines = ann.read_text(encoding="utf-8").split("\n")
        ann.write_text("\n".join(line for line in lines if not line.startswith("A") or "Realis" not in line),
                       encoding="utf-8")  # every event's realis back to the default: every file changes
    return folder


@pytest.mark.parametrize("fault", ["full-disk", "read-only", "killed-before-swap"])
def test_an_import_that_fails_midway_changes_nothing(real_world, capsys, monkeypatch, fault):
    world = real_world
    folder = _brat_edit_everything(world, capsys)
    before = world.snapshot()
    from corpus_ds import fsutil

    if fault == "killed-before-swap":
        monkeypatch.setattr(fsutil, "_exchange", lambda a, b: (_ for _ in ()).throw(KeyboardInterrupt()))
        expected = 130
    else:
        calls = {"n": 0}
        real_fsync = os.fsync

        def failing_fsync(fd):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(errno.ENOSPC if fault == "full-disk" else errno.EROFS,
                              os.strerror(errno.ENOSPC if fault == "full-disk" else errno.EROFS))
            real_fsync(fd)

        monkeypatch.setattr(fsutil.os, "fsync", failing_fsync)
        expected = 1
    output = run(world, capsys, "import", "brat", str(folder), "--replace", status=expected)
    if fault != "killed-before-swap":
        assert ("No space left" if fault == "full-disk" else "Read-only") in output
    assert world.snapshot() == before
    monkeypatch.undo()
    output = run(world, capsys, "import", "brat", str(folder), "--replace", status=0)
    assert "5 file(s) written" in output


def test_duplicate_label_studio_tasks_are_refused(world, capsys, tmp_path):
    tasks = tmp_path / "tasks.json"
    run(world, capsys, "export", "labelstudio", str(tasks), status=0)
    value = json.loads(tasks.read_text(encoding="utf-8"))
    tasks.write_text(json.dumps(value + value), encoding="utf-8")
    before = world.snapshot()
    output = run(world, capsys, "import", "labelstudio", str(tasks), "--replace")
    assert f"{tasks}:/1/data/doc_id:" in output and "[ls-ambiguous]" in output
    assert world.snapshot() == before


# 8. Reads are bounded and regular

def test_a_symlink_to_a_device_is_not_read(world, capsys):
    (world.root / "annotations" / "0000000000000000.json").symlink_to("/dev/zero")
    output = run(world, capsys, "validate")
    assert "0000000000000000.json:1:1:" in output and "[outside-corpus]" in output


def test_a_fifo_does_not_hang_validate(world, capsys):
    os.mkfifo(world.root / "annotations" / "0000000000000000.json")
    done: list[str] = []
    thread = threading.Thread(target=lambda: done.append(run(world, capsys, "validate")))
    thread.start()
    thread.join(timeout=60)
    assert done and "[not-regular]" in done[0]


def test_a_symlinked_text_is_neither_read_nor_echoed(world, capsys):
    secret = world.outside / "secret.txt"
    secret.write_text("TOP SECRET CONTENT\n", encoding="utf-8")
    text = world.root / "texts" / f"{DOC}.txt"
    text.unlink()
    text.symlink_to(secret)
    output = run(world, capsys, "validate")
    assert "[text-outside-corpus]" in output and "TOP SECRET" not in output


@pytest.mark.parametrize("source", ["/dev/zero", "FIFO", "FOLDER", "BIG"])
def test_add_reads_only_a_bounded_regular_file(world, capsys, tmp_path, source):
    from corpus_ds.load.files import MAX_TEXT_BYTES

    path = {"/dev/zero": Path("/dev/zero"), "FIFO": tmp_path / "fifo", "FOLDER": tmp_path, "BIG": tmp_path / "big.txt"}[source]
    if source == "FIFO":
        os.mkfifo(path)
    if source == "BIG":
        path.write_bytes(b"a" * (MAX_TEXT_BYTES + 1))
    before = world.snapshot(world.root)
    started = time.monotonic()
    output = run(world, capsys, "add", str(path), "--publisher", "X", "--date", "2013")
    assert time.monotonic() - started < 30  # refused at once, never read forever
    assert ("[not-regular]" in output) or ("[file-too-large]" in output)
    assert world.snapshot(world.root) == before


# 10. Messages, never tracebacks, for malformed input of every kind

def _label_studio_export(world: World, capsys, tmp_path: Path) -> list:
    tasks = tmp_path / "tasks.json"
    run(world, capsys, "export", "labelstudio", str(tasks), status=0)
    value = json.loads(tasks.read_text(encoding="utf-8"))
    for task in value:
        task["annotations"] = [{"id": 1, "result": task["predictions"][0]["result"], "was_cancelled": False}]
    return value


def _mutations(value, path=()):
    """Each (path, replacement) that breaks a JSON value one place at a time."""
    replacements = [None, 0, 1.5, -1, "x", "", [], {}, True]
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), "DELETE"
            yield from _mutations(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            yield from _mutations(item, (*path, index))
    for replacement in replacements:
        if replacement != value:
            yield path, replacement


def _apply(value, path, replacement):
    value = json.loads(json.dumps(value))
    if not path:
        return replacement
    target = value
    for part in path[:-1]:
        target = target[part]
    if replacement == "DELETE":
        del target[path[-1]]
    else:
        target[path[-1]] = replacement
    return value


def test_malformed_label_studio_exports_give_messages(world, capsys, tmp_path):
    export = _label_studio_export(world, capsys, tmp_path)
    seen = 0
    path = tmp_path / "export.json"
    before = world.snapshot(world.root)
    for where, replacement in list(_mutations(export[0]["annotations"][0]["result"][:6], (0, "annotations", 0, "result")))[:400:3] + \
            list(_mutations(export))[:120]:
        mutated = _apply(export, where, replacement)
        path.write_text(json.dumps(mutated), encoding="utf-8")
        run(world, capsys, "import", "labelstudio", str(path), status=(0, 1, 2))
        seen += 1
    assert seen >= 100
    assert world.snapshot(world.root) == before  # without --replace an import never writes


def _brat_lines(world: World, capsys) -> tuple[Path, list[str]]:
    folder = world.root.parent / "brat"
    run(world, capsys, "export", "brat", str(folder), status=0)
    return folder, (folder / f"{DOC}.ann").read_text(encoding="utf-8").split("\n")


BRAT_BREAKS = [
    lambda line: line.split("\t")[0], lambda line: line.replace("\t", " "), lambda line: line + "\tjunk\textra",
    lambda line: line.replace(" ", "  "), lambda line: line[:len(line) // 2], lambda line: "X" + line,
    lambda line: line.replace("T", "T9999", 1), lambda line: line.replace(":", "::"), lambda line: line.replace(":", ""),
    lambda line: line.replace("0", "-1", 1), lambda line: line.replace(" ", ";", 1), lambda line: line + "\u2028",
    lambda line: line + "\r", lambda line: "\ufeff" + line, lambda line: line.replace("\t", "\t\x00", 1),
]


def test_malformed_brat_files_give_located_messages(world, capsys):
    folder, lines = _brat_lines(world, capsys)
    ann = folder / f"{DOC}.ann"
    kinds = sorted({line[:1] for line in lines if line})
    assert set(kinds) >= {"T", "A", "R", "E", "#", "*"}
    tried = 0
    for kind in kinds:
        index = next(i for i, line in enumerate(lines) if line.startswith(kind))
        for brk in BRAT_BREAKS:
            broken = list(lines)
            broken[index] = brk(lines[index])
            ann.write_text("\n".join(broken), encoding="utf-8")
            output = run(world, capsys, "import", "brat", str(folder), "--replace", status=(0, 1))
            if "problem(s)" in output:
                assert f"{ann}:" in output
            tried += 1
    assert tried >= 35
    assert world.snapshot(world.root) != {} and (world.root / "annotations" / f"{DOC}.json").exists()


def test_a_line_separator_in_a_text_survives_the_brat_round_trip(world, capsys, tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("Title NATO\nNATO\u2028met Russia.\n", encoding="utf-8")
    run(world, capsys, "add", str(source), "--publisher", "X", "--date", "2013", status=0)
    doc_id = next(p.stem for p in (world.root / "annotations").glob("*.json") if p.stem != DOC)
    draft = tmp_path / "d.json"
    draft.write_text(json.dumps({"doc": doc_id, "annotator": "t", "date": "2026-12-06", "layers": ["zones", "entities"],
                                 "zones": [{"type": "title", "t": "Title NATO"},
                                           {"type": "body", "from": {"t": "NATO", "n": 2}, "to": {"t": "Russia."}}],
                                 "entities": [{"type": "ORG", "name": "NATO", "mentions": [{"t": "NATO", "n": 1},
                                                                                             {"t": "NATO", "n": 2}]}]}),
                     encoding="utf-8")
    run(world, capsys, "author", str(draft), status=0)
    folder = tmp_path / "brat"
    run(world, capsys, "export", "brat", str(folder), status=0)
    assert "unchanged" in run(world, capsys, "import", "brat", str(folder), status=0)


def test_a_discontinuous_brat_mention_is_refused(world, capsys):
    folder, lines = _brat_lines(world, capsys)
    index = next(i for i, line in enumerate(lines) if line.startswith("T") and "\tPER " in line)
    tid, label_spans, shown = lines[index].split("\t")
    label, spans = label_spans.split(" ", 1)
    start, end = map(int, spans.split())
    lines[index] = f"{tid}\t{label} {start} {start + 2};{start + 3} {end}\t{shown}"
    (folder / f"{DOC}.ann").write_text("\n".join(lines), encoding="utf-8")
    output = run(world, capsys, "import", "brat", str(folder), "--replace")
    assert f":{index + 1}:1:" in output and "contiguous" in output


def test_float_label_studio_offsets_are_refused(world, capsys, tmp_path):
    export = _label_studio_export(world, capsys, tmp_path)
    region = next(r for r in export[0]["annotations"][0]["result"] if r.get("type") == "labels")
    region["value"]["start"] = float(region["value"]["start"]) + 0.5
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    assert "whole numbers" in run(world, capsys, "import", "labelstudio", str(path), "--replace")


@pytest.mark.parametrize("date", ["2013-01-01\n", "2013-13-01", "13 May 2013", "2013-02-29"])
def test_add_refuses_a_bad_date(world, capsys, tmp_path, date):
    source = tmp_path / "t.txt"
    source.write_text("Title\nBody.\n", encoding="utf-8")
    before = world.snapshot(world.root)
    assert "[bad-date]" in run(world, capsys, "add", str(source), "--publisher", "X", "--date", date)
    assert world.snapshot(world.root) == before


def test_terminal_escapes_in_data_are_printed_escaped(world, capsys):
    bad = world.root / "annotations" / "evil\x1b]0;owned\x07.json"
    bad.write_text('{"x": "\x1b[31m"}', encoding="utf-8")
    output = run(world, capsys, "validate")
    assert "\x1b" not in output and "\x07" not in output and "\\x1b" in output


def test_an_unwritable_output_gives_a_message(world, capsys, monkeypatch):
    from corpus_ds import fsutil

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(world.root / "dist"))

    monkeypatch.setattr(fsutil.tempfile, "mkdtemp", refuse)
    output = run(world, capsys, "build", "--out", str(world.root / "dist"))
    assert "Read-only file system" in output and "[os-error]" in output
