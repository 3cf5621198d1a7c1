"""CoNLL-U with CorefUD coreference, checked by the tools of Universal Dependencies.

- the official validator (``udvalidate`` from ``udtools``) passes the backbone at level 1 with
  zero errors (its coreference checks run from level 2 on, which needs dependency trees that this
  corpus does not have; none is invented to pass them);
- udtools' own CorefUD checks of the ``Entity`` annotations (the code ``--coref`` runs), driven
  sentence by sentence after the level-1 checks, report nothing;
- udapi, the library behind CorefUD, reads the ``Entity`` annotations back, with no warning, to
  exactly the corpus's entities: same clusters, same mention spans in tokens, same types.
"""

import io
import logging
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import udapi  # noqa: E402  (the test extra installs the third-party tools; a missing one fails)
import udtools.validator as udtools_validator  # noqa: E402

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.exchange.conllu import COREFUD_TYPES, export_conllu, identity, title_of
from corpus_ds.load import Document
from corpus_ds.model.problems import CorpusError
from corpus_ds.model.records import replace
from corpus_ds.model.segment import sentences


@pytest.fixture(scope="module", params=["real", "fixture"])
def exported(request, root, fixture_corpus, tmp_path_factory):
    corpus_root = root if request.param == "real" else fixture_corpus
    out = tmp_path_factory.mktemp("conllu") / "corpus.conllu"
    assert main(["export", "conllu", str(out), "--root", str(corpus_root)]) == 0
    return corpus_root, out


def _udvalidate() -> list[str]:
    script = Path(sys.executable).parent / "udvalidate"
    return [str(script)] if script.exists() else [shutil.which("udvalidate") or "udvalidate"]


