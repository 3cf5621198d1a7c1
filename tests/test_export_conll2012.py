"""CoNLL-2012: read back with scorch's published CoNLL reader, scored with scorch.

The export is read with ``scorch.conll.parse_file`` (the reader behind scorch's ``conll``
converter), and the clusters it gives are scored against the corpus's own clusters (every
mention as its sentence and first and last token in the one tokenisation) with scorch's MUC,
B³ and CEAF-e: 1.0 on each. A response with one mention moved to another cluster scores below
1, so the scores are not 1.0 by construction.
"""

import pytest
from scorch import scores
from scorch.conll import parse_file

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.exchange.conll2012 import export_conll2012
from corpus_ds.load import Document
from corpus_ds.model.problems import CorpusError
from corpus_ds.model.records import replace
from corpus_ds.model.segment import sentences
from corpus_ds.publish.rows import config_rows


@pytest.fixture(scope="module", params=["real", "fixture"])
def exported(request, root, fixture_corpus, tmp_path_factory):
    corpus_root = root if request.param == "real" else fixture_corpus
    out = tmp_path_factory.mktemp("conll2012") / "out"
    assert main(["export", "conll2012", str(out), "--root", str(corpus_root)]) == 0
    return corpus_root, out


def _read(path):
    """The clusters of one file as scorch reads them: {entity id: {(sentence, first, last)}}."""
    with open(path, encoding="utf-8") as handle:
        documents = list(parse_file(line.rstrip("\n") for line in handle))
    [(name, entities)] = documents
    return name, {f"e{cluster}": {(block, int(start), int(end)) for block, start, end in mentions}
                  for cluster, mentions in entities.items()}


def _key(document):
    """The corpus's clusters of one document: from the ``coref`` config's rows where the package
    builds that config (entity clusters with sentence and token positions), else from the
    records and the one tokenisation directly."""
    rows = config_rows(document.record, document.text)
    if "coref" in rows:
        [row] = rows["coref"]
        return {e["entity_id"]: {(m["sentence_index"], m["token_start"], m["token_end"] - 1) for m in e["mentions"]}
                for e in row["entities"]}
    record = document.record
    starts, ends = {}, {}
    for i, sentence in enumerate(sentences(record, document.text)):
        for j, token in enumerate(sentence.tokens):
            starts[token.start] = (i, j)
            ends[token.end] = (i, j)
    clusters = {}
    for m in record.mentions:
        (first_sentence, first), (last_sentence, last) = starts[m.start], ends[m.end]
        assert first_sentence == last_sentence
        clusters.setdefault(m.entity, set()).add((first_sentence, first, last))
    return clusters


def _corpus_clusters(by_document):
    """Clusters over the whole corpus (mentions qualified by their document), as scorch scores them."""
    return [{(doc_id, *mention) for mention in cluster} for doc_id, clusters in sorted(by_document.items())
            for _, cluster in sorted(clusters.items())]


def _f1(key, response):
    return {name: metric(key, response)[2] for name, metric in
            (("MUC", scores.muc), ("B3", scores.b_cubed), ("CEAF-e", scores.ceaf_e))}


def test_scorch_reads_back_the_corpus_clusters_and_scores_one(exported):
    corpus_root, out = exported
    documents = list(load_corpus(corpus_root))
    read, key = {}, {}
    for document in documents:
        path = out / f"{document.doc_id}.gold_conll"
        name, clusters = _read(path)
        assert name == f"{document.doc_id}-000"
        read[document.doc_id] = clusters
        key[document.doc_id] = _key(document)
        assert clusters == key[document.doc_id]
    assert sorted(p.name for p in out.glob("*.gold_conll")) == sorted(f"{d.doc_id}.gold_conll" for d in documents)
    assert _f1(_corpus_clusters(key), _corpus_clusters(read)) == {"MUC": 1.0, "B3": 1.0, "CEAF-e": 1.0}


def test_a_wrong_response_scores_below_one(exported):
    corpus_root, out = exported
    key = {d.doc_id: _key(d) for d in load_corpus(corpus_root)}
    response = {doc_id: _read(out / f"{doc_id}.gold_conll")[1] for doc_id in key}
    doc_id = next(iter(sorted(key)))
    clusters = response[doc_id]
    big = next(e for e, c in sorted(clusters.items()) if len(c) > 1)
    other = next(e for e in sorted(clusters) if e != big)
    moved = sorted(clusters[big])[0]
    clusters[big] = clusters[big] - {moved}
    clusters[other] = clusters[other] | {moved}
    assert all(f < 1.0 for f in _f1(_corpus_clusters(key), _corpus_clusters(response)).values())


def test_columns_and_document_lines(exported):
    _, out = exported
    for path in out.glob("*.gold_conll"):
        lines = path.read_text(encoding="utf-8").split("\n")
        doc_id = path.name.split(".")[0]
        assert lines[0] == f"#begin document ({doc_id}); part 000"
        assert lines[-2:] == ["#end document", ""]
        for line in lines[1:-2]:
            if line:
                columns = line.split("\t")
                assert len(columns) == 12 and columns[0] == doc_id and columns[1] == "0"
                assert columns[4:11] == ["-"] * 6 + ["*"]


def test_no_singletons_leaves_out_the_entities_with_one_mention(root, tmp_path):
    out = tmp_path / "out"
    assert main(["export", "conll2012", str(out), "--root", str(root), "--no-singletons"]) == 0
    for document in load_corpus(root):
        _, clusters = _read(out / f"{document.doc_id}.gold_conll")
        key = _key(document)
        assert clusters == {e: c for e, c in key.items() if len(c) > 1}
        assert len(clusters) < len(key)


def test_no_singletons_is_refused_for_other_formats(root, tmp_path, capsys):
    assert main(["export", "conllu", str(tmp_path / "x.conllu"), "--root", str(root), "--no-singletons"]) == 2
    assert "--no-singletons" in capsys.readouterr().err
    assert not (tmp_path / "x.conllu").exists()


def test_a_mention_outside_every_sentence_is_a_located_problem(fixture_corpus, tmp_path):
    document = next(iter(load_corpus(fixture_corpus)))
    record = document.record
    # Without zones there are no sentences, so no mention has tokens to sit on.
    broken = Document(replace(record, zones=()), document.text, document.path, document.shown_as)
    with pytest.raises(CorpusError) as raised:
        export_conll2012([broken], tmp_path / "out", None)
    problems = raised.value.problems
    assert [p.location for p in problems] == [f"/mentions/{i}" for i in range(len(record.mentions))]
    assert all(p.file == document.shown_as and "lies in no sentence" in p.message for p in problems)
    assert not (tmp_path / "out").exists()


def test_a_crlf_text_is_exported_aligned(tmp_path):
    from test_load_stage import _crlf_corpus

    corpus, doc_id = _crlf_corpus(tmp_path)
    out = tmp_path / "out"
    assert main(["export", "conll2012", str(out), "--root", str(corpus)]) == 0
    document = load_corpus(corpus).get(doc_id)
    assert _read(out / f"{doc_id}.gold_conll")[1] == _key(document)
