"""Everyday command-line ergonomics: document id prefixes, diffs with values, progress, and a
file's schema and semantic problems reported together."""

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from corpus_ds.cli import main
from corpus_ds.model.fileformat import dumps_annotation
from corpus_ds.publish.diff import diff_states, render_text

FIXTURE = Path(__file__).parent / "fixtures"
DOC = "00000000000000f1"


def _fixture_value():
    return json.loads((FIXTURE / "valid" / f"{DOC}.json").read_text(encoding="utf-8"))


# -- diff: old -> new values ------------------------------------------------------------------

def test_diff_shows_old_and_new_values_in_text_and_json():
    old = _fixture_value()
    new = json.loads(json.dumps(old))
    new["mentions"][13]["metonymy"] = False                      # m14
    new["mentions"][15]["entity"] = "e5"                         # m16 Interfax -> NATO
    new["events"][0]["arguments"][1]["role"] = "actor"           # v1: two actors
    new["events"][2]["trigger"] = {"start": 238, "end": 252, "text": "the deployment"}
    new["quotes"][2]["addressee"] = None                         # q3
    long_note = "Read twice; " + "every mention checked against the guidelines, " * 4
    new["provenance"]["events"]["notes"] = long_note
    new["provenance"]["entities"]["checked_by"] = ["reviewer", "second"]
    new["provenance"]["quotes"]["checked_by"] = ["reviewer", "second"]
    new["document"]["publisher"]["certainty"] = "inferred"
    new["entities"][5]["mod"] = None                             # null as before: no change
    del new["entities"][6]["mod"]                                # absent vs null: no change either
    diff = diff_states({DOC: old}, {DOC: new}, old_name="1.0.0", new_name="working")
    text = render_text(diff)
    assert f"- {DOC} mentions: changed m14: metonymy true -> false" in text
    assert f'- {DOC} mentions: changed m16: entity e7 "Interfax" -> e5 "NATO"' in text
    assert (f'- {DOC} events: changed v1: arguments [actor=m1 "Lavrov", recipient=m2 "Rasmussen", '
            f'place=m3 "Brussels"] -> [actor=m1 "Lavrov", actor=m2 "Rasmussen", place=m3 "Brussels"]') in text
    assert f'- {DOC} events: changed v3: trigger "deployment"@242-252 -> "the deployment"@238-252' in text
    assert f'- {DOC} quotes: changed q3: addressee m16 "Interfax" -> null' in text
    assert f'- {DOC} metadata: publisher.certainty "stated" -> "inferred"' in text
    assert (f'- {DOC} metadata: provenance.{{entities,quotes}}.checked_by ["reviewer"] -> '
            '["reviewer", "second"]') in text
    notes = next(line for line in text.splitlines() if ".notes" in line)
    assert notes.startswith(f"- {DOC} metadata: provenance.events.notes null -> \"Read twice; every")
    assert "…" in notes and len(notes) < 140 and long_note not in notes
    assert "entities: changed" not in text  # e6, e7: null and absent are the same
    document = diff.as_json()["documents"][0]
    assert document["layers"]["mentions"]["changed"] == {
        "m14": {"metonymy": {"old": True, "new": False}},
        "m16": {"entity": {"old": "e7", "new": "e5"}}}
    assert document["layers"]["events"]["changed"]["v3"] == {"trigger": {
        "old": {"start": 242, "end": 252, "text": "deployment"},
        "new": {"start": 238, "end": 252, "text": "the deployment"}}}
    assert document["metadata_changed"]["provenance.events.notes"] == {"old": None, "new": long_note}
    assert document["metadata_changed"]["publisher.certainty"] == {"old": "stated", "new": "inferred"}
    assert diff.required_bump == "patch"


def test_diff_shortens_a_long_text_around_what_changed():
    old = _fixture_value()
    new = json.loads(json.dumps(old))
    old["entities"][0]["name"] = "Sergey Viktorovich Lavrov, Minister of Foreign Affairs of the Russian Federation"
    new["entities"][0]["name"] = old["entities"][0]["name"] + " (2004-)"
    new["entities"][1]["name"] = "Anders\x1b[31m Fogh Rasmussen"
    text = render_text(diff_states({DOC: old}, {DOC: new}, old_name="a", new_name="b"))
    line = next(line for line in text.splitlines() if "changed e1:" in line)
    assert line.endswith('name "…Russian Federation" -> "…Russian Federation (2004-)"'), line
    assert '"Anders\\u001b[31m Fogh Rasmussen"' in text and "\x1b" not in text


