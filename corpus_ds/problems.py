"""A finding of the validator: a value with a location, never an exception."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one file, at one place.

    ``location`` is a JSON pointer (``/mentions/3/end``) for a parsed file, or
    ``line:column`` when the file could not be parsed.
    """

    file: str
    location: str
    code: str
    message: str
    severity: str = ERROR

    def render(self) -> str:
        """``FILE:LOCATION: message`` as the validator prints it."""
        tag = "" if self.severity == ERROR else "warning: "
        location = self.location or "<root>"
        return f"{self.file}:{location}: {tag}{self.message} [{self.code}]"

    def as_json(self) -> dict[str, str]:
        return {
            "file": self.file,
            "location": self.location,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


def quote_text(text: str, limit: int = 60) -> str:
    """A short, quoted, single-line rendering of a piece of text for messages."""
    flat = text.replace("\n", "\\n")
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"“{flat}”"
