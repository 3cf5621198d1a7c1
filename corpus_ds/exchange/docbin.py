"""spaCy ``DocBin``: ``corpus-ds export spacy OUT.spacy`` (needs ``corpus_ds[spacy]``).

One ``Doc`` per document, with exactly the one tokenisation's tokens and sentences (no model is
loaded: a bare ``Vocab``). A token's trailing white space is one space or none, as spaCy holds
it, so ``doc.text`` puts one space wherever the text has any gap (line breaks and skipped
boilerplate included) and ``Span.start_char`` counts in ``doc.text``; the corpus offsets of every
token are in ``doc.user_data["token_starts"]`` / ``["token_ends"]``.

- ``doc.ents``: the names (mentions of type NAM), label = entity type, ``kb_id_`` = Wikipedia
  title ("" when none), ``id_`` = entity id;
- ``doc.spans["mentions"]``: every mention, labelled and identified the same way (so ``id_``
  gives the coreference clusters);
- ``doc.spans["quotes"]``: each content span, label = quote type, ``id_`` = quote id;
  ``["cues"]``: label ``CUE``; ``["sources"]``: the quote's source, via and addressee mentions,
  label ``SOURCE`` / ``VIA`` / ``ADDRESSEE``; both with ``id_`` = quote id;
- ``doc.spans["triggers"]``: label = event type, ``id_`` = event id, ``kb_id_`` = event cluster;
  ``["arguments"]``: label = role, ``id_`` = event id;
- ``doc.user_data``: ``doc_id``, ``split``, ``title``, ``token_starts``, ``token_ends``.

Load with ``DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write_bytes, check_output_file
from ..load import Document
from ..model.problems import CorpusError, Problem
from .extras import require
from .tokens import TokenView, span_problem, token_view

SPAN_GROUPS = ("mentions", "quotes", "cues", "sources", "triggers", "arguments")


def _spans(document: Document) -> dict[str, list[tuple[str, int, int, str, str, str]]]:
    """Every span to write, by group: (JSON pointer, start, end, label, id, kb_id)."""
    record = document.record
    entities = {e.id: e for e in record.entities}
    mentions = {m.id: (i, m) for i, m in enumerate(record.mentions)}
    groups: dict[str, list[tuple[str, int, int, str, str, str]]] = {name: [] for name in ("ents", *SPAN_GROUPS)}
    for i, m in enumerate(record.mentions):
        span = (f"/mentions/{i}", m.start, m.end, m.type, m.entity, entities[m.entity].wikipedia or "")
        groups["mentions"].append(span)
        if m.mention_type == "NAM":
            groups["ents"].append(span)
    for i, q in enumerate(record.quotes):
        for j, c in enumerate(q.content):
            groups["quotes"].append((f"/quotes/{i}/content/{j}", c.start, c.end, q.type, q.id, ""))
        for j, c in enumerate(q.cue or ()):
            groups["cues"].append((f"/quotes/{i}/cue/{j}", c.start, c.end, "CUE", q.id, ""))
        for label, ref in (("SOURCE", q.source), ("VIA", q.via), ("ADDRESSEE", q.addressee)):
            if ref is not None:
                k, m = mentions[ref]
                groups["sources"].append((f"/mentions/{k}", m.start, m.end, label, q.id, ""))
    for i, v in enumerate(record.events):
        groups["triggers"].append((f"/events/{i}/trigger", v.trigger.start, v.trigger.end, v.type, v.id, v.cluster))
        for a in v.arguments:
            k, m = mentions[a.mention]
            groups["arguments"].append((f"/mentions/{k}", m.start, m.end, a.role, v.id, ""))
    return groups


def problems_of(document: Document, view: TokenView) -> list[Problem]:
    """Spans spaCy cannot hold: each must be whole tokens (it may run over sentences)."""
    seen: set[str] = set()
    problems = []
    for spans in _spans(document).values():
        for pointer, start, end, *_ in spans:
            if pointer not in seen and view.locate(start, end, one_sentence=False) is None:
                seen.add(pointer)
                problems.append(span_problem(document, pointer, "span", start, end, view, "spaCy", "whole tokens"))
    return problems


def to_doc(vocab: Any, document: Document, view: TokenView) -> Any:
    """The spaCy ``Doc`` of one document whose spans are all whole tokens."""
    from spacy.tokens import Doc, Span

    tokens = [t for s in view.sentences for t in s.tokens]
    spaces = [i + 1 < len(tokens) and tokens[i + 1].start > t.end for i, t in enumerate(tokens)]
    starts = [j == 0 for s in view.sentences for j in range(len(s.tokens))]
    doc = Doc(vocab, words=[t.text for t in tokens], spaces=spaces, sent_starts=starts)

    def span(start: int, end: int, label: str, id_: str, kb_id: str) -> Any:
        _, _, _, first, last = view.locate(start, end, one_sentence=False)  # type: ignore[misc]
        return Span(doc, first, last + 1, label=label, kb_id=kb_id, span_id=id_)

    groups = _spans(document)
    doc.ents = [span(*s[1:]) for s in groups["ents"]]
    for name in SPAN_GROUPS:
        doc.spans[name] = [span(*s[1:]) for s in groups[name]]
    meta = document.record.document
    doc.user_data.update({"doc_id": document.doc_id, "split": meta.split, "title": meta.title,
                          "token_starts": [t.start for t in tokens], "token_ends": [t.end for t in tokens]})
    return doc


def export_spacy(documents: Sequence[Document], target: Path, corpus_root: Path | None) -> str:
    """Write every document as one ``Doc`` of a ``DocBin`` into the file ``target``."""
    require("spacy", "spaCy", "spacy", "the spaCy format")
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    check_output_file(target, corpus_root, "TARGET")
    views = [(document, token_view(document)) for document in documents]
    problems = [p for document, view in views for p in problems_of(document, view)]
    if problems:
        raise CorpusError(problems)
    vocab = Vocab()
    docbin = DocBin(store_user_data=True)
    for document, view in views:
        docbin.add(to_doc(vocab, document, view))
    atomic_write_bytes(target, docbin.to_bytes())
    return f"wrote {len(views)} spaCy Docs (DocBin) to {target}"
