"""The real corpus: texts byte for byte, every annotation file valid."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_ds import validate_file
from corpus_ds.cli import main
from corpus_ds.load import CorpusPaths
from corpus_ds.model.schema import SCHEMA_FILE, schema_text
from corpus_ds.model.splits import assign_split

EXPECTED_DOCS = {
    "49dcc0d175ee9227", "8edea27d4a3ae470", "f6e299a40294a7db", "33fe5f832a8a925d", "830a55c39e1d20ad",
}


def _records(root):
    corpus = CorpusPaths(root)
    return {p.stem: validate_file(p, corpus.texts) for p in corpus.annotation_files()}


def test_five_documents_each_with_text_and_annotations(root):
    corpus = CorpusPaths(root)
    assert {p.stem for p in corpus.annotation_files()} == EXPECTED_DOCS
    assert {p.stem for p in corpus.texts.glob("*.txt")} == EXPECTED_DOCS


def test_text_sha256_matches_annotation_file(root):
    for doc_id, result in _records(root).items():
        data = (root / "texts" / f"{doc_id}.txt").read_bytes()
        assert hashlib.sha256(data).hexdigest() == result.record.document.text_sha256


def test_texts_equal_the_seeds_when_present(root):
    seeds = root.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    for seed in seeds.glob("*.txt"):
        doc_id = seed.stem.split("_", 1)[1]
        assert (root / "texts" / f"{doc_id}.txt").read_bytes() == seed.read_bytes()


def test_every_annotation_file_is_valid(root):
    for doc_id, result in _records(root).items():
        assert result.problems == [], [p.render() for p in result.problems]


def test_splits_follow_the_rule(root):
    for doc_id, result in _records(root).items():
        assert result.record.document.split == assign_split(doc_id)


def test_files_are_in_canonical_form(root):
    from corpus_ds.model.fileformat import dumps_annotation
    for path in CorpusPaths(root).annotation_files():
        text = path.read_text(encoding="utf-8")
        assert dumps_annotation(json.loads(text)) == text, f"{path.name} is not in canonical form"


def test_committed_schema_is_the_generated_one(root):
    assert (root / "schema" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


def test_validate_cli_clean_corpus(root, capsys):
    assert main(["--root", str(root), "validate"]) == 0
    assert "5 file(s) checked: all valid" in capsys.readouterr().out


def test_validate_cli_usage_error(root, capsys):
    assert main(["--root", str(root), "validate", str(root / "no-such-file.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def _check_jsonschema() -> str:
    found = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(found).exists():
        pytest.skip("check-jsonschema is not installed")
    return found


def test_check_jsonschema_accepts_the_corpus(root):
    files = [str(p) for p in CorpusPaths(root).annotation_files()]
    run = subprocess.run([_check_jsonschema(), "--schemafile", str(root / "schema" / SCHEMA_FILE), *files],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_check_jsonschema_rejects_a_schema_violation(root, tmp_path):
    from casefiles import CASES, materialise
    bad = materialise(CASES / "schema-unknown-label", tmp_path)
    run = subprocess.run([_check_jsonschema(), "--schemafile", str(root / "schema" / SCHEMA_FILE), str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "PERSON" in run.stdout + run.stderr


def test_lead_drafts_compile_to_the_committed_annotation_files(root):
    """The annotation files are the compiled drafts: neither was edited behind the other's back."""
    from corpus_ds.authoring.drafts import compile_draft
    from corpus_ds.model.fileformat import dumps_annotation
    from corpus_ds.model.records import to_json
    drafts = sorted((root / "authoring" / "lead").glob("*.json"))
    assert len(drafts) == 5
    for draft_path in drafts:
        draft = json.loads(draft_path.read_text(encoding="utf-8"))
        committed = root / "annotations" / f"{draft['doc']}.json"
        base = validate_file(committed, root / "texts").record
        text = (root / "texts" / f"{draft['doc']}.txt").read_text(encoding="utf-8")
        compiled, problems = compile_draft(draft, base, text, draft_path.name)
        assert problems == []
        assert dumps_annotation(to_json(compiled)) == committed.read_text(encoding="utf-8"), draft_path.name
