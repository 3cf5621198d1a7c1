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


def _token_lists(text: str, start: int, end: int, cuts: list[int]) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and texts of the tokens of ``text[start:end]``, cut at the (sorted) ``cuts``."""
    spans = [match.span() for match in _TOKEN.finditer(text, start, end)]
    cut_list = cuts[bisect_right(cuts, start):bisect_left(cuts, end)]
    if cut_list and spans:
        starts = [s for s, _ in spans]
        inside: dict[int, list[int]] = {}
        for cut in cut_list:  # the few tokens a mention edge falls inside
            index = bisect_right(starts, cut) - 1
            if index >= 0 and spans[index][0] < cut < spans[index][1]:
                inside.setdefault(index, []).append(cut)
        if inside:
            split: list[tuple[int, int]] = []
            for index, (a, b) in enumerate(spans):
                for edge in inside.get(index, ()):
                    split.append((a, edge))
                    a = edge
                split.append((a, b))
            spans = split
    if not spans:
        return [], [], []
    starts_t, ends_t = zip(*spans)
    return list(starts_t), list(ends_t), [text[a:b] for a, b in spans]


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
            begin = 0
            for i, token in enumerate(texts):
                if i < begin:
                    continue
                last = _boundary(starts, ends, texts, i) if token[-1] in _ENDS else -1
                if last >= 0 or i == len(texts) - 1 or i - begin + 1 >= MAX_SENTENCE_TOKENS:
                    last = max(last, i)
                    result.append(Sentence(starts[begin], ends[last], zone.type, tuple(starts[begin:last + 1]),
                                           tuple(ends[begin:last + 1]), tuple(texts[begin:last + 1])))
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
