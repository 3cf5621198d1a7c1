"""The zone lookup: which zone a span or a character lies in. Written once, used everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from .records import Zone


class ZoneIndex:
    """Zones of one document, asked which zone contains a span (the first in file order)."""

    __slots__ = ("_zones",)

    def __init__(self, zones: Iterable[Zone]) -> None:
        self._zones = tuple((z.start, z.end, z.type) for z in zones)

    def __bool__(self) -> bool:
        return bool(self._zones)

    def zone_of(self, start: int, end: int) -> str | None:
        """The type of the first zone (in file order) containing ``[start, end)``, or None."""
        for zone_start, zone_end, zone_type in self._zones:
            if zone_start <= start and end <= zone_end:
                return zone_type
        return None

    def zone_at(self, position: int) -> str | None:
        """The type of the zone containing the character at ``position``, or None."""
        return self.zone_of(position, position + 1)
