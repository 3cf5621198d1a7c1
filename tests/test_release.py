"""Releases in a temporary repository copy: immutable, reproducible, diffable."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from corpus_ds.cli import main
from corpus_ds.model.fileformat import dumps_annotation
from corpus_ds.model.problems import CorpusError as ReleaseError
from corpus_ds.publish import release as release_module
from corpus_ds.publish.manifest import sha256_file
from corpus_ds.publish.release import cut_release
from corpus_ds.publish.verify import verify_release
from corpus_ds.publish.versions import MANIFEST

FIXTURE = Path(__file__).parent / "fixtures"
DOC = "00000000000000f1"


@pytest.fixture()
def repo(tmp_path, root):
    """A one-document corpus repository in a temporary folder (not a git checkout)."""
    shutil.copytree(FIXTURE / "texts", tmp_path / "texts")
    shutil.copytree(FIXTURE / "valid", tmp_path / "annotations")
    shutil.copytree(root / "schema", tmp_path / "schema")
    shutil.copy(root / "DATACARD.md", tmp_path / "DATACARD.md")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n\n- work in progress\n", encoding="utf-8")
    return tmp_path


def _edit(repo, change):
    path = repo / "annotations" / f"{DOC}.json"
    value = json.loads(path.read_text(encoding="utf-8"))
    change(value)
    path.write_text(dumps_annotation(value), encoding="utf-8")


def _release(repo, version, capsys=None):
    code = main(["release", version, "--root", str(repo), "--date", "2026-11-23", "--allow-dirty"])
    return code


def test_manifest_checksums_match_the_files(repo):
    result = cut_release(repo, "1.0.0", "2026-11-23", allow_dirty=True)
    manifest = json.loads((repo / "releases" / "1.0.0" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["version"] == "1.0.0" and manifest["date"] == "2026-11-23"
    files = {p.relative_to(result.folder).as_posix() for p in result.folder.rglob("*")
             if p.is_file() and p.name != MANIFEST}
    assert set(manifest["files"]) == files
    for name, digest in manifest["files"].items():
        assert sha256_file(result.folder / name) == digest
    assert manifest["sources"][f"annotations/{DOC}.json"] == sha256_file(repo / "annotations" / f"{DOC}.json")
    assert manifest["counts"]["layers"]["validation"]["mentions"] == 16
    assert {"datasets", "pyarrow", "msgspec", "python"} <= set(manifest["tools"])
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Corpus 1.0.0 - 2026-11-23" in changelog and "- work in progress" in changelog


def test_second_release_with_same_sources_is_a_noop(repo, capsys):
    assert _release(repo, "1.0.0") == 0
    before = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert _release(repo, "1.0.0") == 0
    assert "nothing to do" in capsys.readouterr().out
    assert (repo / "CHANGELOG.md").read_text(encoding="utf-8") == before


def test_changed_annotation_with_unchanged_version_is_refused(repo, capsys):
    assert _release(repo, "1.0.0") == 0
    manifest_before = (repo / "releases" / "1.0.0" / MANIFEST).read_bytes()
    _edit(repo, lambda v: v["entities"][6].update(name="Interfax news agency"))
    assert _release(repo, "1.0.0") == 1
    assert "already exists" in capsys.readouterr().out
    assert (repo / "releases" / "1.0.0" / MANIFEST).read_bytes() == manifest_before


def test_patch_bump_over_an_added_annotation_is_refused(repo, capsys):
    assert _release(repo, "1.0.0") == 0
    def add_entity(value):
        value["entities"].append({"id": "e8", "type": "TIME", "name": "Monday evening", "wikipedia": None,
                                   "value": "2013-02-18", "mod": None})
        value["mentions"][8]["entity"] = "e8"
        value["entities"] = [e for e in value["entities"] if e["id"] != "e6"]
    _edit(repo, add_entity)
    assert _release(repo, "1.0.1") == 1
    out = capsys.readouterr().out
    assert "patch bump, but the changes need at least a minor bump" in out
    assert not (repo / "releases" / "1.0.1").exists()
    assert _release(repo, "1.1.0") == 0


def test_patch_bump_over_an_added_label_is_refused(repo, monkeypatch, capsys):
    assert _release(repo, "1.0.0") == 0
    extended = release_module.current_features()
    extended["events"]["type"]["names"] = [*extended["events"]["type"]["names"], "NEWTYPE"]
    monkeypatch.setattr(release_module, "current_features", lambda: extended)
    _edit(repo, lambda v: v["entities"][6].update(name="Interfax news agency"))
    assert _release(repo, "1.0.1") == 1
    assert "labels added ['NEWTYPE']" in capsys.readouterr().out


def test_diff_lists_exactly_the_edits(repo, capsys):
    assert _release(repo, "1.0.0") == 0
    def edit(value):
        value["entities"][6]["name"] = "Interfax news agency"
        value["events"] = [v for v in value["events"] if v["id"] != "v3"]
    _edit(repo, edit)
    assert _release(repo, "1.0.1") == 0
    capsys.readouterr()
    assert main(["diff", "1.0.0", "1.0.1", "--root", str(repo), "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert diff["required_bump"] == "patch"
    assert diff["documents"] == [{"doc_id": DOC, "metadata_changed": {}, "layers": {
        "entities": {"added": [], "removed": [], "changed": {
            "e7": {"name": {"old": "Interfax", "new": "Interfax news agency"}}}},
        "events": {"added": [], "removed": ["v3"], "changed": {}}}}]
    assert diff["label_deltas"] == {"events.type": {"MOBILIZE": -1}, "events.realis": {"actual": -1}}
    assert main(["diff", "1.0.0", "1.0.1", "--root", str(repo)]) == 0
    text = capsys.readouterr().out
    line = f'- {DOC} entities: changed e7: name "Interfax" -> "Interfax news agency"'
    assert line in text and f"- {DOC} events: removed v3" in text
    assert line in (repo / "CHANGELOG.md").read_text(encoding="utf-8")  # the release's entry says the same


def test_split_change_is_an_error(repo, capsys):
    assert _release(repo, "1.0.0") == 0
    _edit(repo, lambda v: v["document"].update(split="train"))
    assert main(["diff", "1.0.0", "working", "--root", str(repo)]) == 1
    assert "moved from split validation to train" in capsys.readouterr().out
    assert _release(repo, "1.0.1") == 1


def test_verify_passes_then_names_a_changed_parquet_file(repo, capsys):
    assert _release(repo, "1.0.0") == 0
    capsys.readouterr()
    assert main(["verify", "1.0.0", "--root", str(repo)]) == 0
    assert "match the manifest" in capsys.readouterr().out
    parquet = sorted((repo / "releases" / "1.0.0" / "mentions").glob("*.parquet"))[0]
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0x01
    parquet.write_bytes(bytes(data))
    assert main(["verify", "1.0.0", "--root", str(repo)]) == 1
    assert f"mentions/{parquet.name}: sha256" in capsys.readouterr().out


def test_verify_names_the_source_that_differs(repo, capsys):
    assert _release(repo, "1.0.0") == 0
    _edit(repo, lambda v: v["entities"][6].update(name="Interfax news agency"))
    capsys.readouterr()
    assert main(["verify", "1.0.0", "--root", str(repo)]) == 1
    assert f"annotations/{DOC}.json" in capsys.readouterr().out


def test_verify_rebuilds_from_the_recorded_commit(repo):
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "sources"], check=True)
    cut_release(repo, "1.0.0", "2026-11-23")
    _edit(repo, lambda v: v["entities"][6].update(name="Interfax news agency"))
    result = verify_release(repo, "1.0.0")
    assert result.problems == [] and "sources of commit " in result.rebuilt_from


def test_uncommitted_sources_are_refused_in_git(repo):
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "sources"], check=True)
    _edit(repo, lambda v: v["entities"][6].update(name="Interfax news agency"))
    with pytest.raises(ReleaseError, match="uncommitted"):
        cut_release(repo, "1.0.0", "2026-11-23")


def test_release_killed_midway_leaves_nothing(repo):
    before = (repo / "CHANGELOG.md").read_text(encoding="utf-8")

    def killed(path):
        raise RuntimeError("killed after the first file")

    with pytest.raises(RuntimeError):
        cut_release(repo, "1.0.0", "2026-11-23", allow_dirty=True, after_file_written=killed)
    assert not (repo / "releases" / "1.0.0").exists()
    assert [p.name for p in (repo / "releases").iterdir()] == []
    assert (repo / "CHANGELOG.md").read_text(encoding="utf-8") == before


def test_push_dry_run_prints_plan_without_network(repo, capsys, monkeypatch):
    assert _release(repo, "1.0.0") == 0
    import corpus_ds.publish.push as push_module
    monkeypatch.setattr(push_module, "execute_push", lambda plan: pytest.fail("network used"))
    capsys.readouterr()
    assert main(["push", "1.0.0", "--repo-id", "someone/corpus_ds", "--dry-run", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "would upload" in out and "manifest.json" in out and "v1.0.0" in out
    assert "documents/validation-00000-of-00001.parquet" in out
    assert main(["push", "1.0.0", "--repo-id", "not-a-repo-id", "--dry-run", "--root", str(repo)]) == 1


def test_the_repository_releases_verify_and_load(root):
    """Every release in the repository rebuilds byte for byte and loads offline."""
    from datasets import load_dataset

    from corpus_ds.publish.versions import released_versions
    versions = released_versions(root / "releases")
    if not versions:
        pytest.skip("no release cut yet")
    for version in versions:
        result = verify_release(root, version)
        assert result.problems == [], result.problems
        docs = load_dataset(str(root / "releases" / version))
        manifest = json.loads((root / "releases" / version / MANIFEST).read_text(encoding="utf-8"))
        assert {name: split.num_rows for name, split in docs.items()} == {
            name: n for name, n in manifest["counts"]["rows"]["documents"].items() if n}
    citation = (root / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{versions[-1]}"' in citation


def test_the_current_code_rebuilds_the_latest_release_byte_for_byte(root, tmp_path):
    """``verify`` rebuilds a release with the code of its own commit; this holds the current
    code to the same bytes (a speed-up of the build must not change one), as long as the
    working tree's sources are still the latest release's."""
    from corpus_ds.load import CorpusPaths
    from corpus_ds.publish.build import build
    from corpus_ds.publish.citation import Citation
    from corpus_ds.publish.manifest import folder_hashes, read_manifest, source_hashes
    from corpus_ds.publish.release import release_card
    from corpus_ds.publish.versions import release_folder, released_versions

    versions = released_versions(root / "releases")
    if not versions:
        pytest.skip("no release cut yet")
    latest = versions[-1]
    manifest = read_manifest(release_folder(root, latest))
    if source_hashes(root) != manifest["sources"]:
        pytest.skip(f"the working tree's sources differ from release {latest}'s")
    build(CorpusPaths(root), tmp_path / "rebuilt", card_text=release_card(root, latest, manifest["commit"]),
          build_format=manifest["build_format"], citation=Citation(latest, manifest.get("date"), manifest["commit"]))
    assert folder_hashes(tmp_path / "rebuilt") == manifest["files"]


def test_a_release_verifies_with_the_build_format_its_manifest_records(repo, monkeypatch):
    """Old releases keep verifying after the Parquet layout changes (a new build format)."""
    from corpus_ds.publish.formats import BUILD_FORMAT, LEGACY_BUILD_FORMAT
    assert BUILD_FORMAT != LEGACY_BUILD_FORMAT
    monkeypatch.setattr(release_module, "BUILD_FORMAT", LEGACY_BUILD_FORMAT)
    cut_release(repo, "1.0.0", "2026-11-23", allow_dirty=True)
    manifest_path = repo / "releases" / "1.0.0" / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["build_format"] == LEGACY_BUILD_FORMAT
    monkeypatch.undo()
    assert verify_release(repo, "1.0.0").problems == []
    # a manifest without the field (releases cut before formats were recorded) is format 1
    del manifest["build_format"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert verify_release(repo, "1.0.0").problems == []
    # the formats really differ in bytes, so the field is needed
    manifest["build_format"] = BUILD_FORMAT
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    problems = verify_release(repo, "1.0.0").problems
    assert problems and all("the rebuild gives sha256" in p for p in problems)
    manifest["build_format"] = 99
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert any("build format 99 is unknown" in p for p in verify_release(repo, "1.0.0").problems)


#: Placeholders a card must not carry once released.
_PLACEHOLDER = re.compile(r"\b(VERSION|COMMIT|YEAR|AUTHORS?|TODO|TBD)\b")
#: Releases cut before citations were filled at release time. A release never changes (its
#: manifest pins every byte), so their cards keep `Version VERSION, commit COMMIT`; CHANGELOG
#: says that the card of 2.0.0 supersedes them. Exactly these are exempt: never add one.
_IMMUTABLE_WITH_PLACEHOLDERS = {"1.0.0", "1.1.0", "1.2.0"}


def _bibtex_fields(card: str) -> dict[str, str]:
    entry = re.search(r"```bibtex\n(@misc\{.*?\n\})\n```", card, re.S).group(1)
    return {k: v for k, v in re.findall(r"^\s+(\w+)\s*=\s*\{(.*)\},?$", entry, re.M)}


def test_a_release_fills_its_citation_and_citation_cff_agrees(repo):
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "sources"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    cut_release(repo, "1.0.0", "2026-11-23")
    card = (repo / "releases" / "1.0.0" / "README.md").read_text(encoding="utf-8")
    assert not _PLACEHOLDER.search(card), _PLACEHOLDER.search(card)
    bib = _bibtex_fields(card)
    cff = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["version"], cff["date-released"], cff["commit"]) == ("1.0.0", "2026-11-23", commit)
    assert bib["version"] == cff["version"] and bib["date"] == cff["date-released"] and bib["year"] == "2026"
    assert bib["title"] == "{" + cff["title"] + "}" and commit in bib["note"] and "no public URL yet" in bib["note"]
    assert bib["author"] == " and ".join("{" + a["name"] + "}" for a in cff["authors"])
    assert "url" not in cff and "repository-code" not in cff  # no public URL exists yet
    croissant = json.loads((repo / "releases" / "1.0.0" / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["version"] == "1.0.0" and commit in croissant["citeAs"]
    assert verify_release(repo, "1.0.0").problems == []  # the rebuild cites the same date and commit


def test_release_cards_have_no_placeholders_and_citation_cff_is_the_latest(root):
    from corpus_ds.publish.citation import Citation, cff_text
    from corpus_ds.publish.versions import released_versions

    versions = released_versions(root / "releases")
    for version in versions:
        card = (root / "releases" / version / "README.md").read_text(encoding="utf-8")
        if version in _IMMUTABLE_WITH_PLACEHOLDERS:
            continue
        assert not _PLACEHOLDER.search(card), (version, _PLACEHOLDER.search(card))
    if versions:
        manifest = json.loads((root / "releases" / versions[-1] / MANIFEST).read_text(encoding="utf-8"))
        expected = cff_text(Citation(manifest["version"], manifest["date"], manifest["commit"]))
        assert (root / "CITATION.cff").read_text(encoding="utf-8") == expected
