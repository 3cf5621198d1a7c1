"""INCEpTION's UIMA CAS XMI, written and read with dkpro-cassis: the whole corpus round-trips
exactly, an edit made as INCEpTION would make it comes back through the shared import step, and
bad input is a located problem with nothing written."""

import json
import shutil
import warnings
import zipfile

import cassis
import pytest

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.exchange import xmi
from corpus_ds.load import Document
from corpus_ds.model.records import from_json, to_json
from corpus_ds.model.segment import sentences


@pytest.fixture(params=["real", "fixture"])
def corpus_root(request, root, fixture_corpus):
    return root if request.param == "real" else fixture_corpus


def _export(corpus_root, out):
    assert main(["export", "xmi", str(out), "--root", str(corpus_root)]) == 0
    return out


def _copy(root, tmp_path):
    shutil.copytree(root / "texts", tmp_path / "texts")
    shutil.copytree(root / "annotations", tmp_path / "annotations")
    return tmp_path


def _load(out, doc_id):
    ts = cassis.load_typesystem((out / xmi.TYPESYSTEM_FILE).read_bytes().decode("utf-8"))
    with open(out / f"{doc_id}.xmi", "rb") as handle:
        return cassis.load_cas_from_xmi(handle, typesystem=ts)


def test_cassis_reads_every_file_with_inceptions_layer_types(corpus_root, tmp_path):
    out = _export(corpus_root, tmp_path / "xmi")
    for document in load_corpus(corpus_root):
        record = document.record
        cas = _load(out, document.doc_id)
        assert cas.typecheck() == []
        assert cas.sofa_string == document.text
        [meta] = cas.select(xmi.DOCUMENT_META)
        assert meta.documentId == document.doc_id
        counts = {name: len(cas.select(name)) for name in (xmi.NAMED_ENTITY, xmi.LINK, xmi.CHAIN, xmi.ZONE, xmi.QUOTE,
                                                           xmi.EVENT, xmi.TOKEN, xmi.SENTENCE)}
        sents = sentences(record, document.text)
        assert counts == {xmi.NAMED_ENTITY: len(record.mentions), xmi.LINK: len(record.mentions),
                          xmi.CHAIN: len(record.entities), xmi.ZONE: len(record.zones), xmi.QUOTE: len(record.quotes),
                          xmi.EVENT: len(record.events), xmi.TOKEN: sum(len(s.tokens) for s in sents),
                          xmi.SENTENCE: len(sents)}
        for ne in cas.select(xmi.NAMED_ENTITY):
            assert ne.get_covered_text() == document.text[ne.begin:ne.end]


def test_export_then_import_gives_back_exactly_the_same_annotations(corpus_root, tmp_path):
    out = _export(corpus_root, tmp_path / "xmi")
    corpus = load_corpus(corpus_root)
    changes = {change.doc_id: change.record for change in xmi.read_xmi(out, corpus)}
    assert set(changes) == {d.doc_id for d in corpus}
    for document in corpus:
        assert to_json(changes[document.doc_id]) == to_json(document.record)


def test_cli_import_of_the_export_changes_nothing(fixture_corpus, tmp_path, capsys):
    corpus = _copy(fixture_corpus, tmp_path / "c")
    out = _export(corpus, tmp_path / "xmi")
    before = (corpus / "annotations" / "00000000000000f1.json").read_bytes()
    assert main(["import", "xmi", str(out), "--root", str(corpus)]) == 0
    assert "00000000000000f1: unchanged" in capsys.readouterr().out
    assert (corpus / "annotations" / "00000000000000f1.json").read_bytes() == before


def test_offsets_are_code_points_in_the_corpus_and_utf16_units_in_the_xmi(fixture_corpus):
    document = next(iter(load_corpus(fixture_corpus)))
    prefix = "\U0001f600 "  # one code point, two UTF-16 code units, then a space

    def shift(value):
        if isinstance(value, dict):
            return {k: (v + len(prefix) if k in ("start", "end") else shift(v)) for k, v in value.items()}
        return [shift(v) for v in value] if isinstance(value, list) else value

    record = from_json(shift(to_json(document.record)))
    moved = Document(record, prefix + document.text, document.path, document.shown_as)
    ts = xmi.type_system()
    text = xmi.to_cas(ts, moved).to_xmi()
    first = record.mentions[0]
    assert f'begin="{first.start + 1}" end="{first.end + 1}" value="{first.type}"' in text
    cas = cassis.load_cas_from_xmi(text, typesystem=cassis.load_typesystem(ts.to_xml()))
    back = xmi.record_from_cas(cas, record, moved.text, "x.xmi", xmi._Where(text.encode("utf-8")))
    assert to_json(back) == to_json(record)


