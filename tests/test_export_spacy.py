"""spaCy DocBin: loaded with spaCy itself (a blank English pipeline, no model download), every
Doc has the one tokenisation's tokens and sentences and every span equals the corpus's."""

import pytest
import spacy
from spacy.tokens import DocBin

from corpus_ds import load_corpus
from corpus_ds.cli import main
from corpus_ds.exchange.docbin import export_spacy
from corpus_ds.load import Document
from corpus_ds.model.problems import CorpusError
from corpus_ds.model.records import replace
from corpus_ds.model.segment import sentences


@pytest.fixture(scope="module", params=["real", "fixture"])
def loaded(request, root, fixture_corpus, tmp_path_factory):
    corpus_root = root if request.param == "real" else fixture_corpus
    out = tmp_path_factory.mktemp("spacy") / "corpus.spacy"
    assert main(["export", "spacy", str(out), "--root", str(corpus_root)]) == 0
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    return list(load_corpus(corpus_root)), docs


def test_one_doc_per_document_with_the_same_tokens_and_sentences(loaded):
    documents, docs = loaded
    assert [doc.user_data["doc_id"] for doc in docs] == [d.doc_id for d in documents]
    for document, doc in zip(documents, docs):
        sents = sentences(document.record, document.text)
        assert [[t.text for t in s] for s in doc.sents] == [[t.text for t in s.tokens] for s in sents]
        tokens = [t for s in sents for t in s.tokens]
        assert list(doc.user_data["token_starts"]) == [t.start for t in tokens]
        assert list(doc.user_data["token_ends"]) == [t.end for t in tokens]
        assert doc.user_data["split"] == document.record.document.split


def _offsets(doc, span):
    return doc.user_data["token_starts"][span.start], doc.user_data["token_ends"][span.end - 1]


def _got(doc, spans, kb=True):
    return sorted((*_offsets(doc, s), s.label_, s.id_, *((s.kb_id_,) if kb else ())) for s in spans)


def test_every_span_matches_the_corpus(loaded):
    documents, docs = loaded
    count = 0
    for document, doc in zip(documents, docs):
        record, text = document.record, document.text
        entities = {e.id: e for e in record.entities}
        mentions = {m.id: m for m in record.mentions}
        wiki = {m.id: entities[m.entity].wikipedia or "" for m in record.mentions}
        want = {
            "mentions": [(m.start, m.end, m.type, m.entity, wiki[m.id]) for m in record.mentions],
            "quotes": [(c.start, c.end, q.type, q.id, "") for q in record.quotes for c in q.content],
            "cues": [(c.start, c.end, "CUE", q.id, "") for q in record.quotes for c in q.cue or ()],
            "sources": [(mentions[ref].start, mentions[ref].end, role, q.id, "") for q in record.quotes
                        for role, ref in (("SOURCE", q.source), ("VIA", q.via), ("ADDRESSEE", q.addressee)) if ref],
            "triggers": [(v.trigger.start, v.trigger.end, v.type, v.id, v.cluster) for v in record.events],
            "arguments": [(mentions[a.mention].start, mentions[a.mention].end, a.role, v.id, "")
                          for v in record.events for a in v.arguments],
        }
        assert set(doc.spans) == set(want)
        for group, spans in want.items():
            assert _got(doc, doc.spans[group]) == sorted(spans), group
            for span in doc.spans[group]:
                start, end = _offsets(doc, span)
                assert "".join(t.text for t in span) == "".join(text[start:end].split())
            count += len(spans)
        names = [(m.start, m.end, m.type, m.entity, wiki[m.id]) for m in record.mentions if m.mention_type == "NAM"]
        assert _got(doc, doc.ents) == sorted(names)
    assert count == sum(len(g) for doc in docs for g in doc.spans.values())


def test_a_trigger_inside_a_token_is_a_located_problem_and_nothing_is_written(fixture_corpus, tmp_path):
    document = next(iter(load_corpus(fixture_corpus)))
    record, text = document.record, document.text
    index, event = next((i, v) for i, v in enumerate(record.events) if len(v.trigger.text) > 2)
    cut = event.trigger._replace(end=event.trigger.end - 1, text=event.trigger.text[:-1])
    events = list(record.events)
    events[index] = event._replace(trigger=cut)
    broken = Document(replace(record, events=tuple(events)), text, document.path, document.shown_as)
    target = tmp_path / "out.spacy"
    with pytest.raises(CorpusError) as raised:
        export_spacy([broken], target, None)
    [problem] = raised.value.problems
    assert (problem.location, problem.code) == (f"/events/{index}/trigger", "export-span")
    assert "inside a token" in problem.message
    assert not target.exists()


def test_a_crlf_text_is_exported_aligned(tmp_path):
    from test_load_stage import _crlf_corpus

    corpus, doc_id = _crlf_corpus(tmp_path)
    out = tmp_path / "crlf.spacy"
    assert main(["export", "spacy", str(out), "--root", str(corpus)]) == 0
    [doc] = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    text = load_corpus(corpus).get(doc_id).text
    for token, start, end in zip(doc, doc.user_data["token_starts"], doc.user_data["token_ends"]):
        assert text[start:end] == token.text
    assert sorted(_offsets(doc, s) for s in doc.spans["mentions"]) == sorted(
        (m.start, m.end) for m in load_corpus(corpus).get(doc_id).record.mentions)
