"""brat: the exported annotation.conf and visual.conf against brat's configuration grammar, and
every exported .ann against them, as brat would check them (tests/brat_conf.py); and brat
imports that never end in a traceback, whatever a line holds."""

from __future__ import annotations

import pytest
from brat_conf import check_ann, check_visual, scheme

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.exchange.brat import annotation_conf, export_ann, import_ann, visual_conf
from corpus_ds.model.problems import CorpusError


@pytest.mark.parametrize("which", ["real", "fixture"])
def test_exported_confs_declare_every_annotation_as_brat_reads_them(which, root, fixture_corpus, tmp_path):
    out = tmp_path / "brat"
    assert main(["export", "brat", str(out), "--root", str(root if which == "real" else fixture_corpus)]) == 0
    known = scheme((out / "annotation.conf").read_text(encoding="utf-8"))
    assert known.errors == []
    assert check_visual((out / "visual.conf").read_text(encoding="utf-8"), known) == []
    anns = sorted(out.glob("*.ann"))
    assert anns
    for ann in anns:
        assert check_ann(ann.read_text(encoding="utf-8"), known, ann.name) == []


def test_the_declarations_cover_every_label_role_and_attribute():
    known = scheme(annotation_conf())
    from corpus_ds.model.labels import ENTITY_TYPES, EVENT_TYPES, REALIS, ROLE_FILLERS, ZONE_TYPES

    assert set(ENTITY_TYPES) | {f"Zone_{z}" for z in ZONE_TYPES} | {"Quote", "Cue"} == known.entities
    assert set(EVENT_TYPES) == set(known.events)
    for event in known.events.values():
        assert {role: types for role, types in event.args.items()} == {
            role.capitalize(): list(types) for role, types in ROLE_FILLERS.items()}
        assert all(low == 0 for low, _ in event.counts.values())
    assert known.attributes["Realis"].args == {"Arg": ["<EVENT>"], "Value": list(REALIS)}
    assert {"Coref", "Source", "Via", "Addressee", "HasCue", "Parent"} == set(known.relations)


# The checker is only worth something if it finds what brat would refuse.
def _fixture_ann(fixture_corpus) -> str:
    (document,) = load_corpus(fixture_corpus)
    return export_ann(document.record, document.text)


@pytest.mark.parametrize("change, finding", [
    (lambda conf: conf.replace("\nCue\n", "\n"), "Cue is not a declared entity or event type"),
    (lambda conf: conf.replace("Place*:GPE|LOC|FAC", "Place*:LOC|FAC"), "CONSULT Place cannot be a GPE"),
    (lambda conf: conf.replace("Recipient*:PER|ORG|GPE", "Recipient+:PER|ORG|GPE"), "takes 1.."),
    (lambda conf: conf.replace("Addressee\tArg1:Quote, Arg2:PER|ORG|GPE", "Addressee\tArg1:Quote, Arg2:PER"),
     "Addressee Arg1:Quote Arg2:ORG is not allowed"),
    (lambda conf: conf.replace("Metonymy\tArg:", "Metonymy\tArg:Quote|"), None),
    (lambda conf: conf.replace("MentionType\tArg:PER|", "MentionType\tArg:"), "a PER cannot take a MentionType"),
    (lambda conf: conf.replace("Value:NOM|PRO", "Value:NOM"), "MentionType value ['PRO'] is not one of ['NOM']"),
    (lambda conf: conf.replace("<OVL-TYPE>:contain|equal", "<OVL-TYPE>:equal"), "a PER inside a Zone_title"),
    # CONSULT declared in the wrong section: as an entity type, not an event type
    (lambda conf: "\n".join(line for line in conf.split("\n") if not line.startswith("CONSULT\t"))
     .replace("[entities]\n", "[entities]\nCONSULT\n"), "E1: CONSULT is not a declared event type"),
    (lambda conf: conf.replace("<REL-TYPE>:symmetric-transitive", "<REL-TYPE>:symmetric"), "not a declared equivalence"),
])
def test_the_checker_finds_what_brat_would_refuse(change, finding, fixture_corpus):
    conf = change(annotation_conf())
    found = check_ann(_fixture_ann(fixture_corpus), scheme(conf), "f.ann")
    if finding is None:
        assert found == []
    else:
        assert any(finding in line for line in found), found


