"""Agreement measures on known cases."""

import json

import pytest
from casefiles import TEXTS, VALID

from corpus_ds import validate_file
from corpus_ds.cli import main
from corpus_ds.model.fileformat import dumps_annotation
from corpus_ds.model.records import replace, to_json
from corpus_ds.review.agree import DocumentPair, agreement, b_cubed, muc


def test_muc_and_b_cubed_on_the_textbook_example():
    key = [{"a", "b", "c"}, {"d", "e"}]
    response = [{"a", "b"}, {"c", "d", "e"}]
    m = muc(key, response)
    assert m.recall == pytest.approx(2 / 3) and m.precision == pytest.approx(2 / 3)
    b = b_cubed(key, response)
    assert b.recall == pytest.approx(11 / 15) and b.precision == pytest.approx(11 / 15)


def _fixture():
    record = validate_file(VALID, TEXTS).record
    text = (TEXTS / "00000000000000f1.txt").read_text(encoding="utf-8")
    return record, text


def test_identical_sets_agree_fully():
    record, text = _fixture()
    result = agreement([DocumentPair(record.doc_id, record, record, text)])
    assert result["mentions"]["exact"]["f1"] == 1.0
    assert result["mentions"]["coreference"]["b_cubed"]["f1"] == 1.0
    assert result["quotes"]["content_overlap"]["f1"] == 1.0
    assert result["events"]["arguments"]["f1"] == 1.0


def test_dropped_retyped_and_shortened_mentions_are_counted():
    a, text = _fixture()
    mentions = list(a.mentions)
    dropped = mentions.pop()  # "Interfax": one fewer mention in B
    assert dropped.text == "Interfax"
    sergei = next(i for i, m in enumerate(mentions) if m.text == "Sergei Lavrov")
    mentions[sergei] = replace(mentions[sergei], start=mentions[sergei].start + 7, text="Lavrov")
    b = replace(a, mentions=tuple(mentions), quotes=tuple(q for q in a.quotes if q.addressee is None))
    result = agreement([DocumentPair(a.doc_id, a, b, text)])
    mentions_result = result["mentions"]
    assert mentions_result["exact"]["matched"] == 14
    assert (mentions_result["exact"]["n_a"], mentions_result["exact"]["n_b"]) == (16, 15)
    assert mentions_result["overlap"]["matched"] == 15  # the shortened span still overlaps
    assert mentions_result["per_type"]["ORG"]["exact"]["recall"] == 0.5
    assert result["quotes"]["content_overlap"]["matched"] == 3


def test_coreference_split_lowers_muc(tmp_path):
    a, text = _fixture()
    # B puts the pronoun "He" in an entity of its own.
    he = next(m for m in a.mentions if m.text == "He")
    new_entity = replace(next(e for e in a.entities if e.id == he.entity), id="e99")
    b = replace(a, entities=(*a.entities, new_entity),
                mentions=tuple(replace(m, entity="e99") if m is he else m for m in a.mentions))
    result = agreement([DocumentPair(a.doc_id, a, b, text)])
    muc_result = result["mentions"]["coreference"]["muc"]
    # Key links: Lavrov 4, Rasmussen 1, Brussels 1, Russia 3 = 9; B loses one of Lavrov's.
    assert muc_result["recall"] == pytest.approx(8 / 9, abs=1e-4)
    assert muc_result["precision"] == 1.0
    assert result["mentions"]["exact"]["f1"] == 1.0


def test_event_type_and_realis_disagreement():
    a, text = _fixture()
    b = replace(a, events=tuple(replace(v, realis="other") if v.id == "v1" else v for v in a.events))
    result = agreement([DocumentPair(a.doc_id, a, b, text)])
    assert result["events"]["realis_on_matched"]["matched"] == 2
    assert result["events"]["type_on_matched"]["accuracy"] == 1.0


def test_agree_cli_table_and_json(tmp_path, capsys):
    a, _ = _fixture()
    dir_a, dir_b = tmp_path / "a", tmp_path / "b"
    dir_a.mkdir(); dir_b.mkdir()
    (dir_a / VALID.name).write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    b = replace(a, mentions=a.mentions[:-1], quotes=tuple(q for q in a.quotes if q.addressee is None),
                entities=tuple(e for e in a.entities if e.name != "Interfax"))
    (dir_b / VALID.name).write_text(dumps_annotation(to_json(b)), encoding="utf-8")
    root = TEXTS.parent
    assert main(["agree", str(dir_a), str(dir_b), "--root", str(root), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["documents"] == [a.doc_id]
    assert result["mentions"]["exact"]["n_b"] == 15
    assert main(["agree", str(dir_a), str(dir_b), "--root", str(root)]) == 0
    table = capsys.readouterr().out
    assert "mentions exact (span+type)" in table and "15/16/15" in table


def test_agree_cli_without_common_documents(tmp_path, capsys):
    (tmp_path / "a").mkdir(); (tmp_path / "b").mkdir()
    (tmp_path / "a" / VALID.name).write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["agree", str(tmp_path / "a"), str(tmp_path / "b"), "--root", str(TEXTS.parent)]) == 2
