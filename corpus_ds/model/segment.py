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
from typing import NamedTuple

from .records import AnnotationFile

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)+|[^\W_]+|\S", re.UNICODE)
_ENDERS = {".", "!", "?", "…"}
#: The last characters of a token that may end a sentence (a cheap test before the full one).
_ENDS = frozenset(".!?…")
_CLOSERS = set("”’\"»)")
_OPENERS = set("“‘\"«(")
_NOT_CLOSING = _OPENERS | {'"'}
#: A sentence is cut after this many tokens: a text without sentence punctuation would otherwise be
#: one sentence, and every config that repeats a sentence per row would grow with its square.
#: (The longest sentence of the corpus has about 50 tokens.)
MAX_SENTENCE_TOKENS = 250
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "no", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}


class Token(NamedTuple):
    """A token: code-point offsets into the text, and its text."""

    start: int
    end: int
    text: str


class Sentence(NamedTuple):
    """A sentence of one zone: its offsets, zone type and tokens, kept as three parallel lists
    (``token_starts``, ``token_ends``, ``token_texts``); ``tokens`` gives them as records."""

    start: int
    end: int
    zone: str
    token_starts: tuple[int, ...]
    token_ends: tuple[int, ...]
    token_texts: tuple[str, ...]

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(map(Token._make, zip(self.token_starts, self.token_ends, self.token_texts)))

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]


_START, _END, _GROUP = re.Match.start, re.Match.end, re.Match.group


def _token_lists(text: str, start: int, end: int, cuts: list[int]) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and texts of the tokens of ``text[start:end]``, cut at the (sorted) ``cuts``."""
    matches = list(_TOKEN.finditer(text, start, end))
    starts, ends = list(map(_START, matches)), list(map(_END, matches))
    cut_list = cuts[bisect_right(cuts, start):bisect_left(cuts, end)]
    inside: dict[int, list[int]] = {}
    for cut in cut_list:  # the few tokens a mention edge falls inside
        index = bisect_right(starts, cut) - 1
        if index >= 0 and starts[index] < cut < ends[index]:
            inside.setdefault(index, []).append(cut)
    if not inside:
        return starts, ends, list(map(_GROUP, matches))
    split: list[tuple[int, int]] = []
    for index, (a, b) in enumerate(zip(starts, ends)):
        for edge in inside.get(index, ()):
            split.append((a, edge))
            a = edge
        split.append((a, b))
    return [a for a, _ in split], [b for _, b in split], [text[a:b] for a, b in split]


def tokenize(text: str, start: int, end: int, cuts: Iterable[int] = ()) -> list[Token]:
    """Tokens of ``text[start:end]``, additionally cut at the offsets in ``cuts``."""
    ordered = cuts if isinstance(cuts, list) else sorted(set(cuts))
    return list(map(Token._make, zip(*_token_lists(text, start, end, ordered))))


def _boundary(starts: list[int], ends: list[int], texts: list[str], i: int) -> int:
    """If a sentence ends after token ``i`` (or after its closing marks), the index of the last token."""
    token = texts[i]
    if token not in _ENDERS and not token.endswith("."):
        return -1
    if token == "." and i > 0:
        previous = texts[i - 1]
        if ends[i - 1] == starts[i] and (
            previous.lower() in _ABBREVIATIONS or (len(previous) == 1 and previous.isupper())
        ):
            return -1
    if token not in _ENDERS:  # a dotted abbreviation such as "U.S."
        return -1
    count = len(texts)
    last = i
    while last + 1 < count and texts[last + 1] in _CLOSERS and texts[last + 1] not in _NOT_CLOSING:
        last += 1
    if last + 1 < count and texts[last + 1] == '"' and starts[last + 1] == ends[last]:
        last += 1  # a straight closing quote glued to the period
    if last + 1 >= count:
        return last
    following = texts[last + 1]
    if following[0].isupper() or following[0].isdigit() or following in _OPENERS:
        return last
    return -1


#: A character that may end a sentence, found in a line to pick the tokens worth a closer look.
_ENDER_CHARACTER = re.compile("[" + re.escape("".join(sorted(_ENDS))) + "]")


def _line_sentences(text: str, starts: list[int], ends: list[int], texts: list[str], zone: str,
                    line_start: int, line_end: int) -> Iterable[Sentence]:
    """The sentences of one line's tokens: cut after each boundary (:func:`_boundary`), after
    :data:`MAX_SENTENCE_TOKENS` tokens without one, and at the line's end."""
    count = len(texts)

    def piece(first: int, last: int) -> Sentence:
        return Sentence(starts[first], ends[last], zone, tuple(starts[first:last + 1]),
                        tuple(ends[first:last + 1]), tuple(texts[first:last + 1]))

    # only a token whose last character may end a sentence can end one: found by position
    candidates = []
    for match in _ENDER_CHARACTER.finditer(text, line_start, line_end):
        index = bisect_left(ends, match.end())
        if index < count and ends[index] == match.end():
            candidates.append(index)
    begin = 0
    for i in candidates:
        if i < begin:
            continue
        while i - begin + 1 > MAX_SENTENCE_TOKENS:
            yield piece(begin, begin + MAX_SENTENCE_TOKENS - 1)
            begin += MAX_SENTENCE_TOKENS
        last = _boundary(starts, ends, texts, i)
        if last >= 0 or i == count - 1 or i - begin + 1 >= MAX_SENTENCE_TOKENS:
            last = max(last, i)
            yield piece(begin, last)
            begin = last + 1
    while begin < count:
        last = min(begin + MAX_SENTENCE_TOKENS, count) - 1
        yield piece(begin, last)
        begin = last + 1


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
            starts, ends, texts = _token_lists(text, line_start, line_end, cuts)
            result.extend(_line_sentences(text, starts, ends, texts, zone.type, line_start, line_end))
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
