"""Problems with a file, reported compiler-style: ``FILE:LINE: FIELD: what is wrong. Allowed: ...``.

Scenario files (:mod:`simulation.scenario_files`), study files (:mod:`simulation.studies.spec`) and the command
line all report through :class:`Problem` and :class:`ScenarioFileError`. The line of a field comes from the map of
``location -> line`` that the YAML reader records for every key and list item; :func:`line_at` finds the nearest
one (a field the file does not spell out is reported at the line of the section that holds it).

Reads nothing and writes nothing: plain data and formatting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Loc = tuple[str | int, ...]
"""Where a value is in a file: the keys and list indexes that lead to it, e.g. ``("interventions", 0, "type")``."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (file, field, line) and what, including what is allowed."""

    file: str
    message: str
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ScenarioFileError(Exception):
    """A scenario or study file (or a ``--set`` override) cannot be used; ``str()`` lists every problem, one per
    line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def one(cls, file: str, message: str, field: str | None = None, line: int | None = None) -> ScenarioFileError:
        return cls([Problem(file, message, field, line)])


class OutputError(Exception):
    """An output folder cannot be used; the message names it and says why (:mod:`simulation.results` raises it).

    Defined here, beside the other user-facing problems, so that the command line can catch it without importing
    the results machinery (pandas, the model) before it knows which command runs."""


def line_at(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of the nearest enclosing key or item the file has (None if none has a line)."""
    return next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), None)


def sub_lines(lines: dict[Loc, int], prefix: Loc) -> dict[Loc, int]:
    """The lines below ``prefix``, with locations relative to it (a mapping embedded in a file)."""
    return {k[len(prefix):]: v for k, v in lines.items() if k[: len(prefix)] == prefix}


def dotted(loc: Loc) -> str:
    """``("interventions", 0, "type")`` -> ``"interventions.0.type"``."""
    return ".".join(str(k) for k in loc)


def unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once, the first file's first, then by line and field."""
    first = problems[0].file if problems else ""
    seen: dict[tuple[Any, ...], Problem] = {}
    for p in problems:
        seen.setdefault((p.file, p.field, p.message), p)
    return sorted(seen.values(), key=lambda p: (p.file != first, p.line or 0, p.field or ""))


def problem_at(name: str, loc: Loc, lines: dict[Loc, int], overridden: set[str], message: str) -> Problem:
    """The problem at field ``loc`` of file ``name``: at its line, or marked as coming from ``--set``."""
    where = dotted(loc) or "scenario"
    if any(where == o or where.startswith(o + ".") or o.startswith(where + ".") for o in overridden):
        return Problem(name, message, f"{where} (from --set)")
    return Problem(name, message, where, line_at(lines, loc))
