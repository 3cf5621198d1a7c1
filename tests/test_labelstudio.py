"""Label Studio exchange: every layer out and back, offsets, real export shapes, located problems.

The server test (tests/test_labelstudio_server.py) runs the same flow against a real
Label Studio; these tests cover every case on exports shaped like the ones it gives.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from labelstudio_helpers import (
    annotation,
    delete_region,
    export_of,
    frontend_result,
    labels_item,
    new_region,
    read_tasks,
    relabel,
    relate,
    set_choice,
    set_field,
    write_export,
)

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.exchange.labelstudio import (
    LABEL_GROUPS,
    REGION_FIELDS,
    RELATIONS,
    changes_from_export,
    export_tasks,
    labelling_config,
)
from corpus_ds.exchange.offsets import Offsets
from corpus_ds.model.labels import ENTITY_TYPES, EVENT_TYPES, MENTION_TYPES, QUOTE_TYPES, REALIS, ROLES, ZONE_TYPES
from corpus_ds.model.problems import CorpusError

ROOT = Path(__file__).resolve().parent.parent
FX = "00000000000000f1"


def _copy(source: Path, into: Path) -> Path:
    shutil.copytree(source / "texts", into / "texts")
    shutil.copytree(source / "annotations", into / "annotations", ignore=shutil.ignore_patterns("*.md"))
    return into


@pytest.fixture
def fixture_copy(fixture_corpus, tmp_path):
    return _copy(fixture_corpus, tmp_path / "corpus")


def _export_tasks(corpus: Path, tmp_path: Path) -> list[dict]:
    tasks_path = tmp_path / "tasks.json"
    assert main(["export", "labelstudio", str(tasks_path), "--root", str(corpus)]) == 0
    return read_tasks(tasks_path)


def _import(corpus: Path, export: list[dict], tmp_path: Path, *extra: str) -> int:
    path = write_export(tmp_path / "export.json", export)
    return main(["import", "labelstudio", str(path), "--root", str(corpus), *extra])


def _file(corpus: Path, doc_id: str = FX) -> dict:
    return json.loads((corpus / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))


def _by_id(value: dict, layer: str) -> dict:
    return {item["id"]: item for item in value[layer]}


# ---------------------------------------------------------------------------------------------
# The labelling config

def test_the_labelling_config_declares_every_layer():
    root = ET.fromstring(labelling_config())
    names = [el.get("name") for el in root.iter() if el.get("name")]
    assert len(names) == len(set(names)), "control names are unique"
    labels = {el.get("name"): [c.get("value") for c in el] for el in root.iter("Labels")}
    assert labels == {"zone": list(ZONE_TYPES), "mention": list(ENTITY_TYPES), "quote": ["Quote", "Cue"],
                      "event": list(EVENT_TYPES)}
    assert {el.get("value") for el in root.iter("Relation")} == set(RELATIONS) >= set(ROLES)
    choices = {el.get("name"): [c.get("value") for c in el] for el in root.iter("Choices")}
    assert choices["mention_type"] == list(MENTION_TYPES)
    assert choices["quote_type"] == list(QUOTE_TYPES)
    assert choices["realis"] == list(REALIS)
    per_region = {el.get("name") for el in root.iter() if el.get("perRegion") == "true"}
    assert per_region == set(REGION_FIELDS)
    for el in root.iter():
        if el.get("toName"):
            assert el.get("toName") == "text"
        if el.get("perRegion") == "true":
            assert el.get("whenLabelValue"), "the web app drops a per-region result whose region does not fit"
        # transcription="true" keeps a text field open and focused whenever a region is selected:
        # Backspace then edits the entity id instead of deleting the region (seen in the web app)
        assert el.get("transcription") is None
    assert {el.get("value") for el in root.iter("Text")} == {"$text", "$entities"}
    assert set(LABEL_GROUPS) == {"zone", "mention", "quote", "event"}


def test_tasks_carry_what_the_config_reads(fixture_copy, tmp_path):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    assert set(task["data"]) == {"doc_id", "text", "entities", "corpus_ds"}
    assert "e1  PER  Sergey Lavrov  (Wikipedia: Sergey Lavrov)" in task["data"]["entities"]
    assert "e6  TIME  Monday  (TIMEX3: 2013-02-18)" in task["data"]["entities"]
    config = ET.fromstring((tmp_path / "tasks.config.xml").read_text(encoding="utf-8"))
    controls = {el.get("name") for el in config.iter() if el.get("toName")}
    for item in task["predictions"][0]["result"]:
        if item["type"] == "relation":
            assert item["labels"][0] in RELATIONS
        else:
            assert item["from_name"] in controls
            value = item["value"]
            if item["type"] != "textarea":
                assert task["data"]["text"][value["start"]:value["end"]] == value["text"]


# ---------------------------------------------------------------------------------------------
# Round trips

@pytest.mark.parametrize("which", ["real", "fixture"])
def test_an_unchanged_task_gives_back_a_byte_identical_file(which, fixture_corpus, tmp_path, capsys):
    corpus = _copy(ROOT if which == "real" else fixture_corpus, tmp_path / "corpus")
    before = {p.name: p.read_bytes() for p in (corpus / "annotations").glob("*.json")}
    tasks = _export_tasks(corpus, tmp_path)
    export = export_of(tasks, {t["data"]["doc_id"]: [annotation(frontend_result(t))] for t in tasks})
    assert _import(corpus, export, tmp_path, "--replace", "--annotator", "x") == 0
    out = capsys.readouterr().out
    assert f"0 file(s) written, {len(tasks)} unchanged" in out
    assert {p.name: p.read_bytes() for p in (corpus / "annotations").glob("*.json")} == before


def test_the_round_trip_also_holds_in_utf16_offsets(root):
    corpus = load_corpus(root)
    tasks = export_tasks(corpus, offsets="utf16")
    export = export_of(tasks, {t["data"]["doc_id"]: [annotation(frontend_result(t))] for t in tasks})
    changes = changes_from_export(json.loads(json.dumps(export)), corpus, "export.json")
    assert all(c.record == corpus.get(c.doc_id).record for c in changes)


# ---------------------------------------------------------------------------------------------
# Offsets: code points and UTF-16, with astral characters

ASTRAL_TEXT = ("🚀 Lavrov meets Rasmussen in 𝔅russels\n"
               "“We are ready 😀 to talk,” Lavrov said on Monday. The talks 🎉 were held in 𝔅russels.\n")


def _astral_corpus(tmp_path: Path) -> tuple[Path, str]:
    corpus = tmp_path / "astral"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "annotations").mkdir()
    source = tmp_path / "astral.txt"
    source.write_bytes(ASTRAL_TEXT.encode("utf-8"))
    assert main(["add", str(source), "--publisher", "Test", "--date", "2013-02-18", "--root", str(corpus)]) == 0
    doc_id = next((corpus / "annotations").glob("*.json")).stem
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({
        "doc": doc_id, "annotator": "t", "date": "2026-12-06", "layers": ["zones", "entities", "quotes", "events"],
        "zones": [{"type": "title", "t": "🚀 Lavrov meets Rasmussen in 𝔅russels"},
                  {"type": "body", "from": {"t": "“We are ready"}, "to": {"t": "held in 𝔅russels."}}],
        "entities": [
            {"type": "PER", "name": "Sergey Lavrov", "wikipedia": "Sergey Lavrov", "mentions": [
                {"t": "Lavrov", "n": 1, "key": "lav1"}, {"t": "Lavrov", "n": 2, "key": "lav2"}]},
            {"type": "PER", "name": "Anders Fogh Rasmussen", "wikipedia": "Anders Fogh Rasmussen",
             "mentions": [{"t": "Rasmussen", "key": "ras"}]},
            {"type": "GPE", "name": "Brussels", "wikipedia": "Brussels", "mentions": [
                {"t": "𝔅russels", "n": 1, "key": "bxl1"}, {"t": "𝔅russels", "n": 2, "key": "bxl2"}]},
            {"type": "TIME", "name": "Monday", "value": "2013-02-18", "mentions": [{"t": "Monday", "key": "mon"}]}],
        "quotes": [{"type": "direct", "content": {"t": "“We are ready 😀 to talk,”"}, "cue": {"t": "said"},
                    "source": "lav2"}],
        "events": [{"type": "CONSULT", "trigger": {"t": "meets"}, "realis": "actual", "cluster": "talks",
                    "args": [["actor", "lav1"], ["recipient", "ras"], ["place", "bxl1"]]},
                   {"type": "CONSULT", "trigger": {"t": "talks"}, "realis": "actual", "cluster": "talks",
                    "args": [["place", "bxl2"]]}],
    }, ensure_ascii=False), encoding="utf-8")
    assert main(["author", str(draft), "--root", str(corpus)]) == 0
    return corpus, doc_id


def test_offsets_convert_both_ways_around_astral_characters():
    offsets = Offsets(ASTRAL_TEXT)
    utf16 = ASTRAL_TEXT.encode("utf-16-le")
    for cp in range(len(ASTRAL_TEXT) + 1):
        unit = offsets.to_utf16(cp)
        assert unit == len(ASTRAL_TEXT[:cp].encode("utf-16-le")) // 2
        assert offsets.from_utf16(unit) == cp
    assert offsets.utf16_length == len(utf16) // 2 == len(ASTRAL_TEXT) + 5
    assert offsets.from_utf16(1) is None  # between the halves of 🚀
    assert offsets.from_utf16(offsets.utf16_length + 1) is None


@pytest.mark.parametrize("units", ["codepoints", "utf16"])
def test_astral_characters_before_spans_in_both_offset_units(units, tmp_path, capsys):
    corpus, doc_id = _astral_corpus(tmp_path)
    before = (corpus / "annotations" / f"{doc_id}.json").read_bytes()
    (task,) = export_tasks(load_corpus(corpus), offsets=units)
    text = task["data"]["text"]
    rasmussen = labels_item(task["predictions"][0]["result"], "m2")["value"]
    cp = text.index("Rasmussen")
    assert rasmussen["text"] == "Rasmussen"
    assert rasmussen["start"] == (cp if units == "codepoints" else cp + 1)  # 🚀 is two UTF-16 units
    # unchanged: identical
    export = export_of([task], {doc_id: [annotation(frontend_result(task))]})
    assert _import(corpus, export, tmp_path, "--replace") == 0
    assert (corpus / "annotations" / f"{doc_id}.json").read_bytes() == before
    # the annotator adds a mention after three astral characters
    result = frontend_result(task)
    start = text.index("The talks")
    unit = (lambda o: o) if units == "codepoints" else Offsets(text).to_utf16
    result.append({"id": "Xnew", "from_name": "mention", "to_name": "text", "type": "labels", "origin": "manual",
                   "value": {"start": unit(start), "end": unit(start + 9), "text": "The talks", "labels": ["EVENT"]}})
    result = set_choice(result, "Xnew", "mention_type", "NOM")
    export = export_of([task], {doc_id: [annotation(result)]})
    assert _import(corpus, export, tmp_path, "--replace") == 0
    assert "mentions: added m7" in capsys.readouterr().out
    added = _by_id(_file(corpus, doc_id), "mentions")["m7"]
    assert (added["start"], added["end"], added["text"]) == (start, start + 9, "The talks")


def test_a_region_whose_text_fits_neither_unit_is_located(tmp_path, capsys):
    corpus, doc_id = _astral_corpus(tmp_path)
    (task,) = export_tasks(load_corpus(corpus))
    result = frontend_result(task)
    index = next(i for i, item in enumerate(result) if item.get("id") == "m2" and item["type"] == "labels")
    result[index]["value"]["start"] += 3
    assert _import(corpus, export_of([task], {doc_id: [annotation(result)]}), tmp_path, "--replace") == 1
    out = capsys.readouterr().out
    assert f"export.json:/0/annotations/0/result/{index}/value: region m2: its text “Rasmussen” is not the text" in out
    assert "[ls-offsets]" in out and "Traceback" not in out


# ---------------------------------------------------------------------------------------------
# Edits: exactly what the annotator changed, and provenance

def test_an_edit_in_every_layer_changes_exactly_that(fixture_copy, tmp_path, capsys):
    before = _file(fixture_copy)
    (task,) = _export_tasks(fixture_copy, tmp_path)
    result = frontend_result(task)
    relabel(result, "z2", "byline")                              # zones: relabel
    result = delete_region(result, "m7")                         # entities: delete a mention (NATO)
    relabel(result, "m16", "PER")                                # entities: relabel a mention (Interfax)
    next(r for r in result if r.get("from_id") == "q1" and r["labels"] == ["source"])["to_id"] = "m6"  # quotes
    relate(result, "v3", "m14", "recipient")                     # events: a new argument
    export = export_of([task], {FX: [annotation(result)]})
    assert _import(fixture_copy, export, tmp_path, "--annotator", "ann-b") == 1
    assert "--replace" in capsys.readouterr().out
    assert _import(fixture_copy, export, tmp_path, "--replace", "--annotator", "ann-b") == 0
    out = capsys.readouterr().out
    assert "1 file(s) written" in out
    after = _file(fixture_copy)
    expected = json.loads(json.dumps(before))
    expected["zones"][1]["type"] = "byline"
    expected["mentions"] = [m for m in expected["mentions"] if m["id"] != "m7"]
    expected["entities"] = [e for e in expected["entities"] if e["id"] != "e5"]
    next(m for m in expected["mentions"] if m["id"] == "m16")["type"] = "PER"
    next(e for e in expected["entities"] if e["id"] == "e7")["type"] = "PER"   # keeps its Wikipedia link
    expected["quotes"][0]["source"] = "m6"
    expected["events"][2]["arguments"] = [{"role": "recipient", "mention": "m14"}]
    for layer in ("zones", "entities", "mentions", "quotes", "events", "document"):
        assert after[layer] == expected[layer], layer
    assert _by_id(after, "entities")["e7"]["wikipedia"] == "Interfax"
    for layer in ("zones", "entities", "quotes", "events"):
        provenance = after["provenance"][layer]
        assert provenance["annotated_by"] == ["fixture", "ann-b"]
        assert "edited in Label Studio by ann-b" in provenance["notes"]
        earlier = before["provenance"][layer]["notes"]
        if earlier:  # the earlier note is kept, joined without doubled punctuation
            assert provenance["notes"].startswith(earlier.rstrip(".") + "; edited in")
        assert ".;" not in provenance["notes"]
        assert provenance["status"] == before["provenance"][layer]["status"]
        assert provenance["checked_by"] == before["provenance"][layer]["checked_by"]
    assert main(["validate", "--root", str(fixture_copy)]) == 0


def test_provenance_changes_only_for_the_layers_that_changed(fixture_copy, tmp_path):
    before = _file(fixture_copy)
    (task,) = _export_tasks(fixture_copy, tmp_path)
    result = set_choice(frontend_result(task), "m14", "metonymy", None)
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path,
                   "--replace", "--annotator", "ann-c") == 0
    after = _file(fixture_copy)
    assert _by_id(after, "mentions")["m14"]["metonymy"] is False
    assert after["provenance"]["entities"]["annotated_by"] == ["fixture", "ann-c"]
    for layer in ("zones", "quotes", "events"):
        assert after["provenance"][layer] == before["provenance"][layer]


def test_relabelling_keeps_the_entity_name_wikipedia_link_and_time_value(fixture_copy, tmp_path):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    result = frontend_result(task)
    for rid in ("m5", "m10", "m13", "m14"):   # every mention of e4 (Russia) GPE -> ORG
        relabel(result, rid, "ORG")
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 0
    assert _by_id(_file(fixture_copy), "entities")["e4"] == {
        "id": "e4", "type": "ORG", "name": "Russia", "wikipedia": "Russia", "value": None, "mod": None}


def test_relabelling_one_mention_of_a_chain_is_refused_with_its_location(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    result = frontend_result(task)
    relabel(result, "m14", "ORG")
    index = result.index(labels_item(result, "m14"))
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 1
    out = capsys.readouterr().out
    assert (f"export.json:/0/annotations/0/result/{index}/value/labels: mention “Moscow” is labelled ORG, but the "
            "other mentions of its entity (e4) are GPE") in out
    assert "give this one a new entity id" in out


def test_entity_fields_edited_in_label_studio(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    text = task["data"]["text"]
    result = frontend_result(task)
    result = set_field(result, "m1", "wikipedia", "Sergey Lavrov (politician)")   # changed on the first mention
    result = set_field(result, "m2", "wikipedia", None)                          # emptied
    result = set_field(result, "m9", "timex", "2013-02 END")                     # TIME value and mod
    result = set_field(result, "m14", "entity", "new1")                           # Moscow: an entity of its own
    new_region(result, "Ab1", "mention", "PER", text, "Foreign Minister")        # joins e1 by its id
    result = set_field(result, "Ab1", "entity", "e1")
    result = set_choice(result, "Ab1", "mention_type", "NOM")
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 0
    after = _file(fixture_copy)
    entities, mentions = _by_id(after, "entities"), _by_id(after, "mentions")
    assert entities["e1"]["wikipedia"] == "Sergey Lavrov (politician)" and entities["e1"]["name"] == "Sergey Lavrov"
    assert entities["e2"]["wikipedia"] is None and entities["e2"]["name"] == "Anders Fogh Rasmussen"
    assert (entities["e6"]["value"], entities["e6"]["mod"]) == ("2013-02", "END")
    moscow = mentions["m14"]
    assert moscow["entity"] == "e8" and entities["e8"] == {
        "id": "e8", "type": "GPE", "name": "Moscow", "wikipedia": None, "value": None, "mod": None}
    assert mentions["m17"] == {"id": "m17", "entity": "e1", "type": "PER", "mention_type": "NOM",
                               "start": text.index("Foreign Minister"), "end": text.index("Foreign Minister") + 16,
                               "text": "Foreign Minister", "metonymy": False}


def test_coref_relations_join_new_mentions(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    text = task["data"]["text"]
    result = frontend_result(task)
    new_region(result, "Cx1", "mention", "PER", text, "Foreign Minister")
    relate(result, "Cx1", "m6", "coref", direction="left")
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 0
    assert _by_id(_file(fixture_copy), "mentions")["m17"]["entity"] == "e1"
    # a coref relation between two mentions of different entities contradicts their ids
    (task,) = _export_tasks(fixture_copy, tmp_path)
    result = frontend_result(task)
    rel = relate(result, "m1", "m2", "coref")
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 1
    out = capsys.readouterr().out
    assert (f"/0/annotations/0/result/{result.index(rel)}: the coref relation links “Lavrov” (entity e1) and "
            "“Rasmussen” (entity e2)") in out


def test_a_contract_problem_of_a_new_quote_is_located_at_its_region(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    text = task["data"]["text"]
    result = frontend_result(task)
    new_region(result, "Qa", "quote", "Quote", text, "Lavrov meets Rasmussen")
    result = set_choice(result, "Qa", "quote_type", "indirect")
    relate(result, "Qa", "m1", "source")
    cue = new_region(result, "Qc", "quote", "Cue", text, "meets")
    relate(result, "Qa", "Qc", "cue")
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 1
    out = capsys.readouterr().out
    assert (f"{_at(result, cue)}: quote q5 cue “meets” overlaps its content (annotations/00000000000000f1.json "
            "at /quotes/0/cue/0) [cue-in-content]") in out


def test_new_quote_event_and_parent(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    text = task["data"]["text"]
    result = frontend_result(task)
    new_region(result, "Qa", "quote", "Quote", text, "“closely watching”")
    result = set_choice(result, "Qa", "quote_type", "direct")
    relate(result, "Qa", "m15", "source")
    relate(result, "q3", "Qa", "parent", direction="left")   # drawn from the outer quote: reversed
    relate(result, "Qa", "q3~cue1", "cue")
    new_region(result, "Ev", "event", "REQUEST", text, "guarantees")
    result = set_choice(result, "Ev", "realis", "other")
    result = set_field(result, "Ev", "cluster", "guarantees")
    relate(result, "m13", "Ev", "actor")                     # drawn from the argument to the trigger
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 0
    out = capsys.readouterr().out
    assert "quotes: added q5" in out and "events: added v4" in out
    after = _file(fixture_copy)
    quote = _by_id(after, "quotes")["q5"]
    assert quote["source"] == "m15" and quote["parent"] == "q3" and quote["cue"] == [
        {"start": text.index("told"), "end": text.index("told") + 4, "text": "told"}]
    event = _by_id(after, "events")["v4"]
    assert event["arguments"] == [{"role": "actor", "mention": "m13"}] and event["cluster"] == "c3"


def test_a_quote_of_two_spans(fixture_copy, tmp_path):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    text = task["data"]["text"]
    result = frontend_result(task)
    new_region(result, "Qb", "quote", "Quote", text, "“The door is open.”")
    result = delete_region(result, "q4")
    new_region(result, "Qb2", "quote", "Quote", text, "“We are ready to talk,”")
    result = delete_region(delete_region(result, "q1"), "q1~cue1")
    result = set_choice(result, "Qb2", "quote_type", "direct")
    relate(result, "Qb", "Qb2", "continues")
    relate(result, "Qb2", "m11", "source")
    new_region(result, "Qc", "quote", "Cue", text, "said")
    relate(result, "Qb2", "Qc", "cue")
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 0
    quotes = _file(fixture_copy)["quotes"]
    merged = next(q for q in quotes if len(q["content"]) == 2)
    assert [s["text"] for s in merged["content"]] == ["“We are ready to talk,”", "“The door is open.”"]
    assert merged["id"] == "q5" and merged["source"] == "m11"


# ---------------------------------------------------------------------------------------------
# What a real export holds: skipped tasks, several annotations, predictions as ids

def test_a_skipped_task_keeps_its_file_and_says_so(fixture_copy, tmp_path, capsys):
    before = (fixture_copy / "annotations" / f"{FX}.json").read_bytes()
    (task,) = _export_tasks(fixture_copy, tmp_path)
    edited = delete_region(frontend_result(task), "m16")   # what was on screen when Skip was pressed
    export = export_of([task], {FX: [annotation(edited, cancelled=True)]})
    assert export[0]["predictions"] == [1]
    assert _import(fixture_copy, export, tmp_path, "--replace") == 0
    out = capsys.readouterr().out
    assert f"{FX}: unchanged (skipped in Label Studio" in out and "file kept as it was" in out
    assert (fixture_copy / "annotations" / f"{FX}.json").read_bytes() == before


def test_a_task_nobody_annotated_is_kept(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    assert _import(fixture_copy, export_of([task], {}), tmp_path, "--replace") == 0
    assert "unchanged (not annotated in Label Studio; file kept as it was)" in capsys.readouterr().out
    export = export_of([task], {})
    export[0]["drafts"] = [{"id": 1, "result": delete_region(frontend_result(task), "m16"), "user": 1}]
    assert _import(fixture_copy, export, tmp_path, "--replace") == 0
    assert "unchanged (not submitted in Label Studio (a draft is never imported" in capsys.readouterr().out


def test_several_annotations_latest_or_chosen_user(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    first = set_choice(frontend_result(task), "m14", "metonymy", None)          # user 1, earlier
    second = set_choice(frontend_result(task), "m12", "mention_type", "NOM")     # user 3, later
    export = export_of([task], {FX: [annotation(first, user=1, when="2026-12-06T10:00:00Z"),
                                     annotation(second, user=3, when="2026-12-06T11:00:00Z"),
                                     annotation([], user=1, when="2026-12-06T12:00:00Z", cancelled=True)]})
    assert _import(fixture_copy, export, tmp_path, "--replace") == 0
    out = capsys.readouterr().out
    assert "by user 3, the latest of 2 submitted (users 1, 3; --completed-by USER takes another)" in out
    assert _by_id(_file(fixture_copy), "mentions")["m12"]["mention_type"] == "NOM"
    assert _by_id(_file(fixture_copy), "mentions")["m14"]["metonymy"] is True


def test_completed_by_chooses_the_annotator(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    first = set_choice(frontend_result(task), "m14", "metonymy", None)
    second = set_choice(frontend_result(task), "m12", "mention_type", "NOM")
    export = export_of([task], {FX: [annotation(first, user=1, when="2026-12-06T10:00:00Z"),
                                     annotation(second, user=3, when="2026-12-06T11:00:00Z")]})
    assert _import(fixture_copy, export, tmp_path, "--replace", "--completed-by", "1") == 0
    after = _by_id(_file(fixture_copy), "mentions")
    assert after["m14"]["metonymy"] is False and after["m12"]["mention_type"] == "PRO"
    assert _import(fixture_copy, export, tmp_path, "--replace", "--completed-by", "7") == 0
    assert "no annotation by 7 (the task has annotations by others); file kept" in capsys.readouterr().out
    assert main(["import", "brat", str(tmp_path), "--root", str(fixture_copy), "--completed-by", "1"]) == 2


def test_two_annotations_of_the_same_date_are_ambiguous(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    first = set_choice(frontend_result(task), "m14", "metonymy", None)
    second = set_choice(frontend_result(task), "m12", "mention_type", "NOM")
    export = export_of([task], {FX: [annotation(first, user=1), annotation(second, user=3)]})
    assert _import(fixture_copy, export, tmp_path, "--replace") == 1
    out = capsys.readouterr().out
    assert ("export.json:/0/annotations: 2 submitted annotations with the same date (annotations/0 and /1) "
            "differ, so none is the latest; choose one with --completed-by USER") in out


def test_a_document_twice_in_the_project_is_ambiguous(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    export = export_of([task, task], {FX: [annotation(frontend_result(task))]})
    assert _import(fixture_copy, export, tmp_path, "--replace") == 1
    assert "export.json:/1/data/doc_id: document 00000000000000f1 is also task /0" in capsys.readouterr().out


def test_tasks_exported_before_the_file_changed_are_refused(fixture_copy, tmp_path, capsys):
    (task,) = _export_tasks(fixture_copy, tmp_path)
    path = fixture_copy / "annotations" / f"{FX}.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"metonymy": true', '"metonymy": false'),
                    encoding="utf-8")
    export = export_of([task], {FX: [annotation(frontend_result(task))]})
    assert _import(fixture_copy, export, tmp_path, "--replace") == 1
    assert ("/0/data/corpus_ds/layers_sha256: annotations/00000000000000f1.json changed after these tasks were "
            "exported") in capsys.readouterr().out
    # skipped or unannotated, the stale task is harmless
    assert _import(fixture_copy, export_of([task], {}), tmp_path, "--replace") == 0


# ---------------------------------------------------------------------------------------------
# Results the config allows but the contract forbids, and malformed exports: located, never a traceback

def _bad(result_edit, fixture_copy, tmp_path, capsys) -> str:
    (task,) = _export_tasks(fixture_copy, tmp_path)
    result = frontend_result(task)
    result = result_edit(result, task["data"]["text"]) or result
    before = (fixture_copy / "annotations" / f"{FX}.json").read_bytes()
    assert _import(fixture_copy, export_of([task], {FX: [annotation(result)]}), tmp_path, "--replace") == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out and "nothing written" in out
    assert (fixture_copy / "annotations" / f"{FX}.json").read_bytes() == before
    return out


def _at(result, item) -> str:
    return f"export.json:/0/annotations/0/result/{result.index(item)}"


def test_a_relation_without_a_label(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        seen["rel"] = relate(result, "m13", "q2", None)
        seen["result"] = result
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    assert f"{_at(seen['result'], seen['rel'])}: the relation m13 -> q2 has no label" in out


def test_a_region_with_two_labels(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        item = dict(labels_item(result, "m16"), from_name="event")
        item["value"] = dict(item["value"], labels=["CONSULT"])
        result.append(item)
        seen.update(result=result, item=item)
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    assert (f"{_at(seen['result'], seen['item'])}/value/labels: region m16 “Interfax” is labelled both ORG and "
            "CONSULT; a region is one annotation") in out


def test_an_argument_of_the_wrong_type_is_located_at_its_relation(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        seen.update(result=result, rel=relate(result, "v3", "m12", "place"))
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    assert (f"{_at(seen['result'], seen['rel'])}: event v3 place m12 “He” is PER; place takes GPE, LOC, FAC "
            "(annotations/00000000000000f1.json at /events/2/arguments/0/mention) [role-type]") in out


def test_a_relation_between_the_wrong_kinds(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        seen.update(result=result, rel=relate(result, "z1", "m1", "actor"))
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    assert (f"{_at(seen['result'], seen['rel'])}: a actor relation joins a event and a mention; this one joins "
            "title") in out


def test_missing_quote_type_source_realis_and_a_lonely_cue(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        seen["q"] = new_region(result, "Qn", "quote", "Quote", text, "Russia wants guarantees")
        seen["cue"] = new_region(result, "Cn", "quote", "Cue", text, "Leave")
        seen["ev"] = new_region(result, "En", "event", "REQUEST", text, "wants")
        seen["result"] = result
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    result = seen["result"]
    assert f"{_at(result, seen['q'])}: the quote “Russia wants guarantees” has no quote type" in out
    assert f"{_at(result, seen['cue'])}: the cue “Leave” belongs to no quote" in out
    assert f"{_at(result, seen['ev'])}: the event trigger “wants” has no realis" in out


def test_a_quote_without_source(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        seen["result"] = [r for r in result if not (r.get("from_id") == "q2" and r["labels"] == ["source"])]
        return seen["result"]
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    item = labels_item(seen["result"], "q2")
    assert f"{_at(seen['result'], item)}: the quote “Russia wants guarantees” has no source" in out


def test_unknown_labels_controls_and_shapes(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        labels_item(result, "m1")["value"]["labels"] = ["PERSON"]
        result.append({"id": "m2", "from_name": "sentiment", "to_name": "text", "type": "choices",
                       "value": {"start": 0, "end": 3, "choices": ["x"]}})
        result.append({"id": "v1", "from_name": "timex", "to_name": "text", "type": "textarea",
                       "value": {"start": 7, "end": 12, "text": ["2013"]}})
        result.append("not an object")
        seen["result"] = result
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    result = seen["result"]
    assert f"{_at(result, labels_item(result, 'm1'))}/value/labels: region m1 has the mention labels ['PERSON']" in out
    assert f"/result/{len(result) - 3}/from_name: unknown control 'sentiment'" in out
    # timex on an event trigger is reported once the labels read cleanly; the shape error is located
    assert f"/result/{len(result) - 1}: a result item is an object" in out


def test_a_time_value_on_a_trigger_and_a_bad_timex(fixture_copy, tmp_path, capsys):
    seen = {}

    def edit(result, text):
        item = {"id": "v1", "from_name": "timex", "to_name": "text", "type": "textarea",
                "value": {"start": 7, "end": 12, "text": ["2013"]}}
        result.append(item)
        seen.update(result=result, item=item)
    out = _bad(edit, fixture_copy, tmp_path, capsys)
    assert f"{_at(seen['result'], seen['item'])}: timex does not apply to region v1 (CONSULT “meets”)" in out

    def edit2(result, text):
        result = set_field(result, "m9", "timex", "next Monday please")
        seen["result"] = result
        return result
    out = _bad(edit2, fixture_copy, tmp_path, capsys)
    assert "TIMEX3 “next Monday please”: write a value, optionally followed by one of START" in out


@pytest.mark.parametrize("export, message", [
    ({"tasks": []}, "export.json:<root>: a Label Studio JSON export is a list of tasks"),
    ([{"id": 1, "doc_id": FX, "text": "x", "mention": []}],
     "export.json:/0/data: a task has a data object (this looks like a JSON-MIN"),
    ([{"data": {"doc_id": "nope", "text": ""}}], "export.json:/0/data/doc_id: 'nope' is not the id of a document"),
    ([{"data": {"doc_id": FX, "text": "other"}}], "export.json:/0/data/text: the task's text differs"),
    ([{"data": {"doc_id": FX, "text": None}, "annotations": "x"}], "export.json:/0/data/text"),
])
def test_malformed_exports_are_located(export, message, fixture_copy, tmp_path, capsys):
    assert _import(fixture_copy, export, tmp_path, "--replace") == 1
    out = capsys.readouterr().out
    assert message in out and "Traceback" not in out


def test_no_mutation_of_a_result_raises_anything_but_located_problems(fixture_corpus):
    """Every key of one result item of each kind, and of its value, replaced by a wrong type."""
    corpus = load_corpus(fixture_corpus)
    (task,) = export_tasks(corpus)
    base = frontend_result(task)
    kinds: dict[tuple, int] = {}
    for index, item in enumerate(base):
        kinds.setdefault((item["type"], item.get("from_name")), index)
    for index in kinds.values():
        paths = [(key,) for key in base[index]] + [("value", key) for key in base[index].get("value", {})]
        for path in paths:
            for wrong in (None, ["x"], -1):
                result = json.loads(json.dumps(base))
                target = result[index]
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = wrong
                try:
                    changes_from_export(export_of([task], {FX: [annotation(result)]}), corpus, "export.json")
                except CorpusError as error:
                    assert all(p.location.startswith("/0/annotations/0/result") for p in error.problems), path
