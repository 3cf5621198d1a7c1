"""The CoNLL-2012 coreference format: ``corpus-ds export conll2012 OUT``.

One file per document, ``OUT/DOC.gold_conll``, as the CoNLL-2012 shared task and the standard
coreference scorers read it: ``#begin document (DOC); part 000`` ... ``#end document``, one
token per line, a blank line after each sentence, and twelve columns: document id, part number
(0), token number in the sentence (from 0), token, then part of speech, parse bit, predicate
lemma, predicate frameset, word sense and speaker (``-``: the corpus has none), named entities
(``*``: not written, see below) and coreference (``(8``, ``8)``, ``(8)``, several joined by
``|``, ``-`` for none). The cluster number is the entity's (``e8`` is 8).

Every entity is written, singletons included, because the corpus annotates them; OntoNotes has
none, so ``--no-singletons`` leaves them out for scoring the way CoNLL-2012 did. Tokens and
sentences are the one tokenisation. Entity types, mention types, Wikipedia titles, quotes and
events have no place in the format.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..fsutil import staged_folder
from ..load import Document
from .tokens import TokenView, sentence_views

EXTENSION = ".gold_conll"


def cluster_number(entity_id: str) -> str:
    """The CoNLL-2012 cluster number of an entity id (``e8`` -> ``8``)."""
    return entity_id[1:]


def document_text(document: Document, view: TokenView, singletons: bool = True) -> str:
    """The CoNLL-2012 text of one document whose mentions are all whole tokens of one sentence."""
    record = document.record
    size = Counter(m.entity for m in record.mentions)
    marks: dict[tuple[int, int], list[str]] = {}
    for m in record.mentions:
        if not singletons and size[m.entity] == 1:
            continue
        sentence, first, last, _, _ = view.locate(m.start, m.end)  # type: ignore[misc]
        number = cluster_number(m.entity)
        if first == last:
            marks.setdefault((sentence, first), []).append(f"({number})")
        else:
            marks.setdefault((sentence, first), []).append(f"({number}")
            marks.setdefault((sentence, last), []).insert(0, f"{number})")
    lines = [f"#begin document ({record.doc_id}); part 000"]
    for i, sentence in enumerate(view.sentences):
        for j, token in enumerate(sentence.tokens):
            coref = "|".join(marks.get((i, j), ())) or "-"
            lines.append("\t".join((record.doc_id, "0", str(j), token.text, "-", "-", "-", "-", "-", "-", "*", coref)))
        lines.append("")
    lines.append("#end document")
    return "".join(line + "\n" for line in lines)


def export_conll2012(documents: Sequence[Document], target: Path, corpus_root: Path | None,
                     singletons: bool = True) -> str:
    """Write ``DOC.gold_conll`` for every document into the folder ``target``."""
    views, skipped = sentence_views(documents, "CoNLL-2012")
    texts = {document.doc_id: document_text(document, view, singletons) for document, view in views}
    with staged_folder(target, corpus_root, "TARGET") as tmp:
        for doc_id, text in texts.items():
            (tmp / f"{doc_id}{EXTENSION}").write_text(text, encoding="utf-8", newline="\n")
    message = (f"wrote {len(texts)} CoNLL-2012 files ({'with' if singletons else 'without'} singletons) "
               f"to {target}")
    if skipped:
        message += f"; left out {len(skipped)} with no zones annotated, so no sentences: {', '.join(skipped)}"
    return message