def _edit(out, doc_id, change):
    """Load one exported CAS, let ``change`` edit it (as INCEpTION would), write it back."""
    cas = _load(out, doc_id)
    change(cas, cas.typesystem)
    cas.to_xmi(out / f"{doc_id}.xmi", pretty_print=True)


def test_an_edit_made_in_inception_comes_back_through_the_import_step(fixture_corpus, tmp_path, capsys):
    corpus = _copy(fixture_corpus, tmp_path / "c")
    out = _export(corpus, tmp_path / "xmi")
    text = (corpus / "texts" / "00000000000000f1.txt").read_bytes().decode("utf-8")

    def change(cas, ts):
        moscow = next(ne for ne in cas.select(xmi.NAMED_ENTITY) if ne.get_covered_text() == "Moscow")
        moscow.metonymy = False
        # A new mention in a new chain, made with INCEpTION's built-in layers only: no ids.
        start = text.index("Foreign Minister")
        cas.add(ts.get_type(xmi.NAMED_ENTITY)(begin=start, end=start + 16, value="ORG"))
        link = ts.get_type(xmi.LINK)(begin=start, end=start + 16, referenceType="NOM")
        cas.add(link)
        cas.add(ts.get_type(xmi.CHAIN)(first=link))

    _edit(out, "00000000000000f1", change)
    before = (corpus / "annotations" / "00000000000000f1.json").read_bytes()
    assert main(["import", "xmi", str(out), "--root", str(corpus)]) == 1
    assert "--replace" in capsys.readouterr().out
    assert (corpus / "annotations" / "00000000000000f1.json").read_bytes() == before
    assert main(["import", "xmi", str(out), "--root", str(corpus), "--replace", "--annotator", "ann-x"]) == 0
    printed = capsys.readouterr().out
    assert "mentions: added m17" in printed and "entities: added e8" in printed
    assert "changed m14: metonymy true -> false" in printed
    value = json.loads((corpus / "annotations" / "00000000000000f1.json").read_text(encoding="utf-8"))
    assert {"id": "e8", "type": "ORG", "name": "Foreign Minister", "wikipedia": None, "value": None,
            "mod": None} in value["entities"]
    assert "ann-x" in value["provenance"]["entities"]["annotated_by"]
    assert main(["validate", "--root", str(corpus)]) == 0


def test_bad_annotations_are_located_problems_and_nothing_is_written(fixture_corpus, tmp_path, capsys):
    corpus = _copy(fixture_corpus, tmp_path / "c")
    out = _export(corpus, tmp_path / "xmi")

    def change(cas, ts):
        lavrov = next(ne for ne in cas.select(xmi.NAMED_ENTITY) if ne.get_covered_text() == "Lavrov")
        lavrov.value = "PERSON"
        quote = cas.select(xmi.QUOTE)[0]
        quote.parties = ts.get_type("uima.cas.FSArray")(elements=[])

    _edit(out, "00000000000000f1", change)
    lines = (out / "00000000000000f1.xmi").read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if 'value="PERSON"' in text)
    before = (corpus / "annotations" / "00000000000000f1.json").read_bytes()
    assert main(["import", "xmi", str(out), "--root", str(corpus), "--replace"]) == 1
    printed = capsys.readouterr().out
    assert f"00000000000000f1.xmi:{line}:" in printed and "[xmi-label]" in printed and "PERSON" in printed
    assert "[xmi-quote-source]" in printed and "nothing written" in printed
    assert (corpus / "annotations" / "00000000000000f1.json").read_bytes() == before