def test_the_ud_validator_passes_level_1_with_zero_errors(exported):
    _, out = exported
    run = subprocess.run([*_udvalidate(), "--lang", "en", "--level", "1", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "*** PASSED ***" in run.stdout + run.stderr


class _CorefOnLevel1(udtools_validator.Validator):
    """udtools runs its CorefUD checks (``check_misc_entity``) only inside level >= 2, which needs
    trees; here they run on each sentence that passed the level-1 checks."""

    def validate_sentence(self, all_lines, state=None):
        before = sum(sum(c.values()) for c in state.error_counter.values())
        state = super().validate_sentence(all_lines, state)
        if sum(sum(c.values()) for c in state.error_counter.values()) == before:
            self.check_misc_entity(state)
        return state


def _coref_incidents(path: Path) -> dict:
    validator = _CorefOnLevel1(lang="en", level=1, check_coref=True, output=io.StringIO())
    state = validator.validate_files([str(path)])
    return {str(kind): dict(counts) for kind, counts in state.error_counter.items() if counts}


def test_udtools_corefud_checks_find_nothing(exported):
    assert _coref_incidents(exported[1]) == {}


def test_udtools_corefud_checks_do_catch_a_broken_entity(exported, tmp_path):
    _, out = exported
    broken = tmp_path / "broken.conllu"
    text = out.read_text(encoding="utf-8")
    assert "-person-" in text
    broken.write_text(text.replace("-person-", "-PER-", 1), encoding="utf-8")
    assert _coref_incidents(broken) != {}


def _read_back(path: Path):
    """The entities udapi reads, and every log record and warning it gave while reading."""
    from udapi.block.read.conllu import Conllu

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler, logger = Keep(level=logging.DEBUG), logging.getLogger()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            doc = udapi.Document()
            with open(path, encoding="utf-8") as handle:
                # HEAD is "_" (no trees): udapi's documented option for tree-less files.
                Conllu(filehandle=handle, empty_parent="ignore").apply_on_document(doc)
            entities = list(doc.coref_entities)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    complaints = [r.getMessage() for r in records if r.levelno >= logging.WARNING] + [str(w.message) for w in caught]
    return entities, complaints


def test_udapi_reads_back_exactly_the_corpus_entities_without_a_warning(exported):
    corpus_root, out = exported
    entities, complaints = _read_back(out)
    assert complaints == []
    got = {}
    for entity in entities:
        mentions = set()
        for mention in entity.mentions:
            words = mention.words
            ords = [w.ord for w in words]
            assert ords == list(range(ords[0], ords[-1] + 1))
            doc_id, number = words[0].root.sent_id.rsplit("-", 1)
            mentions.add((doc_id, int(number), ords[0], ords[-1], mention.other["type"], mention.other["mtype"],
                          "metonymy" in mention.other))
        identities = {m.other["identity"] for m in entity.mentions}
        assert len(identities) == 1
        got[entity.eid] = (entity.etype, title_of(identities.pop()), frozenset(mentions))
    want = {}
    for document in load_corpus(corpus_root):
        record = document.record
        sents = sentences(record, document.text)
        clusters = {}
        for m in record.mentions:
            place = next((i, [k for k, t in enumerate(s.tokens, 1) if m.start <= t.start and t.end <= m.end])
                         for i, s in enumerate(sents, 1) if s.start <= m.start < s.end)
            number, tokens = place
            assert sents[number - 1].tokens[tokens[0] - 1].start == m.start
            assert sents[number - 1].tokens[tokens[-1] - 1].end == m.end
            clusters.setdefault(m.entity, set()).add(
                (record.doc_id, number, tokens[0], tokens[-1], m.type, m.mention_type, m.metonymy))
        for e in record.entities:
            want[f"{record.doc_id}.{e.id}"] = (COREFUD_TYPES[e.type], e.wikipedia, frozenset(clusters[e.id]))
    assert got == want
    assert sum(len(m) for _, _, m in got.values()) == sum(len(d.record.mentions) for d in load_corpus(corpus_root))


def test_sentences_text_and_token_ranges_are_exact(exported):
    corpus_root, out = exported
    texts = {d.doc_id: d.text for d in load_corpus(corpus_root)}
    doc_id = None
    for block in out.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.split("\n") if line]
        for line in lines:
            if line.startswith("# newdoc id = "):
                doc_id = line.split(" = ", 1)[1]
        text_line = next((line for line in lines if line.startswith("# text = ")), None)
        if text_line is None:
            continue
        rebuilt = ""
        for line in (line for line in lines if not line.startswith("#")):
            columns = line.split("\t")
            misc = dict(item.split("=", 1) for item in columns[9].split("|"))
            start, end = (int(x) for x in misc["TokenRange"].split(":"))
            assert texts[doc_id][start:end] == columns[1]
            rebuilt += columns[1]
            if misc.get("SpaceAfter") != "No":
                rebuilt += misc.get("SpacesAfter", " ").replace("\\s", " ").replace("\\t", "\t")
        assert rebuilt.rstrip(" ") == text_line[len("# text = "):]


def test_wikipedia_titles_survive_the_corefud_escaping():
    for title in ("Georgia (country)", "NATO–Russia Council", "Mi-17", "A|B=C, D: 100%", "Federation Council (Russia)"):
        value = identity(title)
        assert not any(c in value for c in "-()|= \t,:")
        assert title_of(value) == title


def test_a_mention_over_a_sentence_boundary_is_a_located_problem_and_nothing_is_written(fixture_corpus, tmp_path):
    document = next(iter(load_corpus(fixture_corpus)))
    record, text = document.record, document.text
    sents = sentences(record, text)
    first, second = next((a, b) for a, b in zip(sents, sents[1:]) if a.zone == b.zone)
    index, mention = next((i, m) for i, m in enumerate(record.mentions) if first.start <= m.start < first.end)
    stretched = mention._replace(end=second.tokens[0].end, text=text[mention.start:second.tokens[0].end])
    mentions = list(record.mentions)
    mentions[index] = stretched
    broken = Document(replace(record, mentions=tuple(mentions)), text, document.path, document.shown_as)
    target = tmp_path / "out.conllu"
    with pytest.raises(CorpusError) as raised:
        export_conllu([broken], target, None)
    [problem] = raised.value.problems
    assert (problem.file, problem.location, problem.code) == (document.shown_as, f"/mentions/{index}", "export-span")
    assert "crosses a sentence boundary" in problem.message
    assert not target.exists()


def test_split_option_exports_only_that_split(root, tmp_path):
    out = tmp_path / "train.conllu"
    assert main(["export", "conllu", str(out), "--root", str(root), "--split", "train"]) == 0
    wanted = {d.doc_id for d in load_corpus(root) if d.record.document.split == "train"}
    found = {line.split(" = ", 1)[1] for line in out.read_text(encoding="utf-8").splitlines()
             if line.startswith("# newdoc id = ")}
    assert found == wanted and wanted


def test_a_crlf_text_is_exported_aligned(tmp_path):
    from test_load_stage import _crlf_corpus

    corpus, doc_id = _crlf_corpus(tmp_path)
    out = tmp_path / "crlf.conllu"
    assert main(["export", "conllu", str(out), "--root", str(corpus)]) == 0
    text = load_corpus(corpus).get(doc_id).text
    assert "\r\n" in text and "\r" not in out.read_text(encoding="utf-8")
    for line in out.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            columns = line.split("\t")
            start, end = (int(x) for x in columns[9].rsplit("TokenRange=", 1)[1].split(":"))
            assert text[start:end] == columns[1]
    run = subprocess.run([*_udvalidate(), "--lang", "en", "--level", "1", str(out)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    entities, complaints = _read_back(out)
    assert complaints == [] and sum(len(e.mentions) for e in entities) == 5
