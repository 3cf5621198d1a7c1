"""The one error form: a Problem is a value with a location; CorpusError carries Problems.

Every failure a user can cause (a bad annotation file, draft, import, manifest or argument)
becomes Problems. Library functions return them or raise :class:`CorpusError`; only the
command line prints them (``FILE:LOCATION: message [code]``, or JSON) and exits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

#: Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: escaped
#: whenever data is echoed, so a file cannot move the cursor or rewrite a terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with control characters, separators and lone surrogates escaped (``\\n``, ``\\x1b``)."""
    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        if char == "\n":
            return "\\n"
        if char == "\t":
            return "\\t"
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return _UNPRINTABLE.sub(escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one file, at one place.

    ``location`` is a JSON pointer (``/mentions/3/end``) into a parsed file, ``line:column``
    when the file could not be parsed, or the name of a command-line argument.
    """

    file: str
    location: str
    code: str
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def render(self) -> str:
        """``FILE:LOCATION: message [code]``, safe to print (control characters escaped)."""
        tag = "" if self.severity == ERROR else "warning: "
        location = self.location or "<root>"
        return printable(f"{self.file}:{location}: {tag}{self.message} [{self.code}]")

    def as_json(self) -> dict[str, str]:
        return {
            "file": self.file,
            "location": self.location,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class CorpusError(Exception):
    """Something a user caused that stops an operation; carries the Problems that say why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.render() for p in self.problems[:3]))


class UsageError(CorpusError):
    """A command-line argument that cannot be used (exit status 2); its problems name the argument."""


def usage(location: str, code: str, message: str) -> UsageError:
    """A UsageError with one problem about the argument ``location`` (``raise usage(...)``)."""
    return UsageError([Problem("(command line)", location, code, message)])


def fail(file: str, location: str, code: str, message: str) -> CorpusError:
    """A CorpusError with one problem (``raise fail(...)``)."""
    return CorpusError([Problem(file, location, code, message)])


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are errors (not warnings)."""
    return [p for p in problems if p.severity == ERROR]


def quote_text(text: str, limit: int = 60) -> str:
    """A short, quoted, single-line rendering of a piece of text for messages."""
    flat = printable(text)
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"“{flat}”"
