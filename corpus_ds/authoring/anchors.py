"""Finding spans from phrases, so that nobody types an offset by hand.

An *anchor* is a small JSON object that names a place in the text:

- ``{"t": "Lavrov"}``: the only whole-word occurrence of the phrase;
- ``{"t": "Lavrov", "n": 3}``: its 3rd whole-word occurrence (1-based);
- ``{"t": "Moscow", "ctx": "Moscow expects NATO"}``: the phrase inside a
  context string that occurs exactly once (add ``"n"`` to pick the n-th
  occurrence of the phrase inside the context);
- ``{"from": ANCHOR, "to": ANCHOR}``: from the start of one to the end of the
  other (the ``to`` anchor is the nearest match from the ``from`` anchor on,
  unless it says ``n`` or ``ctx``);
- ``"glued": true`` in an anchor also matches inside a word, for text glued
  together in the source ("here" in "relations hereSpeaking").

A whole-word occurrence is one not glued to a letter or digit on a side where
the phrase itself begins or ends with one ("Russia" does not match inside
"Russian").
"""

from __future__ import annotations

from typing import Any


class AnchorError(ValueError):
    """An anchor that names no place, or more than one."""


def _is_word(char: str) -> bool:
    return char.isalnum()


def occurrences(text: str, phrase: str, lo: int = 0, hi: int | None = None, glued: bool = False) -> list[int]:
    """Start offsets of whole-word occurrences of ``phrase`` in ``text[lo:hi]`` (any, if ``glued``)."""
    hi = len(text) if hi is None else hi
    starts: list[int] = []
    if not phrase:
        return starts
    pos = text.find(phrase, lo, hi)
    while pos != -1:
        end = pos + len(phrase)
        glued_left = _is_word(phrase[0]) and pos > 0 and _is_word(text[pos - 1])
        glued_right = _is_word(phrase[-1]) and end < len(text) and _is_word(text[end])
        if glued or (not glued_left and not glued_right):
            starts.append(pos)
        pos = text.find(phrase, pos + 1, hi)
    return starts


def _pick(found: list[int], n: int | None, phrase: str, where: str) -> int:
    if not found:
        raise AnchorError(f"phrase {phrase!r} not found {where}")
    if n is None:
        if len(found) > 1:
            raise AnchorError(
                f"phrase {phrase!r} occurs {len(found)} times {where}; "
                'add "n" (1-based) or a "ctx" to choose one')
        return found[0]
    if not 1 <= n <= len(found):
        raise AnchorError(f"phrase {phrase!r} occurs {len(found)} times {where}; n={n} is out of range")
    return found[n - 1]


def resolve(text: str, anchor: Any, lo: int = 0, nearest: bool = False) -> tuple[int, int]:
    """The ``(start, end)`` code-point offsets an anchor names, searching from ``lo``.

    With ``nearest`` a bare phrase names its first occurrence instead of having to be unique.
    """
    if not isinstance(anchor, dict):
        raise AnchorError(f"an anchor must be an object, not {type(anchor).__name__}")
    unknown = set(anchor) - {"t", "n", "ctx", "from", "to", "glued"}
    if unknown:
        raise AnchorError(f"unknown anchor key(s): {', '.join(sorted(unknown))}")
    if "from" in anchor or "to" in anchor:
        if "from" not in anchor or "to" not in anchor:
            raise AnchorError('a range anchor needs both "from" and "to"')
        start, _ = resolve(text, anchor["from"], lo)
        _, end = resolve(text, anchor["to"], start, nearest=True)
        return start, end
    phrase = anchor.get("t")
    if not isinstance(phrase, str) or not phrase:
        raise AnchorError('an anchor needs a non-empty "t" (the phrase)')
    n = anchor.get("n")
    if n is not None and (not isinstance(n, int) or isinstance(n, bool)):
        raise AnchorError('"n" must be an integer')
    context = anchor.get("ctx")
    glued = bool(anchor.get("glued", False))
    if context is None:
        where = "in the text" if lo == 0 else f"after offset {lo}"
        start = _pick(occurrences(text, phrase, lo, glued=glued), 1 if nearest and n is None else n, phrase, where)
        return start, start + len(phrase)
    ctx_starts = [s for s in _all(text, context) if s >= lo]
    if len(ctx_starts) != 1:
        raise AnchorError(f"context {context!r} occurs {len(ctx_starts)} times; it must occur once")
    ctx_start = ctx_starts[0]
    found = occurrences(text, phrase, ctx_start, ctx_start + len(context), glued=glued)
    start = _pick(found, n, phrase, f"inside context {context!r}")
    return start, start + len(phrase)


def _all(text: str, needle: str) -> list[int]:
    starts, pos = [], text.find(needle)
    while pos != -1:
        starts.append(pos)
        pos = text.find(needle, pos + 1)
    return starts
