"""The review warnings: each fires on the case it names, and not on clean data."""

from casefiles import TEXTS, VALID

from corpus_ds import validate_file
from corpus_ds.cli import main
from corpus_ds.model.records import replace
from corpus_ds.validate.consistency import Annotated, corpus_warnings, quotation_pairs


def _doc():
    record = validate_file(VALID, TEXTS).record
    return Annotated(record, (TEXTS / "00000000000000f1.txt").read_text(encoding="utf-8"), "f1.json")


def _codes(docs):
    return [(p.code, p.message) for p in corpus_warnings(docs)]


def test_clean_fixture_has_no_warnings():
    assert _codes([_doc()]) == []


def test_a_name_left_unannotated_is_reported():
    doc = _doc()
    nato = next(m for m in doc.record.mentions if m.text == "NATO")
    record = replace(doc.record, mentions=tuple(m for m in doc.record.mentions if m is not nato))
    found = _codes([replace(doc, record=record), replace(doc, shown_as="other.json")])
    assert any(code == "unannotated-name" and "“NATO”" in msg for code, msg in found)


def test_a_surface_form_with_two_types_is_reported():
    doc = _doc()
    other = replace(doc.record, mentions=tuple(replace(m, type="ORG") if m.text == "Brussels" else m
                                               for m in doc.record.mentions))
    found = _codes([doc, Annotated(other, doc.text, "other.json")])
    assert [msg for code, msg in found if code == "type-conflict"] == [
        "“Brussels” is annotated with 2 types (GPE: 00000000000000f1 m3; ORG: 00000000000000f1 m3)"]


def test_a_quotation_outside_every_quote_is_reported():
    doc = _doc()
    record = replace(doc.record, quotes=tuple(q for q in doc.record.quotes if q.type != "mixed"))
    found = _codes([replace(doc, record=record)])
    assert found == [("uncovered-quotation",
                       "quotation ““closely watching”” at [219, 237) is in no quote's content")]


def test_quotation_pairs_skip_apostrophes():
    text = "He said “yes” and ‘no’ but didn’t \"maybe\"."
    pairs = sorted(text[s:e] for s, e in quotation_pairs(text))
    assert pairs == ['"maybe"', "‘no’", "“yes”"]


def test_validate_warnings_flag_keeps_exit_status(capsys):
    assert main(["validate", str(VALID), "--texts", str(TEXTS), "--warnings"]) == 0
    assert "0 warning(s)" in capsys.readouterr().out


def test_an_argument_outside_its_trigger_sentence_is_reported():
    from corpus_ds.model.records import Argument
    doc = _doc()
    interfax = next(m for m in doc.record.mentions if m.text == "Interfax")
    met = next(v for v in doc.record.events if v.trigger.text == "met")
    events = tuple(replace(v, arguments=(*v.arguments, Argument("recipient", interfax.id))) if v is met else v
                   for v in doc.record.events)
    found = _codes([replace(doc, record=replace(doc.record, events=events))])
    assert found == [("argument-sentence",
                      "event v2 recipient “Interfax” is outside the sentence of its trigger “met”")]