@pytest.mark.parametrize("damage, code", [
    (lambda text: text[: len(text) // 2], "xmi-syntax"),
    (lambda text: text.replace('sofaString="Lavrov meets', 'sofaString="Lavrov meats', 1), "xmi-text"),
    (lambda text: text.replace('documentId="00000000000000f1"', 'documentId="00000000000000aa"'), "unknown-document"),
])
def test_unreadable_or_foreign_files_are_refused(fixture_corpus, tmp_path, capsys, damage, code):
    corpus = _copy(fixture_corpus, tmp_path / "c")
    out = _export(corpus, tmp_path / "xmi")
    path = out / "00000000000000f1.xmi"
    if code == "unknown-document":
        path = path.rename(out / "renamed.xmi")
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["import", "xmi", str(out), "--root", str(corpus), "--replace"]) == 1
    printed = capsys.readouterr().out
    assert f"[{code}]" in printed and "Traceback" not in printed
    if code == "xmi-syntax":
        assert f"{path}:" in printed and printed.split(f"{path}:", 1)[1].split(":")[0].isdigit()


def test_inception_zip_exports_are_read(fixture_corpus, tmp_path, capsys):
    corpus = _copy(fixture_corpus, tmp_path / "c")
    out = _export(corpus, tmp_path / "xmi")
    zips = tmp_path / "from-inception"
    zips.mkdir()
    with zipfile.ZipFile(zips / "00000000000000f1.zip", "w") as archive:
        archive.write(out / "00000000000000f1.xmi", "00000000000000f1.xmi")
        archive.write(out / xmi.TYPESYSTEM_FILE, xmi.TYPESYSTEM_FILE)
    assert main(["import", "xmi", str(zips), "--root", str(corpus)]) == 0
    assert "00000000000000f1: unchanged" in capsys.readouterr().out
    (zips / "00000000000000f1.zip").write_bytes(b"not a zip")
    assert main(["import", "xmi", str(zips), "--root", str(corpus)]) == 1
    assert "[bad-zip]" in capsys.readouterr().out


def test_a_project_with_only_inceptions_built_in_layers_keeps_ids_and_the_other_layers(fixture_corpus, tmp_path):
    """An INCEpTION project that has only the Named Entity and Coreference layers (none of the
    added features, no custom layers) exports this; the import matches ids by place and keeps
    zones, quotes and events as they are."""
    corpus = load_corpus(fixture_corpus)
    document = next(iter(corpus))
    record = document.record
    with warnings.catch_warnings():  # cassis reads its bundled file with a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        ts = cassis.load_dkpro_core_typesystem()
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = document.text
    links = {}
    for m in record.mentions:
        entity = next(e for e in record.entities if e.id == m.entity)
        cas.add(ts.get_type(xmi.NAMED_ENTITY)(begin=m.start, end=m.end, value=m.type,
                                              identifier=xmi.wikipedia_address(entity.wikipedia)))
        links[m.id] = ts.get_type(xmi.LINK)(begin=m.start, end=m.end, referenceType=m.mention_type)
        cas.add(links[m.id])
    for e in record.entities:
        chain = [m for m in record.mentions if m.entity == e.id]
        for a, b in zip(chain, chain[1:]):
            links[a.id].next = links[b.id]
        cas.add(ts.get_type(xmi.CHAIN)(first=links[chain[0].id]))
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / xmi.TYPESYSTEM_FILE).write_text(ts.to_xml(), encoding="utf-8")
    cas.to_xmi(folder / f"{document.doc_id}.xmi")
    [change] = xmi.read_xmi(folder, corpus)
    assert to_json(change.record) == to_json(record)


@pytest.mark.parametrize("fmt, extra", [("xmi", "xmi"), ("spacy", "spacy")])
def test_a_missing_library_names_the_extra_to_install(root, tmp_path, capsys, monkeypatch, fmt, extra):
    import importlib

    from corpus_ds.exchange import extras

    real = importlib.import_module

    def without(name, *args):
        if name in ("cassis", "spacy"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(extras.importlib, "import_module", without)
    target = tmp_path / "out"
    assert main(["export", fmt, str(target), "--root", str(root)]) == 1
    assert f"pip install 'corpus_ds[{extra}]'" in capsys.readouterr().out
    assert not target.exists()
    if fmt == "xmi":
        assert main(["import", "xmi", str(tmp_path), "--root", str(root)]) == 1
        assert "pip install 'corpus_ds[xmi]'" in capsys.readouterr().out


def test_a_character_xml_cannot_hold_is_a_located_problem(fixture_corpus, tmp_path):
    document = next(iter(load_corpus(fixture_corpus)))
    bad = Document(document.record, document.text.replace("Monday", "Mon\x01ay"), document.path, document.shown_as)
    with pytest.raises(xmi.CorpusError) as raised:
        xmi.export_xmi([bad], tmp_path / "out", None)
    [problem] = raised.value.problems
    line = document.text[: document.text.index("Monday")].count("\n") + 1
    assert problem.code == "xml-character" and problem.location.startswith(f"{line}:")
    assert not (tmp_path / "out").exists()


def test_the_type_system_uses_inceptions_names():
    names = {t.name for t in xmi.type_system().get_types()}
    for name in (xmi.NAMED_ENTITY, xmi.CHAIN, xmi.LINK, xmi.SENTENCE, xmi.TOKEN, xmi.DOCUMENT_META,
                 "webanno.custom.Zone", "webanno.custom.Quote", "webanno.custom.QuoteSpan", "webanno.custom.Event",
                 "webanno.custom.QuotePartiesLink", "webanno.custom.EventArgumentsLink"):
        assert name in names


def test_a_crlf_text_round_trips_exactly(tmp_path):
    from test_load_stage import _crlf_corpus

    corpus, doc_id = _crlf_corpus(tmp_path)
    out = _export(corpus, tmp_path / "xmi")
    assert _load(out, doc_id).sofa_string == load_corpus(corpus).get(doc_id).text
    [change] = xmi.read_xmi(out, load_corpus(corpus))
    assert to_json(change.record) == to_json(load_corpus(corpus).get(doc_id).record)
