"""The evidence file: the published figures leadsim is held to, read and validated (``simulation/evidence.yaml``).

Each entry is a :class:`Target`: what the figure is, its value and/or the interval a model measurement must fall in,
its unit and source, whether the figure was checked, and how the model measures it (``measure.runs``: the scenario
or programme it runs; ``measure.measurement``: what is measured, in words and metric names). The validation tests
and calibration read targets through :func:`load_evidence` and :func:`target`; docs/evidence.md explains the rules.

Validation happens on load: an unknown or missing field, a duplicate id, an interval whose low end is above its
high end, a value outside its own interval, or an entry with neither value nor interval is an :class:`EvidenceError`
naming the file and the entry.

>>> t = target("forgetting.half_life")
>>> t.unit, t.interval, t.checked
('months', (6.5, 13.0), True)
>>> t.contains(11)
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

EVIDENCE_FILE = Path(__file__).resolve().parent / "evidence.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
REQUIRED = ("id", "quantity", "unit", "source", "checked", "measure")
OPTIONAL = ("value", "interval", "note")
MEASURE_REQUIRED = ("runs", "measurement")
MEASURE_OPTIONAL = ("metrics",)


class EvidenceError(ValueError):
    """The evidence file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Measure:
    """How the model measures a target: what it runs and what it measures there."""

    runs: str
    measurement: str
    metrics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """One empirical target: a published figure and how the model is held to it."""

    id: str
    quantity: str
    unit: str
    source: str
    checked: bool
    measure: Measure
    value: float | None = None
    interval: tuple[float, float] | None = None
    note: str = ""

    @property
    def low(self) -> float:
        """Lower end of what the measurement may be (the value itself when there is no interval)."""
        return self.interval[0] if self.interval else float(self.value)  # type: ignore[arg-type]

    @property
    def high(self) -> float:
        """Upper end of what the measurement may be (the value itself when there is no interval)."""
        return self.interval[1] if self.interval else float(self.value)  # type: ignore[arg-type]

    def contains(self, measured: float) -> bool:
        """Whether a measurement falls in the target's interval (ends included)."""
        return self.low <= measured <= self.high


# ---- validation ------------------------------------------------------------------------------------------------
def _number(raw: Any, what: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise ValueError(f"{what} must be a finite number, not {raw!r}")
    return float(raw)


def _text(raw: Any, what: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"{what} must be non-empty text, not {raw!r}")
    return " ".join(raw.split())


def _keys(entry: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...], what: str) -> None:
    missing = [k for k in required if k not in entry]
    unknown = sorted(set(entry) - set(required) - set(optional))
    if missing:
        raise ValueError(f"{what} misses {', '.join(missing)}")
    if unknown:
        raise ValueError(f"{what} has unknown field(s) {', '.join(unknown)}")


def _measure(raw: Any) -> Measure:
    if not isinstance(raw, dict):
        raise ValueError(f"measure must be a mapping with {' and '.join(MEASURE_REQUIRED)}, not {raw!r}")
    _keys(raw, MEASURE_REQUIRED, MEASURE_OPTIONAL, "measure")
    metrics = raw.get("metrics", [])
    if not isinstance(metrics, list) or not all(isinstance(m, str) and m for m in metrics):
        raise ValueError(f"measure.metrics must be a list of metric names, not {metrics!r}")
    return Measure(_text(raw["runs"], "measure.runs"), _text(raw["measurement"], "measure.measurement"),
                   tuple(metrics))


def _interval(raw: Any) -> tuple[float, float]:
    if not isinstance(raw, list) or len(raw) != 2:
        raise ValueError(f"interval must be [low, high], not {raw!r}")
    low, high = _number(raw[0], "interval low"), _number(raw[1], "interval high")
    if low > high:
        raise ValueError(f"interval [{low:g}, {high:g}] is not ordered: low is above high")
    return low, high


def parse_target(entry: Any) -> Target:
    """One validated target from a YAML mapping; ``ValueError`` says what is wrong with it."""
    if not isinstance(entry, dict):
        raise ValueError(f"an entry must be a mapping, not {type(entry).__name__}")
    _keys(entry, REQUIRED, OPTIONAL, "the entry")
    ident = entry["id"]
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        raise ValueError(f"id {ident!r} must be lower-case words joined by dots (l2l.learning)")
    if not isinstance(entry["checked"], bool):
        raise ValueError(f"checked must be true or false, not {entry['checked']!r}")
    value = None if entry.get("value") is None else _number(entry["value"], "value")
    interval = None if entry.get("interval") is None else _interval(entry["interval"])
    if value is None and interval is None:
        raise ValueError("the entry needs a value, an interval or both")
    if value is not None and interval is not None and not interval[0] <= value <= interval[1]:
        raise ValueError(f"value {value:g} lies outside its own interval [{interval[0]:g}, {interval[1]:g}]")
    note = entry.get("note") or ""
    return Target(id=ident, quantity=_text(entry["quantity"], "quantity"), unit=_text(entry["unit"], "unit"),
                  source=_text(entry["source"], "source"), checked=entry["checked"],
                  measure=_measure(entry["measure"]), value=value, interval=interval,
                  note=_text(note, "note") if note else "")


def _entry_name(index: int, entry: Any) -> str:
    ident = entry.get("id") if isinstance(entry, dict) else None
    return f"entry {index + 1}" + (f" ({ident})" if isinstance(ident, str) else "")


def load_evidence(path: str | Path | None = None) -> list[Target]:
    """Every target of the evidence file (default: the packaged ``simulation/evidence.yaml``), validated."""
    path = Path(path) if path is not None else EVIDENCE_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EvidenceError(f"{path}: cannot be read ({error.strerror or error})") from error
    except yaml.YAMLError as error:
        raise EvidenceError(f"{path}: is not valid YAML ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise EvidenceError(f"{path}: must be a mapping with a `targets` list")
    targets, seen = [], {}
    for index, entry in enumerate(data["targets"]):
        try:
            parsed = parse_target(entry)
        except ValueError as error:
            raise EvidenceError(f"{path}: {_entry_name(index, entry)}: {error}") from None
        if parsed.id in seen:
            raise EvidenceError(f"{path}: {_entry_name(index, entry)}: id {parsed.id!r} already used by entry "
                                f"{seen[parsed.id] + 1}")
        seen[parsed.id] = index
        targets.append(parsed)
    return targets


@cache
def _packaged() -> dict[str, Target]:
    return {t.id: t for t in load_evidence()}


def target(ident: str) -> Target:
    """The packaged target with this id; ``KeyError`` lists the ids there are when it does not exist."""
    targets = _packaged()
    if ident not in targets:
        raise KeyError(f"no evidence target {ident!r} in {EVIDENCE_FILE.name}; there are: {', '.join(targets)}")
    return targets[ident]
