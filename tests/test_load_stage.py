"""The load stage: one reader, each file validated once, texts read once and exactly (CRLF kept)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from casefiles import VALID

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.load import CorpusPaths
from corpus_ds.publish.build import build
from corpus_ds.publish.features import CONFIG_FEATURES
from corpus_ds.publish.rows import decode

ROOT = Path(__file__).resolve().parent.parent


def _copy_corpus(source: Path, into: Path) -> Path:
    shutil.copytree(source / "texts", into / "texts")
    shutil.copytree(source / "annotations", into / "annotations", ignore=shutil.ignore_patterns("*.md"))
    return into


@pytest.mark.parametrize("which", ["real", "fixture"])
def test_build_validates_each_file_once_and_reads_each_text_once(which, fixture_corpus, tmp_path, monkeypatch):
    import corpus_ds.load.corpus as load_module
    import corpus_ds.load.texts as texts_module

    corpus_root = ROOT if which == "real" else fixture_corpus
    files = CorpusPaths(corpus_root).annotation_files()
    validated: list[str] = []
    read: list[str] = []
    real_check, real_read = load_module.check_bytes, texts_module.read_bounded

    def counting_check(data, shown_as, *args, **kwargs):
        validated.append(shown_as)
        return real_check(data, shown_as, *args, **kwargs)

    def counting_read(path, *args, **kwargs):
        read.append(Path(path).name)
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(load_module, "check_bytes", counting_check)
    monkeypatch.setattr(texts_module, "read_bounded", counting_read)
    build(CorpusPaths(corpus_root), tmp_path / "dist", jobs=1)
    assert len(validated) == len(files) == len(set(validated))
    assert sorted(read) == sorted(f"{p.stem}.txt" for p in files)


def test_no_module_outside_the_load_stage_calls_the_validator():
    """Only corpus_ds/load/ turns files into records; everything else takes documents from it."""
    package = ROOT / "corpus_ds"
    offenders = []
    for path in package.rglob("*.py"):
        relative = path.relative_to(package).as_posix()
        if relative.startswith(("load/", "validate/", "model/")):
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bcheck_value\b|\bfrom_json\b|\bpartial_record\b|\brun_checks\b", source):
            offenders.append(relative)
    assert offenders == []


def _crlf_corpus(tmp_path: Path) -> tuple[Path, str]:
    corpus = tmp_path / "crlf"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "annotations").mkdir()
    source = tmp_path / "article.txt"
    source.write_bytes(b"Title NATO\r\nNATO met Russia in Brussels.\r\n\xe2\x80\x9cWe will talk,\xe2\x80\x9d Lavrov said.\r\n")
    assert main(["add", str(source), "--publisher", "Test", "--date", "2013-02-18", "--root", str(corpus)]) == 0
    doc_id = next((corpus / "annotations").glob("*.json")).stem
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({
        "doc": doc_id, "annotator": "t", "date": "2026-12-06", "layers": ["zones", "entities", "quotes", "events"],
        "zones": [{"type": "title", "t": "Title NATO"},
                  {"type": "body", "from": {"t": "NATO met"}, "to": {"t": "Lavrov said."}}],
        "entities": [
            {"type": "ORG", "name": "NATO", "wikipedia": "NATO", "mentions": [
                {"t": "NATO", "n": 1}, {"t": "NATO", "n": 2, "key": "nato"}]},
            {"type": "GPE", "name": "Russia", "wikipedia": "Russia", "mentions": [{"t": "Russia", "key": "russia"}]},
            {"type": "GPE", "name": "Brussels", "wikipedia": "Brussels", "mentions": [{"t": "Brussels", "key": "bxl"}]},
            {"type": "PER", "name": "Sergey Lavrov", "mentions": [{"t": "Lavrov", "key": "lavrov"}]}],
        "quotes": [{"type": "direct", "content": {"t": "“We will talk,”"}, "cue": {"t": "said"}, "source": "lavrov"}],
        "events": [{"type": "CONSULT", "trigger": {"t": "met"}, "realis": "actual",
                    "args": [["actor", "nato"], ["actor", "russia"], ["place", "bxl"]]}],
    }), encoding="utf-8")
    assert main(["author", str(draft), "--root", str(corpus)]) == 0
    return corpus, doc_id


def test_a_crlf_text_is_published_aligned_everywhere(tmp_path):
    """A text with \\r\\n line ends keeps its \\r: every config, the review site and every export
    slice exactly the stored text, and the documents row still matches its sha256."""
    corpus, doc_id = _crlf_corpus(tmp_path)
    raw = (corpus / "texts" / f"{doc_id}.txt").read_bytes()
    text = raw.decode("utf-8")
    assert "\r\n" in text
    document = load_corpus(corpus).get(doc_id)
    assert document.text == text and len(document.record.mentions) == 5

    result = build(CorpusPaths(corpus), tmp_path / "dist")

    def rows(config):
        out = []
        for path in sorted((result.out / config).glob("*.parquet")):
            out += [decode(CONFIG_FEATURES[config], row) for row in pq.read_table(path).to_pylist()]
        return out

    (doc_row,) = rows("documents")
    assert doc_row["text"] == text and hashlib.sha256(doc_row["text"].encode("utf-8")).hexdigest() == doc_row["text_sha256"]
    for layer in ("zones", "mentions"):
        for item in doc_row[layer]:
            assert text[item["start"]:item["end"]] == item["text"]
    mentions = rows("mentions")
    assert len(mentions) == 5
    for row in mentions:
        assert text[row["start"]:row["end"]] == row["text"]
        assert text[row["sentence_start"]:row["sentence_start"] + len(row["sentence"])] == row["sentence"]
    for row in rows("quotes"):
        for span in row["content"] + row["cue"]:
            assert text[span["start"]:span["end"]] == span["text"]
    for row in rows("events"):
        assert text[row["trigger"]["start"]:row["trigger"]["end"]] == row["trigger"]["text"]
        for argument in row["arguments"]:
            assert text[argument["start"]:argument["end"]] == argument["text"]
    for config in ("ner", "mentions_iob"):
        for row in rows(config):
            for token, offsets in zip(row["tokens"], row["token_offsets"]):
                assert text[offsets["start"]:offsets["end"]] == token

    site = tmp_path / "site"
    assert main(["view", "--root", str(corpus), "--out", str(site)]) == 0
    page = (site / f"{doc_id}.html").read_text(encoding="utf-8")
    for mention in document.record.mentions:
        shown = re.search(rf'data-mid="{mention.id}"[^>]*>([^<]*)<', page).group(1)
        assert html.unescape(shown) == mention.text

    brat = tmp_path / "brat"
    assert main(["export", "brat", str(brat), "--root", str(corpus)]) == 0
    assert (brat / f"{doc_id}.txt").read_bytes() == raw
    for line in (brat / f"{doc_id}.ann").read_text(encoding="utf-8").split("\n"):
        if line.startswith("T"):
            _, label_spans, shown = line.split("\t")
            spans = [tuple(map(int, part.split())) for part in label_spans.split(" ", 1)[1].split(";")]
            joined = " ".join(text[s:e] for s, e in spans)
            assert re.sub("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", " ", joined) == shown
    tasks_path = tmp_path / "tasks.json"
    assert main(["export", "labelstudio", str(tasks_path), "--root", str(corpus)]) == 0
    (task,) = json.loads(tasks_path.read_text(encoding="utf-8"))
    assert task["data"]["text"] == text
    for item in task["predictions"][0]["result"]:
        if item.get("type") == "labels":
            assert text[item["value"]["start"]:item["value"]["end"]] == item["value"]["text"]


@pytest.mark.parametrize("verb", [["view", "--out", "SITE"], ["export", "brat", "SITE"],
                                  ["export", "labelstudio", "SITE.json"], ["build", "--out", "SITE"]])
def test_a_duplicated_document_id_is_refused_by_every_verb(verb, fixture_corpus, tmp_path, capsys):
    corpus = _copy_corpus(fixture_corpus, tmp_path / "c")
    shutil.copyfile(corpus / "annotations" / "00000000000000f1.json", corpus / "annotations" / "00000000000000f2.json")
    args = [str(tmp_path / a.replace("SITE", "out")) if "SITE" in a else a for a in verb]
    assert main([*args, "--root", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "[duplicate-document]" in out and "Traceback" not in out
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.json").exists()


def test_a_malformed_draft_gives_located_problems(fixture_corpus, tmp_path, capsys):
    corpus = _copy_corpus(fixture_corpus, tmp_path / "c")
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"doc": "00000000000000f1", "zones": [3], "entities": [{"type": "PER"}],
                                 "events": [{"type": "MEET", "trigger": "met", "realis": "actual"}]}),
                     encoding="utf-8")
    assert main(["author", str(draft), "--root", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert f"{draft}:/zones/0: 3 is not of type object [draft-type]" in out
    assert f"{draft}:/entities/0: 'mentions' is a required property [draft-required]" in out
    assert f"{draft}:/events/0/type:" in out and "Traceback" not in out


def test_a_brat_argument_to_an_undefined_span_is_located(fixture_corpus, tmp_path, capsys):
    corpus = _copy_corpus(fixture_corpus, tmp_path / "c")
    brat = tmp_path / "brat"
    assert main(["export", "brat", str(brat), "--root", str(corpus)]) == 0
    ann = brat / "00000000000000f1.ann"
    lines = ann.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("E"))
    lines[number - 1] += " Place:T999"
    ann.write_text("\n".join(lines), encoding="utf-8")
    before = (corpus / "annotations" / "00000000000000f1.json").read_bytes()
    assert main(["import", "brat", str(brat), "--root", str(corpus), "--replace"]) == 1
    out = capsys.readouterr().out
    assert f"{ann}:{number}:1:" in out and "T999" in out and "Traceback" not in out
    assert (corpus / "annotations" / "00000000000000f1.json").read_bytes() == before


def test_a_label_studio_result_without_id_is_located(fixture_corpus, tmp_path, capsys):
    corpus = _copy_corpus(fixture_corpus, tmp_path / "c")
    tasks_path = tmp_path / "tasks.json"
    assert main(["export", "labelstudio", str(tasks_path), "--root", str(corpus)]) == 0
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    result = tasks[0]["predictions"][0]["result"]
    del result[0]["id"]
    tasks[0]["annotations"] = [{"result": result}]
    tasks_path.write_text(json.dumps(tasks), encoding="utf-8")
    assert main(["import", "labelstudio", str(tasks_path), "--root", str(corpus), "--replace"]) == 1
    out = capsys.readouterr().out
    assert f"{tasks_path}:/0/annotations/0/result/0/id: a region needs an id" in out and "Traceback" not in out


def test_a_row_that_misses_a_declared_feature_fails_the_build(fixture_corpus, tmp_path, monkeypatch):
    from corpus_ds.publish import rows

    original = rows._mention_block

    def broken(*args, **kwargs):
        block = original(*args, **kwargs)
        block["entity_nmae"] = block.pop("entity_name")  # a typo in a column builder
        return block

    monkeypatch.setattr(rows, "_mention_block", broken)
    with pytest.raises(rows.RowShapeError, match=r"mentions: row keys differ .*entity_name.*entity_nmae"):
        build(CorpusPaths(fixture_corpus), tmp_path / "dist", jobs=1)
    assert not (tmp_path / "dist").exists()


def test_every_leading_word_of_the_name_extent_rule_is_caught_by_its_pre_test(fixture_corpus):
    """The extent pattern and its cheap first-letter pre-test are made from one tuple; check
    every word of it through the whole validator."""
    from corpus_ds.load.corpus import check_document
    from corpus_ds.model.records import replace
    from corpus_ds.validate.checks import NAME_LEADING_WORDS

    document = load_corpus(fixture_corpus).documents[0]
    record, text = document.record, document.text
    name = next(i for i, m in enumerate(record.mentions) if m.mention_type == "NAM" and m.type == "PER")
    for word in NAME_LEADING_WORDS:
        for spelled in (word, word.capitalize(), word.upper()):
            # a record that claims a name begins with the word (the stored text is what is checked)
            mention = record.mentions[name]._replace(text=f"{spelled} {record.mentions[name].text}")
            broken = replace(record, mentions=record.mentions[:name] + (mention,) + record.mentions[name + 1:])
            codes = {p.code for p in check_document(broken, text, VALID, "x").problems}
            assert "name-extent" in codes, spelled


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    assert namespace["report"].ok and len(namespace["corpus"]) == 5


def test_a_nested_field_that_differs_from_its_declaration_fails_the_build(fixture_corpus, tmp_path, monkeypatch):
    from corpus_ds.publish import rows

    original = rows._party_block

    def broken(*args, **kwargs):
        block = original(*args, **kwargs)
        del block["entity_key"]  # a field forgotten deep inside a struct
        return block

    monkeypatch.setattr(rows, "_party_block", broken)
    with pytest.raises(rows.RowShapeError, match=r"quotes\.source: row keys differ .*missing \['entity_key'\]"):
        build(CorpusPaths(fixture_corpus), tmp_path / "dist", jobs=1)
    assert not (tmp_path / "dist").exists()
