"""The Label Studio exchange against a real Label Studio server.

Starts Label Studio (its own virtual environment, see tests/labelstudio_server.py) on
127.0.0.1 with a temporary data folder, creates a project with the labelling config
``corpus-ds export labelstudio`` wrote, imports the tasks, submits annotations through the
API that edit every layer, skips a task, exports the project through the API, imports the
export with ``corpus-ds import labelstudio --replace``, and checks that exactly those edits
reached the annotation files, which still validate. The server is stopped by its pid in the
fixture's teardown, also when the test fails. Skipped (with the reason in the header of the
test run) when Label Studio is not installed; CI installs it (.ci/run).
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import shutil
from pathlib import Path

import labelstudio_server
import pytest
from labelstudio_helpers import delete_region, relabel, relate

from corpus_ds.cli import main

ROOT = Path(__file__).resolve().parent.parent
FX = "00000000000000f1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    program, why = labelstudio_server.find_label_studio()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Label Studio server test: {why}")
        pytest.skip(why)
    running = labelstudio_server.start(program, tmp_path_factory.mktemp("label-studio-data"))
    print(f"\nLabel Studio {program} answered on {running.url} after {running.started_in:.0f} s "
          f"(pid {running.process.pid})")
    try:
        yield running
    finally:
        labelstudio_server.stop(running)
        assert running.process.poll() is not None, "the Label Studio server is still running"


def _corpus(fixture_corpus: Path, into: Path) -> Path:
    """The real corpus and the fixture document, in one corpus."""
    for source in (ROOT, fixture_corpus):
        shutil.copytree(source / "texts", into / "texts", dirs_exist_ok=True)
        shutil.copytree(source / "annotations", into / "annotations", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.md"))
    return into


def _files(corpus: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted((corpus / "annotations").glob("*.json"))}


def test_every_layer_edited_in_a_real_label_studio_comes_back_exactly(server, fixture_corpus, tmp_path, capsys):
    corpus = _corpus(fixture_corpus, tmp_path / "corpus")
    before = _files(corpus)
    tasks_path = tmp_path / "tasks.json"
    assert main(["export", "labelstudio", str(tasks_path), "--root", str(corpus)]) == 0
    config = tasks_path.with_suffix(".config.xml").read_text(encoding="utf-8")
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))

    # The project, with the exported config (Label Studio validates it), and the tasks.
    assert server.call("POST", "/api/projects/validate/", {"label_config": config}) is None
    project = server.call("POST", "/api/projects/", {"title": "corpus_ds", "label_config": config})["id"]
    imported = server.call("POST", f"/api/projects/{project}/import", tasks)
    assert (imported["task_count"], imported["prediction_count"]) == (len(tasks), len(tasks))
    listed = server.call("GET", f"/api/projects/{project}/tasks/", query="page_size=100")
    listed = listed["tasks"] if isinstance(listed, dict) else listed
    task_ids = {task["data"]["doc_id"]: task["id"] for task in listed}
    assert set(task_ids) == set(before)

    def stored_prediction(doc_id: str) -> list[dict]:
        """The prediction as the server keeps it, made into the annotation the web app would start from."""
        (prediction,) = server.call("GET", "/api/predictions/", query=f"task={task_ids[doc_id]}")
        result = copy.deepcopy(prediction["result"])
        for item in result:
            if item.get("type") != "relation":
                item["origin"] = "prediction"
        return result

    def submit(doc_id: str, result: list[dict], cancelled: bool = False) -> None:
        server.call("POST", f"/api/tasks/{task_ids[doc_id]}/annotations/",
                    {"result": result, "was_cancelled": cancelled, "lead_time": 42.0})

    # The fixture document: an edit in every layer.
    result = stored_prediction(FX)
    relabel(result, "z2", "byline")                                    # zones
    result = delete_region(result, "m7")                               # entities: delete a mention ("NATO")
    relabel(result, "m16", "GPE")                                      # entities: relabel one ("Interfax")
    speaker = next(r for r in result if r.get("from_id") == "q1" and r["labels"] == ["source"])
    speaker["to_id"] = "m6"                                            # quotes: another speaker
    relate(result, "v3", "m14", "recipient")                           # events: a new argument
    submit(FX, result)
    # A real document skipped after an edit: nothing of it may reach the file.
    real = sorted(set(before) - {FX})
    skipped, unchanged = real[0], real[1]
    submit(skipped, delete_region(stored_prediction(skipped), "m1"), cancelled=True)
    # Another: an older annotation with an edit, then a newer one without: the latest wins.
    submit(unchanged, delete_region(stored_prediction(unchanged), "m2"))
    submit(unchanged, stored_prediction(unchanged))

    export = server.call("GET", f"/api/projects/{project}/export", query="exportType=JSON&download_all_tasks=true")
    export_path = tmp_path / "export.json"
    export_path.write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    assert all(isinstance(p, int) for task in export for p in task["predictions"]), "predictions are ids"
    by_doc = {task["data"]["doc_id"]: task for task in export}
    assert [a["was_cancelled"] for a in by_doc[skipped]["annotations"]] == [True]

    assert main(["import", "labelstudio", str(export_path), "--root", str(corpus), "--replace",
                 "--annotator", "ls-annotator"]) == 0
    out = capsys.readouterr().out
    assert f"{skipped}: unchanged (skipped in Label Studio" in out
    assert f"{unchanged}: unchanged (took annotation" in out and "the latest of 2 submitted" in out
    assert "1 file(s) written" in out

    after = _files(corpus)
    assert {doc for doc in before if after[doc] != before[doc]} == {FX}
    old, new = json.loads(before[FX]), json.loads(after[FX])
    expected = copy.deepcopy(old)
    expected["zones"][1]["type"] = "byline"
    expected["mentions"] = [m for m in expected["mentions"] if m["id"] != "m7"]
    expected["entities"] = [e for e in expected["entities"] if e["id"] != "e5"]
    next(m for m in expected["mentions"] if m["id"] == "m16")["type"] = "GPE"
    next(e for e in expected["entities"] if e["id"] == "e7")["type"] = "GPE"   # name and Wikipedia link kept
    expected["quotes"][0]["source"] = "m6"
    expected["events"][2]["arguments"] = [{"role": "recipient", "mention": "m14"}]
    today = datetime.date.today().isoformat()
    for layer in ("zones", "entities", "quotes", "events"):
        provenance = expected["provenance"][layer]
        provenance["annotated_by"].append("ls-annotator")
        provenance["annotated_on"] = today
        note = f"edited in Label Studio by ls-annotator on {today}"
        provenance["notes"] = f"{provenance['notes']}; {note}" if provenance["notes"] else note
    assert new == expected
    assert next(e for e in new["entities"] if e["id"] == "e7")["wikipedia"] == "Interfax"
    assert main(["validate", "--root", str(corpus)]) == 0
