"""Rendering problems, the one way the command line shows them: text lines or a JSON report."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from ..model.problems import ERROR, Problem, printable


def render_text(problems: Sequence[Problem]) -> str:
    """One ``FILE:LOCATION: message [code]`` line per problem (control characters escaped)."""
    return "".join(problem.render() + "\n" for problem in problems)


def render_json(problems: Sequence[Problem], files: int | None = None) -> str:
    """The JSON report: counts and every problem."""
    errors = sum(p.severity == ERROR for p in problems)
    report: dict[str, object] = {}
    if files is not None:
        report["files"] = files
    report.update(errors=errors, warnings=len(problems) - errors, problems=[p.as_json() for p in problems])
    return json.dumps(report, ensure_ascii=False, indent=2)


def emit(problems: Sequence[Problem], output_format: str = "text", files: int | None = None) -> None:
    """Print problems as the chosen format asks."""
    if output_format == "json":
        print(render_json(problems, files))
    else:
        sys.stdout.write(render_text(problems))


def say(text: str) -> None:
    """Print a line of the verb's own output, with control characters from data escaped."""
    print("\n".join(printable(line) for line in text.split("\n")))