@pytest.mark.parametrize("text, finding", [
    ("[entities]\nA\n[relations]\n[events]\nE\tRole2*:A\n[attributes]\n", "ends with a digit and cannot repeat"),
    ("[entities]\nA\n[relations]\nR\tArg1:A\n[events]\n[attributes]\n", "has 1 arguments, not 2"),
    ("[entities]\nA B\n[relations]\n[events]\n[attributes]\n", "cannot read the argument"),
    ("[entities]\nA\n[relations]\n[events]\nE\tTheme:B\n[attributes]\n", "type 'B' is not declared"),
    ("[entities]\nA\n[relations]\n[events]\n[attributes]\nX\tValue:a|b\n", "attribute X has no Arg"),
    ("[entities]\nA\n[relations]\n<OVERLAP>\tArg1:A, Arg2:A\n[events]\n[attributes]\n", "<OVERLAP> without"),
    ("[entities]\nA\n[relations]\n[events]\n[attributes]\n[colours]\n", "unexpected section [colours]"),
    ("[entities]\nA\n\tB\n\t\tC\n\tD\n[relations]\n[events]\n[attributes]\n", None),
    ("[entities]\nA\n    B\n[relations]\n[events]\n[attributes]\n", "indented under no parent"),
    ("[entities]\nA<X>\n[relations]\n[events]\n", "undefined macro <X>"),
])
def test_the_grammar_checker_reads_confs_as_brat_does(text, finding):
    errors = scheme(text).errors
    if finding is None:
        assert errors == []
    else:
        assert any(finding in line for line in errors), errors


def test_visual_conf_names_only_declared_things():
    known = scheme(annotation_conf())
    assert check_visual(visual_conf(), known) == []
    assert any("drawing for undeclared 'Nope'" in e for e in check_visual(visual_conf() + "Nope\tbgColor:red\n", known))
    assert any("unknown drawing key 'bgColour'" in e
               for e in check_visual(visual_conf().replace("Quote\tbgColor", "Quote\tbgColour"), known))


def test_no_change_to_an_ann_line_ends_in_a_traceback(fixture_corpus):
    """Each line of an exported .ann broken in the ways hand edits break lines: a located problem or
    a valid reading, never an exception."""
    (document,) = load_corpus(fixture_corpus)
    lines = export_ann(document.record, document.text).split("\n")
    breakers = [
        lambda line: line[: len(line) // 2],
        lambda line: line.replace("\t", " ", 1),
        lambda line: line.replace("T1", "T999"),
        lambda line: line.replace("T", "X", 1),
        lambda line: line + " Extra:T1",
        lambda line: line.split("\t")[0],
        lambda line: line.replace(" ", "  "),
        lambda line: line.replace("0", "-1", 1),
        lambda line: line.replace(":", "", 1),
    ]
    for index, line in enumerate(lines):
        for breaker in breakers:
            broken = "\n".join([*lines[:index], breaker(line), *lines[index + 1:]])
            try:
                import_ann(broken, document.record, document.text, "f.ann")
            except CorpusError as error:
                assert all(p.file == "f.ann" and p.location.endswith(":1") for p in error.problems)


def test_a_trigger_without_its_event_and_an_undeclared_type_are_found(fixture_corpus):
    known = scheme(annotation_conf())
    ann = _fixture_ann(fixture_corpus)
    without_events = "\n".join(line for line in ann.split("\n") if not line.startswith("E"))
    found = check_ann(without_events, known, "f.ann")
    assert any("CONSULT is an event type, but no event has it as trigger" in line for line in found), found
    found = check_ann(ann.replace("\tPER ", "\tPERSON ", 1), known, "f.ann")
    assert any("PERSON is not a declared entity or event type" in line for line in found), found
