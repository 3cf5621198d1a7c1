"""Anchors and the draft compiler: spans found from phrases, never typed offsets."""

import json

import pytest
from casefiles import TEXTS, VALID

from corpus_ds import validate_file
from corpus_ds.authoring.anchors import AnchorError, occurrences, resolve
from corpus_ds.authoring.drafts import compile_draft
from corpus_ds.cli import main

TEXT = "Russia and the Russian side. Russia said: relations hereSpeaking of Russia."


def test_whole_word_occurrences():
    assert occurrences(TEXT, "Russia") == [0, 29, 68]
    assert occurrences(TEXT, "Speaking") == []
    assert occurrences(TEXT, "Speaking", glued=True) == [56]


@pytest.mark.parametrize("anchor, span", [
    ({"t": "Russian"}, "Russian"),
    ({"t": "Russia", "n": 2}, "Russia"),
    ({"t": "Russia", "ctx": "Russia said"}, "Russia"),
    ({"from": {"t": "Russia", "n": 2}, "to": {"t": "relations"}}, "Russia said: relations"),
    ({"t": "here", "glued": True}, "here"),
    ({"from": {"t": "Russian"}, "to": {"t": "Russia"}}, "Russian side. Russia"),  # nearest "to"
])
def test_resolve(anchor, span):
    start, end = resolve(TEXT, anchor)
    assert TEXT[start:end] == span


@pytest.mark.parametrize("anchor, message", [
    ({"t": "Russia"}, "occurs 3 times"),
    ({"t": "Russia", "n": 4}, "n=4 is out of range"),
    ({"t": "Moscow"}, "not found"),
    ({"t": "Russia", "ctx": "nowhere"}, "occurs 0 times"),
    ({"from": {"t": "Russian"}}, 'needs both "from" and "to"'),
    ({"t": "Russia", "x": 1}, "unknown anchor key"),
    ("Russia", "must be an object"),
])
def test_resolve_errors_say_why(anchor, message):
    with pytest.raises(AnchorError, match=message):
        resolve(TEXT, anchor)


def _base():
    return validate_file(VALID, TEXTS).record


def _empty_base():
    from corpus_ds.model.records import replace
    return replace(_base(), zones=(), entities=(), mentions=(), quotes=(), events=())


def test_compile_numbers_in_text_order_and_resolves_keys():
    text = (TEXTS / "00000000000000f1.txt").read_text(encoding="utf-8")
    draft = {"doc": "00000000000000f1", "annotator": "t", "date": "2026-11-23", "layers": ["entities"],
             "entities": [
                 {"type": "ORG", "name": "NATO", "wikipedia": "NATO", "mentions": [{"t": "NATO"}]},
                 {"type": "PER", "name": "Sergey Lavrov", "wikipedia": None,
                  "mentions": [{"t": "Sergei Lavrov", "key": "l"}, {"t": "Lavrov", "n": 1}]}],
             "events": [{"type": "CONSULT", "trigger": {"t": "met"}, "realis": "actual",
                         "args": [["actor", "l"]]}]}
    record, problems = compile_draft(draft, _empty_base(), text, "d.json")
    assert problems == []
    assert [(m.id, m.text, m.entity) for m in record.mentions] == [
        ("m1", "Lavrov", "e1"), ("m2", "Sergei Lavrov", "e1"), ("m3", "NATO", "e2")]
    assert [e.name for e in record.entities] == ["Sergey Lavrov", "NATO"]
    assert record.events[0].arguments[0].mention == "m2"
    assert record.provenance["entities"].annotated_by == ("t",)


def test_compile_reports_every_draft_problem():
    text = (TEXTS / "00000000000000f1.txt").read_text(encoding="utf-8")
    draft = {"doc": "00000000000000f1", "colour": "red",
             "entities": [{"type": "PER", "name": "X", "mentions": [{"t": "Nobody"}, {"t": "Lavrov", "n": 1, "typo": 1}]}],
             "quotes": [{"type": "direct", "content": [{"t": "“We are ready to talk,”"}], "cue": None,
                         "source": "missing", "implicit_source": True}]}
    record, problems = compile_draft(draft, _base(), text, "d.json")
    assert record is None
    assert [(p.location, p.message) for p in problems] == [
        ("/colour", "unknown key \"colour\" (allowed: doc, annotator, date, checked_by, checked_on, layers, "
                    "notes, zones, entities, quotes, events)"),
        ("/entities/0/mentions/1/typo", "unknown key \"typo\" (allowed: t, n, ctx, glued, from, to, key, mtype, "
                                        "metonymy)"),
        ("/entities/0/mentions/0", "phrase 'Nobody' not found in the text"),
        ("/quotes/0/source", "no mention has the key 'missing'"),
    ]


def test_author_cli_writes_only_a_valid_file(tmp_path, capsys):
    corpus = tmp_path
    (corpus / "texts").mkdir(); (corpus / "annotations").mkdir()
    (corpus / "texts" / "00000000000000f1.txt").write_bytes((TEXTS / "00000000000000f1.txt").read_bytes())
    base = json.loads(VALID.read_text(encoding="utf-8"))
    (corpus / "annotations" / "00000000000000f1.json").write_text(json.dumps(base), encoding="utf-8")
    draft = tmp_path / "draft.json"
    # "Lavrov meets" overlaps nothing, but "Rasmussen" inside "Anders Fogh Rasmussen" overlaps the full name.
    draft.write_text(json.dumps({"doc": "00000000000000f1", "annotator": "t", "date": "2026-11-23",
                                 "layers": ["zones", "entities"], "zones": [{"type": "body", "from": {"t": "Lavrov", "n": 1}, "to": {"t": "comment"}}],
                                 "entities": [{"type": "PER", "name": "R", "mentions": [
                                     {"t": "Anders Fogh Rasmussen"}, {"t": "Rasmussen", "n": 2}]}]}), encoding="utf-8")
    before = (corpus / "annotations" / "00000000000000f1.json").read_bytes()
    assert main(["author", str(draft), "--root", str(corpus)]) == 1
    assert "[mention-overlap]" in capsys.readouterr().out
    assert (corpus / "annotations" / "00000000000000f1.json").read_bytes() == before


