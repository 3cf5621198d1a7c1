"""The token view the token-based exports share (CoNLL-U, CoNLL-2012, spaCy).

Tokens and sentences are the package's one tokenisation (:mod:`corpus_ds.model.segment`), the
same the ``ner`` config uses: sentences never cross a zone, boilerplate is not segmented, and a
token is cut at every mention boundary, so a mention is always a whole number of tokens. What a
token format still cannot hold (a span that lies in no sentence or crosses a sentence boundary
where the format needs one sentence; a quote or trigger that splits a token) is reported as a
located problem, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..load import Document
from ..model.problems import CorpusError, Problem, quote_text
from ..model.segment import Sentence, sentences


@dataclass(frozen=True)
class TokenView:
    """A document's sentences and, for each token boundary, where it is."""

    sentences: tuple[Sentence, ...]
    #: character offset -> (sentence index, token index in the sentence, token index in the document)
    starts: dict[int, tuple[int, int, int]]
    ends: dict[int, tuple[int, int, int]]

    def locate(self, start: int, end: int, one_sentence: bool = True) -> tuple[int, int, int, int, int] | None:
        """``(sentence, first, last, doc_first, doc_last)`` of ``[start, end)`` when it is whole
        tokens (of one sentence, unless ``one_sentence`` is false); None otherwise. ``first``
        and ``last`` index the first sentence's tokens."""
        first, last = self.starts.get(start), self.ends.get(end)
        if first is None or last is None or last[2] < first[2] or (one_sentence and first[0] != last[0]):
            return None
        return first[0], first[1], last[1], first[2], last[2]

    def why_not(self, start: int, end: int) -> str:
        """Why ``[start, end)`` is not whole tokens of one sentence."""
        inside = [s for s in self.sentences if s.start < end and start < s.end]
        if not inside:
            return "lies in no sentence (sentences are made only in zones, never in boilerplate)"
        if start not in self.starts or end not in self.ends:
            return "begins or ends inside a token"
        return "crosses a sentence boundary"


def token_view(document: Document) -> TokenView:
    """The sentences and tokens of a document, from the one tokenisation."""
    sents = tuple(sentences(document.record, document.text))
    starts: dict[int, tuple[int, int, int]] = {}
    ends: dict[int, tuple[int, int, int]] = {}
    n = 0
    for i, sentence in enumerate(sents):
        for j, token in enumerate(sentence.tokens):
            starts[token.start] = (i, j, n)
            ends[token.end] = (i, j, n)
            n += 1
    return TokenView(sents, starts, ends)


def span_problem(document: Document, pointer: str, what: str, start: int, end: int, view: TokenView,
                 fmt: str, needs: str = "whole tokens of one sentence") -> Problem:
    """The problem of a span a token format cannot hold, at its JSON pointer in the annotation file."""
    return Problem(document.shown_as, pointer, "export-span",
                   f"{what} {quote_text(document.text[start:end])} at [{start}, {end}) "
                   f"{view.why_not(start, end)}; {fmt} holds only {needs}, so nothing was written")


def mention_problems(document: Document, view: TokenView, fmt: str) -> list[Problem]:
    """The mentions a token format ``fmt`` cannot hold: each must be whole tokens of one sentence."""
    return [span_problem(document, f"/mentions/{i}", f"mention {m.id}", m.start, m.end, view, fmt)
            for i, m in enumerate(document.record.mentions) if view.locate(m.start, m.end) is None]


def sentence_views(documents: Sequence[Document], fmt: str) -> tuple[list[tuple[Document, TokenView]], list[str]]:
    """The token view of every document that has sentences, and the ids of those that have none
    (no zone annotated); CorpusError with every mention the format ``fmt`` cannot hold."""
    problems: list[Problem] = []
    views: list[tuple[Document, TokenView]] = []
    skipped: list[str] = []
    for document in documents:
        view = token_view(document)
        found = mention_problems(document, view, fmt)
        if found:
            problems += found
        elif not view.sentences:
            skipped.append(document.doc_id)
        else:
            views.append((document, view))
    if problems:
        raise CorpusError(problems)
    return views, skipped
