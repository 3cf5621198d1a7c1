"""The zone lookup: which zone a span or a character lies in. Written once, used everywhere."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from itertools import repeat

from .records import Zone


class ZoneIndex:
    """Zones of one document, asked which zone contains a span (the first in file order)."""

    __slots__ = ("_zones", "_sorted")

    def __init__(self, zones: Iterable[Zone]) -> None:
        self._zones = tuple((z.start, z.end, z.type) for z in zones)
        ordered = sorted(self._zones)
        disjoint = all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))
        #: Zones sorted by start, as three columns, when no two overlap (then a span lies in at
        #: most one zone, found by bisection); None otherwise.
        self._sorted = ([z[0] for z in ordered], [z[1] for z in ordered], [z[2] for z in ordered]) \
            if disjoint else None

    def __bool__(self) -> bool:
        return bool(self._zones)

    def zone_of(self, start: int, end: int) -> str | None:
        """The type of the first zone (in file order) containing ``[start, end)``, or None."""
        for zone_start, zone_end, zone_type in self._zones:
            if zone_start <= start and end <= zone_end:
                return zone_type
        return None

    def all_inside(self, starts: Sequence[int], ends: Sequence[int], types: Collection[str]) -> bool:
        """Whether every span ``[starts[i], ends[i])`` lies inside a zone of one of ``types``
        (as :meth:`zone_of` would say), by bisection over disjoint zones."""
        if self._sorted is None:
            return all(self.zone_of(start, end) in types for start, end in zip(starts, ends))
        zone_starts, zone_ends, zone_types = self._sorted
        for start, end, after in zip(starts, ends, map(bisect_right, repeat(zone_starts), starts)):
            if not after or zone_ends[after - 1] < end or zone_types[after - 1] not in types:
                return False
        return True

    def zone_at(self, position: int) -> str | None:
        """The type of the zone containing the character at ``position``, or None."""
        return self.zone_of(position, position + 1)
