"""brat: round trips on the whole corpus, and safe imports (Label Studio: tests/test_labelstudio.py)."""

import shutil

import pytest

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.exchange.brat import annotation_conf, export_ann, import_ann
from corpus_ds.model.records import to_json


def _records(root):
    for document in load_corpus(root):
        yield document.record, document.text


@pytest.fixture(params=["real", "fixture"])
def corpus_root(request, root, fixture_corpus):
    return root if request.param == "real" else fixture_corpus


def test_brat_round_trip_gives_back_exactly_the_same_annotations(corpus_root):
    for record, text in _records(corpus_root):
        ann = export_ann(record, text)
        assert to_json(import_ann(ann, record, text, "x.ann")) == to_json(record)


def test_brat_conf_declares_every_label():
    conf = annotation_conf()
    for label in ("PER", "TIME", "Zone_boilerplate", "Quote", "Cue", "CONSULT", "ASSAULT", "Realis", "Coref"):
        assert label in conf


def _copy(root, tmp_path):
    shutil.copytree(root / "texts", tmp_path / "texts")
    shutil.copytree(root / "annotations", tmp_path / "annotations")
    return tmp_path


def test_brat_import_refuses_to_overwrite_without_replace(fixture_corpus, tmp_path, capsys):
    corpus = _copy(fixture_corpus, tmp_path / "c")
    out = tmp_path / "brat"
    assert main(["export", "brat", str(out), "--root", str(corpus)]) == 0
    assert (out / "annotation.conf").exists() and (out / "visual.conf").exists()
    ann = out / "00000000000000f1.ann"
    assert main(["import", "brat", str(out), "--root", str(corpus)]) == 0
    assert "unchanged" in capsys.readouterr().out
    # An annotator deletes the metonymy flag of "Moscow" in brat.
    lines = ann.read_text(encoding="utf-8").splitlines()
    moscow = next(l.split("\t")[0] for l in lines if l.startswith("T") and l.endswith("\tMoscow"))
    ann.write_text("\n".join(l for l in lines if not l.endswith(f"Metonymy {moscow}")) + "\n", encoding="utf-8")
    before = (corpus / "annotations" / "00000000000000f1.json").read_bytes()
    assert main(["import", "brat", str(out), "--root", str(corpus)]) == 1
    assert "--replace" in capsys.readouterr().out
    assert (corpus / "annotations" / "00000000000000f1.json").read_bytes() == before
    assert main(["import", "brat", str(out), "--root", str(corpus), "--replace"]) == 0
    assert "mentions: changed m14: metonymy true -> false" in capsys.readouterr().out
    assert main(["validate", "--root", str(corpus)]) == 0


def test_invalid_import_writes_nothing(fixture_corpus, tmp_path, capsys):
    corpus = _copy(fixture_corpus, tmp_path / "c")
    out = tmp_path / "brat"
    main(["export", "brat", str(out), "--root", str(corpus)])
    ann = out / "00000000000000f1.ann"
    # Stretching "Lavrov" over "Lavrov meets Rasmussen" makes it overlap the mention "Rasmussen".
    text = ann.read_text(encoding="utf-8").replace("\tPER 0 6\tLavrov", "\tPER 0 22\tLavrov meets Rasmussen")
    ann.write_text(text, encoding="utf-8")
    before = (corpus / "annotations" / "00000000000000f1.json").read_bytes()
    assert main(["import", "brat", str(out), "--root", str(corpus), "--replace"]) == 1
    out_text = capsys.readouterr().out
    assert "nothing written" in out_text and "[mention-overlap]" in out_text
    assert (corpus / "annotations" / "00000000000000f1.json").read_bytes() == before


@pytest.mark.parametrize("earlier", ["Checked twice.", "first pass;", "first pass", None])
def test_an_edit_note_joins_the_earlier_note_once_punctuated(fixture_corpus, earlier):
    from corpus_ds.exchange.imports import mark_provenance
    from corpus_ds.model.records import replace
    old = next(iter(load_corpus(fixture_corpus))).record
    provenance = dict(old.provenance)
    provenance["entities"] = provenance["entities"]._replace(notes=earlier)
    old = replace(old, provenance=provenance)
    new = replace(old, entities=old.entities[:-1])
    notes = mark_provenance(new, old, "ann-x", "brat", today="2026-12-06").provenance["entities"].notes
    edit = "edited in brat by ann-x on 2026-12-06"
    assert notes == (f"{earlier.rstrip('.;')}; {edit}" if earlier else edit)
    assert mark_provenance(old, old, "ann-x", "brat").provenance == old.provenance  # unchanged layers kept