# -- unique-prefix document ids ---------------------------------------------------------------

@pytest.fixture()
def two_docs(tmp_path):
    """The fixture corpus plus a second document whose id shares the first 14 digits."""
    corpus = tmp_path / "c"
    shutil.copytree(FIXTURE / "texts", corpus / "texts")
    shutil.copytree(FIXTURE / "valid", corpus / "annotations")
    value = _fixture_value()
    value["document"]["id"] = "00000000000000f2"
    value["document"]["source_file"] = "fixture_00000000000000f2.txt"
    shutil.copy(FIXTURE / "texts" / f"{DOC}.txt", corpus / "texts" / "00000000000000f2.txt")
    (corpus / "annotations" / "00000000000000f2.json").write_text(dumps_annotation(value), encoding="utf-8")
    return corpus


@pytest.mark.parametrize("verb", [["show"], ["validate"]])
def test_a_unique_prefix_names_a_document(verb, two_docs, capsys):
    assert main([*verb, "00000000000000f2", "--root", str(two_docs)]) == 0
    full = capsys.readouterr().out
    assert main([*verb, "00000000000000F2", "--root", str(two_docs)]) == 0  # upper case too
    assert capsys.readouterr().out == full
    assert main([*verb, "00000000000000f", "--root", str(two_docs)]) == 2
    err = capsys.readouterr().err
    assert "'00000000000000f' is the beginning of several document ids" in err
    assert "00000000000000f1" in err and "00000000000000f2" in err and "give more digits" in err
    assert main([*verb, "0f", "--root", str(two_docs)]) == 2
    assert "no document '0f'" in capsys.readouterr().err


def test_validate_takes_ids_paths_and_folders_together(two_docs, capsys, monkeypatch):
    monkeypatch.chdir(two_docs)
    assert main(["validate", "00000000000000f2", "annotations/00000000000000f1.json"]) == 0
    assert "2 file(s) checked: all valid" in capsys.readouterr().out
    assert main(["validate", "annotations", "zz-not-there"]) == 2
    assert "no such file, folder or document: zz-not-there" in capsys.readouterr().err


def test_an_ambiguous_prefix_lists_a_bounded_number_of_matches(tmp_path):
    from corpus_ds.load import resolve_doc_id
    from corpus_ds.model.problems import UsageError

    ids = [f"{i:016x}" for i in range(40)]
    with pytest.raises(UsageError) as caught:
        resolve_doc_id("000000000000", ids, tmp_path)
    message = caught.value.problems[0].message
    assert "40 of them" in message and ids[0] in message and ids[39] not in message
    assert "and 30 more" in message


# -- validate: schema and semantic problems of one file together -------------------------------

