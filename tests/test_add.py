"""corpus-ds add: a new text enters byte for byte, or nothing is written."""

import json
import shutil

from corpus_ds.cli import main
from corpus_ds.model.splits import assign_split


def _corpus(tmp_path, root):
    shutil.copytree(root / "texts", tmp_path / "texts")
    shutil.copytree(root / "annotations", tmp_path / "annotations")
    return tmp_path


def _state(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_add_copies_bytes_and_writes_a_valid_empty_file(tmp_path, root, capsys):
    corpus = _corpus(tmp_path / "c", root)
    raw = "Lavrov meets Kerry\r\nMOSCOW – Talks “went well”, he said.  \n".encode("utf-8")
    source = tmp_path / "article.txt"
    source.write_bytes(raw)
    assert main(["add", str(source), "--publisher", "TASS", "--date", "2013-05", "--root", str(corpus)]) == 0
    out = capsys.readouterr().out
    doc_id = out.split()[1]
    assert (corpus / "texts" / f"{doc_id}.txt").read_bytes() == raw
    value = json.loads((corpus / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))
    assert value["document"]["split"] == assign_split(doc_id)
    assert value["document"]["title"] == "Lavrov meets Kerry"
    assert value["document"]["published"]["precision"] == "month"
    assert value["mentions"] == [] and value["provenance"]["entities"]["status"] == "not_started"
    assert main(["validate", "--root", str(corpus)]) == 0
    assert main(["validate", "--root", str(corpus), "--warnings"]) == 0
    assert "layer entities is not annotated yet" in capsys.readouterr().out


def test_add_refuses_duplicates_non_utf8_and_bad_dates(tmp_path, root, capsys):
    corpus = _corpus(tmp_path / "c", root)
    before = _state(corpus)
    seed = next((root / "texts").glob("*.txt"))
    assert main(["add", str(seed), "--publisher", "RT", "--date", "2010", "--root", str(corpus)]) == 1
    assert "already in the corpus" in capsys.readouterr().out
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 talks".encode("latin-1"))
    assert main(["add", str(latin), "--publisher", "X", "--date", "2010", "--root", str(corpus)]) == 1
    assert "not UTF-8" in capsys.readouterr().out
    ok = tmp_path / "ok.txt"
    ok.write_text("A text.", encoding="utf-8")
    assert main(["add", str(ok), "--publisher", "X", "--date", "May 2010", "--root", str(corpus)]) == 1
    assert "is not YYYY" in capsys.readouterr().out
    assert _state(corpus) == before
