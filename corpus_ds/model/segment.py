"""Deterministic sentence splitting and tokenisation, with code-point offsets.

Sentences never cross a zone boundary and boilerplate is not segmented.
Inside a zone a sentence ends at a line break, or after a token ``.``, ``!``,
``?`` or ``…`` (plus any closing quotation marks) when the next token starts with
an upper-case letter, a digit or an opening quotation mark, unless the period
closes an abbreviation (``Mr.``, ``Nov.``, a single initial such as ``W.``).
The texts glue sentences ("saying.Moscow"): a period followed directly by an
upper-case letter is a boundary too.

Tokens are, in order of preference: dotted abbreviations (``U.S.``), numbers
with internal ``.``/``,`` (``2,000``), runs of letters and digits, and any other
single non-space character. A token is further cut at every entity-mention
boundary, so that each mention is a whole number of tokens.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from .records import AnnotationFile

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)+|[^\W_]+|\S", re.UNICODE)
_ENDERS = {".", "!", "?", "…"}
_CLOSERS = set("”’\"»)")
_OPENERS = set("“‘\"«(")
#: A sentence is cut after this many tokens: a text without sentence punctuation would otherwise be
#: one sentence, and every config that repeats a sentence per row would grow with its square.
#: (The longest sentence of the corpus has about 50 tokens.)
MAX_SENTENCE_TOKENS = 250
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "no", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of one zone: its offsets, zone type and tokens."""

    start: int
    end: int
    zone: str
    tokens: tuple[Token, ...]

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]


def tokenize(text: str, start: int, end: int, cuts: Iterable[int] = ()) -> list[Token]:
    """Tokens of ``text[start:end]``, additionally cut at the offsets in ``cuts`` (a sorted list
    without repeats is sliced by bisection; any other iterable is sorted first)."""
    ordered = cuts if isinstance(cuts, list) else sorted(set(cuts))
    cut_list = ordered[bisect_right(ordered, start):bisect_left(ordered, end)]
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        s, e = match.start(), match.end()
        inner = cut_list[bisect_right(cut_list, s):bisect_left(cut_list, e)]
        for a, b in zip([s, *inner], [*inner, e]):
            tokens.append(Token(a, b, text[a:b]))
    return tokens


def _is_boundary(tokens: list[Token], i: int, text: str) -> int:
    """If a sentence ends after token ``i`` (or after its closing marks), the index of the last token."""
    token = tokens[i]
    if token.text not in _ENDERS and not token.text.endswith("."):
        return -1
    if token.text == "." and i > 0:
        previous = tokens[i - 1]
        if previous.end == token.start and (
            previous.text.lower() in _ABBREVIATIONS or (len(previous.text) == 1 and previous.text.isupper())
        ):
            return -1
    if token.text not in _ENDERS:  # a dotted abbreviation such as "U.S."
        return -1
    last = i
    while last + 1 < len(tokens) and tokens[last + 1].text in _CLOSERS and tokens[last + 1].text not in _OPENERS | {'"'}:
        last += 1
    if last + 1 < len(tokens) and tokens[last + 1].text == '"' and tokens[last + 1].start == tokens[last].end:
        last += 1  # a straight closing quote glued to the period
    if last + 1 >= len(tokens):
        return last
    following = tokens[last + 1].text
    if following[0].isupper() or following[0].isdigit() or following in _OPENERS:
        return last
    return -1


def sentences(record: AnnotationFile, text: str) -> list[Sentence]:
    """All sentences of the non-boilerplate zones, in text order."""
    cuts = sorted({m.start for m in record.mentions} | {m.end for m in record.mentions})
    result: list[Sentence] = []
    for zone in sorted(record.zones, key=lambda z: z.start):
        if zone.type == "boilerplate":
            continue
        line_start = zone.start
        for line in text[zone.start:zone.end].split("\n"):
            line_end = line_start + len(line)
            tokens = tokenize(text, line_start, line_end, cuts)
            begin = 0
            for i in range(len(tokens)):
                if i < begin:
                    continue
                last = _is_boundary(tokens, i, text)
                if last >= 0 or i == len(tokens) - 1 or i - begin + 1 >= MAX_SENTENCE_TOKENS:
                    last = max(last, i)
                    chunk = tokens[begin:last + 1]
                    result.append(Sentence(chunk[0].start, chunk[-1].end, zone.type, tuple(chunk)))
                    begin = last + 1
            line_start = line_end + 1
    return result


class SentenceFinder:
    """Which sentence holds a span, by bisection over the sentences' starts (they are sorted
    and never overlap), so that finding the sentences of many spans stays linear."""

    def __init__(self, sentence_list: list[Sentence]) -> None:
        self._sentences = sentence_list
        self._starts = [sentence.start for sentence in sentence_list]

    def __call__(self, start: int, end: int) -> Sentence | None:
        """The sentence containing ``[start, end)`` (the one where it starts), or None."""
        index = bisect_right(self._starts, start) - 1
        if index >= 0 and start < self._sentences[index].end:
            return self._sentences[index]
        return None


def sentence_at(sentence_list: list[Sentence], start: int, end: int) -> Sentence | None:
    """The sentence containing ``[start, end)``, or the one where it starts (one lookup; build a
    :class:`SentenceFinder` for many)."""
    return SentenceFinder(sentence_list)(start, end)
