"""Property-based tests: any mutation of a valid file is reported, never crashes."""

import copy
import json
import shutil
from pathlib import Path

import pytest
from casefiles import FILE_NAME, TEXTS, VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_ds import validate_file
from corpus_ds.cli import main
from corpus_ds.load import CorpusPaths
from corpus_ds.load import jsonfile as jsonio
from corpus_ds.model.problems import CorpusError
from corpus_ds.publish.build import build

BASE = json.loads(VALID.read_text(encoding="utf-8"))
BASE_BYTES = VALID.read_bytes()
TEXT = (TEXTS / "00000000000000f1.txt").read_text(encoding="utf-8")


def _paths(value, prefix=()):
    """Every (path, value) below the root, objects and arrays included."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield prefix + (key,), sub
            yield from _paths(sub, prefix + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield prefix + (index,), sub
            yield from _paths(sub, prefix + (index,))


ALL_PATHS = list(_paths(BASE))
OBJECT_KEYS = [p for p, _ in ALL_PATHS if isinstance(p[-1], str)]
OFFSETS = [p for p, v in ALL_PATHS if p[-1] in ("start", "end")]
TYPE_FIELDS = [p for p, v in ALL_PATHS if p[-1] in ("type", "mention_type", "realis", "role", "status", "split")]
REFS = [p for p, v in ALL_PATHS if p[-1] in ("entity", "source", "mention") and isinstance(v, str)]
IDS = [p for p, v in ALL_PATHS if p[-1] == "id" and len(p) == 3]


def _get(doc, path):
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _json_mutation(data, kind):
    doc = copy.deepcopy(BASE)
    if kind == "drop":
        path = data.draw(st.sampled_from(OBJECT_KEYS))
        del _get(doc, path)[path[-1]]
    elif kind == "rename":
        path = data.draw(st.sampled_from(OBJECT_KEYS))
        parent = _get(doc, path)
        parent[path[-1] + data.draw(st.sampled_from(["_x", "s", "2"]))] = parent.pop(path[-1])
    elif kind == "wrong_type":
        path = data.draw(st.sampled_from([p for p, v in ALL_PATHS if not isinstance(v, (dict, list))
                                          or p[-1] in ("arguments", "content")]))
        old = _get(doc, path)[path[-1]]
        new = data.draw(st.one_of(st.integers(), st.text(max_size=5), st.booleans(),
                                  st.lists(st.integers(), max_size=2), st.floats(allow_nan=False)))
        if type(new) is type(old) or (old is None and isinstance(new, str)):
            new = {"unexpected": True}  # a nullable field may take its own type: use an object
        _get(doc, path)[path[-1]] = new
    elif kind == "shift":
        path = data.draw(st.sampled_from(OFFSETS))
        _get(doc, path)[path[-1]] += data.draw(st.integers(-400, 400).filter(lambda x: x != 0))
    elif kind == "duplicate_id":
        path = data.draw(st.sampled_from(IDS))
        layer = doc[path[0]]
        others = [item["id"] for item in layer if item["id"] != layer[path[1]]["id"]]
        if not others:
            layer.append(copy.deepcopy(layer[path[1]]))
        else:
            layer[path[1]]["id"] = data.draw(st.sampled_from(others))
    elif kind == "dangling":
        path = data.draw(st.sampled_from(REFS))
        _get(doc, path)[path[-1]] = path[-1][0].replace("s", "m") + "999"
    elif kind == "unknown_label":
        path = data.draw(st.sampled_from(TYPE_FIELDS))
        _get(doc, path)[path[-1]] = data.draw(st.text(min_size=1, max_size=8).filter(
            lambda s: s not in ("PER", "ORG", "GPE", "NAM", "body", "actual", "actor", "complete", "train")))
    elif kind == "huge_number":
        path = data.draw(st.sampled_from(OFFSETS))
        _get(doc, path)[path[-1]] = data.draw(st.integers(min_value=2**63, max_value=2**80))
    elif kind == "deep":
        path = data.draw(st.sampled_from(OBJECT_KEYS))
        depth = data.draw(st.integers(100, 5000))
        _get(doc, path)[path[-1]] = json.loads("[" * depth + "]" * depth) if depth < 900 else None
        if depth >= 900:
            return (json.dumps(doc)[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}").encode()
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _byte_mutation(data, kind):
    raw = BASE_BYTES.rstrip()
    if kind == "truncate":
        return raw[:data.draw(st.integers(0, len(raw) - 1))]
    structural = [i for i, b in enumerate(raw) if b in b'{}[]:,"']
    position = data.draw(st.sampled_from(structural))
    replacement = data.draw(st.sampled_from([b"\xff", b"\xc3", b"x", b"\x00"]))
    return raw[:position] + replacement + raw[position + 1:]


JSON_KINDS = ["drop", "rename", "wrong_type", "shift", "duplicate_id", "dangling", "unknown_label",
              "huge_number", "deep"]
BYTE_KINDS = ["truncate", "replace"]


@st.composite
def mutated_files(draw):
    kind = draw(st.sampled_from(JSON_KINDS + BYTE_KINDS))
    data = draw(st.data())
    content = _json_mutation(data, kind) if kind in JSON_KINDS else _byte_mutation(data, kind)
    return kind, content


def _assert_reported(path: Path):
    result = validate_file(path, TEXTS, shown_as=str(path))
    assert result.problems, "a mutation went unreported"
    for problem in result.problems:
        assert problem.file == str(path)
        assert problem.message
        assert problem.location == "" or problem.location.startswith("/") or ":" in problem.location


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_files())
def test_every_mutation_is_reported_with_file_and_place(tmp_path, capsys, mutation):
    kind, content = mutation
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    _assert_reported(path)
    assert main(["validate", str(path), "--texts", str(TEXTS)]) == 1
    out = capsys.readouterr().out
    assert str(path) in out and "Traceback" not in out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_files())
def test_a_build_over_a_mutated_file_writes_nothing(tmp_path_factory, mutation):
    kind, content = mutation
    folder = tmp_path_factory.mktemp("mutated")
    shutil.copytree(TEXTS, folder / "texts")
    (folder / "annotations").mkdir()
    (folder / "annotations" / FILE_NAME).write_bytes(content)
    with pytest.raises(CorpusError) as raised:
        build(CorpusPaths(folder), folder / "dist")
    assert raised.value.problems
    assert sorted(p.name for p in folder.iterdir()) == ["annotations", "texts"]


@settings(max_examples=200, deadline=None)
@given(st.integers(-5, len(TEXT) + 5), st.integers(-5, len(TEXT) + 5))
def test_spans_at_the_edges_of_the_text(start, end):
    """Any offsets for a mention: out of the text is always reported, in the text never is."""
    doc = copy.deepcopy(BASE)
    mention = doc["mentions"][0]
    mention["start"], mention["end"] = start, end
    mention["text"] = TEXT[max(start, 0):max(end, 0)] or "x"
    from corpus_ds.load.corpus import text_reader
    from corpus_ds.validate import check_value
    result = check_value(doc, "f", text_reader(TEXTS, "f"), file_name=VALID.name)
    codes = {p.code for p in result.problems}
    inside = 0 <= start < end <= len(TEXT)
    if not inside:
        assert codes & {"span-range", "schema-minimum"}
    else:
        assert not codes & {"span-range", "span-text", "schema-minimum"}
        assert ("span-whitespace" in codes) == (TEXT[start:end] != TEXT[start:end].strip())


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / FILE_NAME
    path.write_bytes(BASE_BYTES + b" " * 2048)
    from corpus_ds.load import files
    monkeypatch.setattr(files.os, "open", lambda *a, **k: pytest.fail("opened a file over the limit"))
    value, problems = jsonio.load_json_file(path, "big.json", limit=1024)
    assert value is None
    assert [(p.location, p.code) for p in problems] == [("1:1", "file-too-large")]
    assert "limit" in problems[0].message