def test_recompiling_keeps_every_existing_id_and_never_reuses_one():
    """Contract §6: an annotation keeps its id across edits; a new one gets a fresh id."""
    text = (TEXTS / "00000000000000f1.txt").read_text(encoding="utf-8")
    base = _base()
    draft = {"doc": "00000000000000f1", "layers": [],
             "entities": [{"type": "PER", "name": "Sergey Lavrov", "wikipedia": None,
                           "mentions": [{"t": "Lavrov", "n": 1}, {"t": "Sergei Lavrov"}]},
                          {"type": "ORG", "name": "NATO", "wikipedia": None,
                           "mentions": [{"t": "NATO"}]},
                          {"type": "GPE", "name": "Brussels", "wikipedia": None,
                           "mentions": [{"t": "BRUSSELS"}]},
                          {"type": "ORG", "name": "Foreign Ministry", "wikipedia": None,
                           "mentions": [{"t": "Foreign Minister"}]}],
             "events": [{"type": "CONSULT", "trigger": {"t": "met"}, "realis": "actual", "cluster": "x"}]}
    record, problems = compile_draft(draft, base, text, "d.json")
    assert problems == []
    old = {(m.start, m.end): m.id for m in base.mentions}
    ids = {m.text: m.id for m in record.mentions}
    assert ids["Sergei Lavrov"] == old[(71, 84)] and ids["NATO"] == next(m.id for m in base.mentions if m.text == "NATO")
    assert ids["Foreign Minister"] == "m17"  # above every id the base used, never a reused one
    entity_ids = {e.name: e.id for e in record.entities}
    assert entity_ids["Sergey Lavrov"] == "e1" and entity_ids["NATO"] == "e5" and entity_ids["Brussels"] == "e3"
    assert entity_ids["Foreign Ministry"] == "e8"
    assert [(v.id, v.cluster) for v in record.events] == [("v2", "c1")]


def test_an_event_whose_trigger_is_widened_or_narrowed_keeps_its_id():
    """An edited trigger ("like to know" -> "would like to know") is the same event: same id."""
    text = (TEXTS / "00000000000000f1.txt").read_text(encoding="utf-8")
    base = _base()
    draft = {"doc": "00000000000000f1", "layers": [],
             "events": [{"type": "CONSULT", "trigger": {"t": "Lavrov met"}, "realis": "actual"},
                        {"type": "MOBILIZE", "trigger": {"t": "ment", "ctx": "deployment", "glued": True}, "realis": "actual"},
                        {"type": "CONSULT", "trigger": {"t": "meets"}, "realis": "actual"},
                        {"type": "REQUEST", "trigger": {"t": "wants"}, "realis": "actual"}]}
    record, problems = compile_draft(draft, base, text, "d.json")
    assert problems == []
    assert [(v.trigger.text, v.id) for v in record.events] == [
        ("meets", "v1"), ("Lavrov met", "v2"), ("wants", "v4"), ("ment", "v3")]


def test_fresh_ids_numbers_a_second_pass_without_the_first_pass_ids(tmp_path):
    """--fresh-ids keeps the metadata only: an independent pass sees none of the base's ids."""
    corpus = tmp_path
    (corpus / "texts").mkdir(); (corpus / "annotations").mkdir()
    (corpus / "texts" / "00000000000000f1.txt").write_bytes((TEXTS / "00000000000000f1.txt").read_bytes())
    (corpus / "annotations" / "00000000000000f1.json").write_bytes(VALID.read_bytes())
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"doc": "00000000000000f1", "annotator": "b", "date": "2026-11-23",
                                 "layers": ["zones", "entities", "events"],
                                 "zones": [{"type": "body", "from": {"t": "Lavrov", "n": 1}, "to": {"t": "comment"}}],
                                 "entities": [{"type": "ORG", "name": "NATO", "mentions": [{"t": "NATO"}]}],
                                 "events": [{"type": "MOBILIZE", "trigger": {"t": "deployment"}, "realis": "actual"}]}),
                     encoding="utf-8")
    (tmp_path / "pass_b").mkdir()
    out = tmp_path / "pass_b" / "00000000000000f1.json"
    common = ["author", str(draft), "--root", str(corpus), "--out", str(out)]
    assert main(common) == 0
    kept = json.loads(out.read_text(encoding="utf-8"))
    assert [v["id"] for v in kept["events"]] == ["v3"]  # the base's id for the same trigger
    assert main(common + ["--fresh-ids"]) == 0
    fresh = json.loads(out.read_text(encoding="utf-8"))
    assert [v["id"] for v in fresh["events"]] == ["v1"] and [m["id"] for m in fresh["mentions"]] == ["m1"]
    assert fresh["document"] == kept["document"]
    assert fresh["provenance"]["quotes"]["status"] == "not_started"
    assert fresh["provenance"]["events"]["annotated_by"] == ["b"]
