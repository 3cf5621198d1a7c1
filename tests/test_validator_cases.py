"""Every semantic and schema rule: a case that breaks exactly it, with its exact finding."""

import json
from pathlib import Path

import pytest
from casefiles import TEXTS, VALID, all_cases, materialise

from corpus_ds import validate_file
from corpus_ds.cli import main

CASES = all_cases()


def test_there_is_a_case_per_check_code():
    codes = set()
    for case in CASES:
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
            codes.add(line.rsplit("[", 1)[1].rstrip("]"))
    import inspect

    from corpus_ds.validate import checks
    source = inspect.getsource(checks)
    for code in ("span-range", "span-text", "span-whitespace", "duplicate-id", "zone-overlap",
                 "zone-gap", "mention-overlap", "dangling-reference", "type-mismatch",
                 "outside-zone", "empty-entity", "pro-not-pronoun", "name-extent", "pronoun-as-name", "role-type",
                 "implicit-source", "cue-in-content", "quote-marks", "parent-cycle",
                 "duplicate-argument", "cluster-type", "provenance", "time-value", "bad-date"):
        assert f'"{code}"' in source
        assert code in codes, f"no regression case for {code}"


def test_valid_fixture_is_clean():
    result = validate_file(VALID, TEXTS)
    assert result.problems == []
    assert result.record is not None and len(result.record.mentions) == 16


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_exactly_its_findings(case, tmp_path):
    path = materialise(case, tmp_path)
    result = validate_file(path, TEXTS, shown_as=path.name)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [p.render() for p in result.problems] == [line for line in expected if line]
    assert not result.ok


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_exit_1_and_json_report(case, tmp_path, capsys):
    path = materialise(case, tmp_path)
    code = main(["validate", str(path), "--texts", str(TEXTS), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1
    report = json.loads(out)
    assert report["errors"] >= 1
    assert all(p["file"] == str(path) and p["location"] for p in report["problems"] if p["location"] != "")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_schema_engine_reports_the_same_findings(case, tmp_path):
    from corpus_ds.validate import ENGINES
    from corpus_ds.validate.fastpath import decode_valid
    path = materialise(case, tmp_path)
    findings = {engine: [p.render() for p in validate_file(path, TEXTS, path.name, engine).problems]
                for engine in ENGINES}
    assert len(set(map(tuple, findings.values()))) == 1
    if any("[schema-" in line or "[duplicate-key]" in line or "[lone-surrogate]" in line
           for line in findings["python"]):
        # The fast path must never call a schema-invalid file valid.
        assert decode_valid(path.read_bytes()) is None


def test_fast_engine_accepts_the_valid_fixture():
    from corpus_ds.model.records import from_json
    from corpus_ds.validate.fastpath import decode_valid
    assert decode_valid(VALID.read_bytes()) == from_json(json.loads(VALID.read_text(encoding="utf-8")))


def test_parallel_validation_gives_the_same_findings_in_the_same_order(tmp_path, monkeypatch):
    from corpus_ds.load import pool
    from corpus_ds.validate.report import validate_files
    paths = []
    for case in CASES:
        folder = tmp_path / case.name
        folder.mkdir()
        paths.append(materialise(case, folder))
    monkeypatch.setattr(pool, "PARALLEL_MIN_JOBS", 1)
    one = validate_files(paths, TEXTS, jobs=1)
    two = validate_files(paths, TEXTS, jobs=2)
    assert [p.render() for p in one.problems] == [p.render() for p in two.problems]
    assert len(one.problems) >= len(CASES)


@pytest.mark.parametrize("pointer", ["/zones/0", "/mentions/3", "/quotes/0/content/0",
                                     "/quotes/1/cue/0", "/events/2/trigger"])
def test_a_wrong_stored_text_is_found_in_every_kind_of_span(pointer, tmp_path):
    """The span check's fast path and its reporting walk cover the same spans."""
    value = json.loads(VALID.read_text(encoding="utf-8"))
    span = value
    for part in pointer.strip("/").split("/"):
        span = span[int(part)] if part.isdigit() else span[part]
    span["text"] = span["text"][:-1] + ("X" if span["text"][-1] != "X" else "Y")
    path = tmp_path / VALID.name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    codes = [(p.location, p.code) for p in validate_file(path, TEXTS).problems]
    assert (f"{pointer}/text", "span-text") in codes


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "annotations").glob("*.json")),
                         ids=lambda p: p.name)
def test_fast_path_gives_the_same_record_as_the_reporting_path_on_every_corpus_file(path):
    from corpus_ds.model.records import from_json
    from corpus_ds.validate.fastpath import decode_valid
    assert decode_valid(path.read_bytes()) == from_json(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("edit", [
    lambda text: text.replace('"schema_version"', '"schema_version": "2.0.0", "schema_version"', 1),
    lambda text: text.replace('"schema_version"', '"schema_version" ', 1).replace(
        '"schema_version" :', '"schema_version" : "2.0.0", "schema_version" :', 1),
    lambda text: text.replace('"start": 0', '"start": 0.0', 1),
    lambda text: text.replace('"start": 0', '"start": true', 1),
], ids=["duplicate-key", "duplicate-key-spaced", "float-integer", "boolean-integer"])
def test_fast_path_declines_what_it_cannot_vouch_for(edit):
    from corpus_ds.validate.fastpath import decode_valid
    text = VALID.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    assert decode_valid(changed.encode("utf-8")) is None
