"""Text offsets in the two units annotation tools use: code points and UTF-16 code units.

The corpus counts Unicode code points (Python string indices). JavaScript strings count
UTF-16 code units, in which a character outside the Basic Multilingual Plane (an emoji,
𝔅) takes two. The two agree up to the first such character and differ by one for each
one before an offset after it.
"""

from __future__ import annotations

import bisect


class Offsets:
    """Conversions between code point and UTF-16 offsets of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: code point position of each astral character, and its UTF-16 position
        self._astral = [i for i, char in enumerate(text) if ord(char) > 0xFFFF]
        self._astral16 = [position + k for k, position in enumerate(self._astral)]
        self.utf16_length = len(text) + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """The UTF-16 offset of a code point offset (0 <= offset <= len(text))."""
        return offset + bisect.bisect_left(self._astral, offset)

    def from_utf16(self, offset: int) -> int | None:
        """The code point offset of a UTF-16 offset, or None when it falls between the two
        halves of a surrogate pair (no character boundary there) or outside the text."""
        if not 0 <= offset <= self.utf16_length:
            return None
        before = bisect.bisect_right(self._astral16, offset - 2)  # astral characters wholly before
        if before < len(self._astral16) and self._astral16[before] == offset - 1:
            return None
        return offset - before