def test_validate_lists_schema_and_semantic_problems_of_a_file_together(tmp_path, capsys):
    corpus = tmp_path / "c"
    shutil.copytree(FIXTURE / "texts", corpus / "texts")
    shutil.copytree(FIXTURE / "valid", corpus / "annotations")
    value = _fixture_value()
    value["mentions"][2]["metonymy"] = "yes"                    # schema: a string for a boolean
    value["entities"][0]["colour"] = "red"                      # schema: an unknown key
    value["mentions"][4]["text"] = "Russians"                   # semantic: not the text at its offsets
    value["events"][1]["arguments"][0]["mention"] = "m99"       # semantic: no such mention
    value["quotes"][0]["source"] = "m9"                         # semantic: a TIME mention as speaker
    (corpus / "annotations" / f"{DOC}.json").write_text(json.dumps(value, indent=1), encoding="utf-8")
    assert main(["validate", "--root", str(corpus)]) == 1
    text = capsys.readouterr().out
    assert main(["validate", "--root", str(corpus), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = {(p["location"], p["code"]) for p in report["problems"]}
    assert found == {("/mentions/2/metonymy", "schema-type"), ("/entities/0/colour", "schema-additionalProperties"),
                     ("/mentions/4/text", "span-text"), ("/events/1/arguments/0/mention", "dangling-reference"),
                     ("/quotes/0/source", "role-type")}
    for location, code in found:
        assert f"{location}: " in text and f"[{code}]" in text
    assert "5 error(s) in 1 file(s)" in text


# -- progress on stderr -----------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("verb", [["validate"], ["build", "--out", "OUT"]])
def test_progress_shows_on_a_terminal_and_not_otherwise(verb, fixture_corpus, tmp_path, capsys, monkeypatch):
    args = [str(tmp_path / "dist") if a == "OUT" else a for a in verb] + ["--root", str(fixture_corpus)]
    what = verb[0]
    monkeypatch.delenv("CORPUS_DS_PROGRESS", raising=False)
    # stderr is not a terminal (captured): no progress, and the output is the same as ever
    assert main(args) == 0
    quiet = capsys.readouterr()
    assert quiet.err == ""
    # forced on: a bar on stderr, stdout unchanged
    monkeypatch.setenv("CORPUS_DS_PROGRESS", "1")
    assert main(args) == 0
    forced = capsys.readouterr()
    assert f"{what}: 100%" in forced.err and "1/1" in forced.err
    assert forced.out == quiet.out
    # --quiet wins over everything
    assert main([*args, "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    # a terminal: on by default, off with CORPUS_DS_PROGRESS=0
    monkeypatch.delenv("CORPUS_DS_PROGRESS")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(args) == 0
    assert f"{what}: 100%" in terminal.getvalue()
    monkeypatch.setenv("CORPUS_DS_PROGRESS", "0")
    terminal.truncate(0)
    terminal.seek(0)
    assert main(args) == 0
    assert terminal.getvalue() == ""


def test_release_shows_the_load_and_the_build(root, tmp_path, capsys, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE / "texts", repo / "texts")
    shutil.copytree(FIXTURE / "valid", repo / "annotations")
    shutil.copytree(root / "schema", repo / "schema")
    shutil.copy(root / "DATACARD.md", repo / "DATACARD.md")
    monkeypatch.setenv("CORPUS_DS_PROGRESS", "1")
    assert main(["release", "1.0.0", "--root", str(repo), "--date", "2026-12-06", "--allow-dirty"]) == 0
    err = capsys.readouterr().err
    assert "load: 100%" in err and "build: 100%" in err


def test_the_library_stays_silent(fixture_corpus, tmp_path, capsys, monkeypatch):
    from corpus_ds import load_corpus, validate_corpus
    from corpus_ds.load import CorpusPaths
    from corpus_ds.publish.build import build

    monkeypatch.setenv("CORPUS_DS_PROGRESS", "1")
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert validate_corpus(fixture_corpus).ok
    load_corpus(fixture_corpus)
    build(CorpusPaths(fixture_corpus), tmp_path / "dist")
    assert sys.stderr.getvalue() == ""
    assert capsys.readouterr() == ("", "")
    seen = []

    def watch(items, total, what):
        for item in items:
            seen.append((what, total))
            yield item

    assert validate_corpus(fixture_corpus, progress=watch).ok
    build(CorpusPaths(fixture_corpus), tmp_path / "dist", progress=watch)
    assert seen == [("validate", 1), ("build", 1)]


@pytest.mark.parametrize("argv, verb", [
    (["validate", "x.json"], "validate"),
    (["--root", "validate", "build"], "build"),
    (["--root=here", "show", "33fe"], "show"),
    (["--help"], None),
    (["validat"], None),
    ([], None),
])
def test_the_verb_is_found_before_the_parser_is_built(argv, verb):
    from corpus_ds.cli import _verb_of
    assert _verb_of(argv) == verb


def test_validating_a_valid_corpus_loads_neither_the_schema_engine_nor_other_verbs(fixture_corpus):
    # a valid file never needs jsonschema (the fast path vouches for it); other verbs' modules
    # (exports, Label Studio, drafts) are not imported to validate
    import subprocess
    import sys
    code = ("import sys; from corpus_ds.cli import main; "
            f"status = main(['validate', '--quiet', '--jobs', '1', '--root', {str(fixture_corpus)!r}]); "
            "loaded = [m for m in ('jsonschema', 'corpus_ds.exchange', 'corpus_ds.cli.export_cmd', "
            "'corpus_ds.authoring.drafts', 'pyarrow') if m in sys.modules]; "
            "print(status, loaded)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip().splitlines()[-1] == "0 []", run.stdout + run.stderr
    bad = subprocess.run([sys.executable, "-m", "corpus_ds", "validat"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "validate" in bad.stderr
