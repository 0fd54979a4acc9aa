"""Scenario files: YAML text to a validated :class:`~simulation.core.scenario.Scenario`, or one clear message.

Why a module of its own: a researcher's typo should cost seconds, not a failed overnight run. Every problem is
reported compiler-style through :mod:`simulation.problems` (the line comes from the composed YAML node tree),
unknown keys and interventions get the closest valid name, and nothing is built from the file but plain data:

* YAML is parsed with a :class:`yaml.SafeLoader` subclass, and every node's tag is checked *before* anything is
  constructed, so ``!!python/object/apply:os.system`` is refused by name rather than by a constructor error;
* aliases may not expand into more than :data:`MAX_NODES` values ("billion laughs"), and keys may not repeat;
* values are validated in pydantic's strict mode (``months: yes`` or ``people: "2000"`` are type errors, not
  silently converted), the scenario first, then each intervention's ``params`` by that intervention's own
  ``Params`` model, so a scenario that loads is a scenario that runs.

:func:`set_value` is the one dotted-path setter of the application (``--set`` overrides, study levers, factors and
uncertainties), on a scenario mapping that :func:`complete` has filled in.  The memory guard is
:mod:`simulation.memory`.

Reads the scenario file; writes nothing.
"""

from __future__ import annotations

import copy
import difflib
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import annotated_types
import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .core.interventions import REGISTRY
from .core.scenario import InterventionSpec, Scenario, resolve_path, set_path
from .parameters import NONE, field_metadata
from .problems import Loc, Problem, ScenarioFileError, dotted, problem_at, unique

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000
_YAML = "tag:yaml.org,2002:"
SAFE_TAGS = {_YAML + t for t in ("null", "bool", "int", "float", "str", "seq", "map", "merge")}
MAX_SEED = 2**63 - 1
"""The largest run seed: the scenario's bound, and what the tables' int64 seed column and the manifest hold."""


# ---- loading -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScenarioSource:
    """A loaded scenario and where it came from (the manifest records all of it)."""

    path: str
    text: str
    scenario: Scenario
    overrides: dict[str, Any] = field(default_factory=dict)
    lines: dict[Loc, int] = field(default_factory=dict, repr=False)

    def resolved(self, **values: Any) -> dict[str, Any]:
        """The scenario with every default filled in, intervention parameters included (JSON-ready)."""
        scenario = self.scenario.model_copy(update=values) if values else self.scenario
        return resolve(scenario)


def resolve(scenario: Scenario) -> dict[str, Any]:
    """``scenario.model_dump`` with each intervention's ``params`` completed by its ``Params`` defaults."""
    data = scenario.model_dump(mode="json")
    for spec, out in zip(scenario.interventions, data["interventions"], strict=True):
        out["params"] = REGISTRY.params(spec.type).model_validate(spec.params).model_dump(mode="json")
    return data


class _Loader(yaml.SafeLoader):
    """SafeLoader; a subclass so that nothing registered on SafeLoader elsewhere can widen what we construct.

    Plain scalars that look like dates or times (``description: 2001-12-14``) are text: no scenario field is a
    date, and YAML 1.1's implicit ``!!timestamp`` would otherwise turn them into dates that are then refused.

    Numbers in exponent form without a dot (``budget: 4e5``, ``1E-3``) are numbers, as in YAML 1.2 and Python:
    YAML 1.1's float rule, which PyYAML follows, wants a dot (``4.0e5``) and would read them as text.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _YAML + "timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


_EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")
for _first in "-+0123456789":
    _Loader.add_implicit_resolver(_YAML + "float", _EXPONENT_FLOAT, [_first])


def load_scenario(path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None) -> ScenarioSource:
    """Read, parse and validate a scenario file; ``overrides`` (dotted path → value) are applied first.

    Raises :class:`ScenarioFileError` for every way the file can be unusable.

    >>> from simulation import load_scenario
    >>> source = load_scenario("scenarios/baseline.yaml", {"population.people": 500})
    >>> source.scenario.name, source.scenario.population.people
    ('baseline', 500)
    """
    name = str(path)
    text = read_text(name)
    data, lines = parse_yaml(text, name)
    if data is None:
        raise ScenarioFileError.one(name, "the file is empty (or only comments); a scenario is a mapping such as "
                                          "`name: baseline` / `months: 60` / `population: {people: 2000}`")
    if not isinstance(data, dict):
        raise ScenarioFileError.one(name, f"the file holds {_kind(data)}, but a scenario is a mapping of fields "
                                          f"({', '.join(Scenario.model_fields)})", line=1)
    overrides = dict(overrides or {})
    if overrides:
        complete(data)
    for path, value in overrides.items():
        missing = set_value(data, path, value)
        if missing:
            raise ScenarioFileError.one(name, missing, field=f"{path} (from --set)")
    scenario = validate_data(data, name, lines, set(overrides))
    return ScenarioSource(name, text, scenario, overrides, lines)


def read_text(name: str) -> str:
    """The file's text; a missing, unreadable, huge or binary file is a :class:`ScenarioFileError`."""
    p = Path(name)
    try:
        if p.is_dir():
            raise ScenarioFileError.one(name, "is a directory; give a scenario file (.yaml)")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioFileError.one(name, f"is {size:,} bytes; scenario files are at most {MAX_FILE_BYTES:,}")
        raw = p.read_bytes()
    except FileNotFoundError:
        hint = _close_files(p)
        raise ScenarioFileError.one(name, f"no such file{hint}") from None
    except OSError as exc:
        raise ScenarioFileError.one(name, f"cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in raw:
        raise ScenarioFileError.one(name, "is a binary file; a scenario is UTF-8 YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioFileError.one(name, f"is not UTF-8 text (byte {exc.start}); a scenario is UTF-8 YAML "
                                          "text") from None


def _close_files(p: Path) -> str:
    folder = p.parent if str(p.parent) else Path(".")
    try:
        names = [c.name for c in folder.iterdir() if c.suffix in (".yaml", ".yml")]
    except OSError:
        return ""
    close = difflib.get_close_matches(p.name, names, n=1, cutoff=0.75)
    return f" (did you mean {folder / close[0]}?)" if close else ""


def parse_yaml(text: str, name: str) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document safely; return the data and the line of every key and list item."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader already refuses control characters
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        _check_nodes(node, (), lines, name, [0])
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        context = exc.context
        if context and exc.context_mark and exc.context_mark.line + 1 != line:
            context = f"{context} that starts on line {exc.context_mark.line + 1},"
        what = " ".join(s for s in (context, exc.problem) if s)
        raise ScenarioFileError.one(name, f"is not valid YAML: {what}", line=line) from None
    except yaml.YAMLError as exc:
        raise ScenarioFileError.one(name, f"is not valid YAML: {exc}") from None
    except RecursionError:
        raise ScenarioFileError.one(name, "is nested too deeply to be a scenario (lists or mappings inside each "
                                          "other hundreds of times)") from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_nodes(node: yaml.Node, loc: Loc, lines: dict[Loc, int], name: str, count: list[int]) -> None:
    """Refuse unsafe tags, repeated keys and alias bombs; record the line of each key and item."""
    count[0] += 1
    line = node.start_mark.line + 1
    if count[0] > MAX_NODES:
        raise ScenarioFileError.one(name, f"expands to more than {MAX_NODES:,} values (aliases?); scenario files "
                                          "are small", field=dotted(loc), line=line)
    if node.tag not in SAFE_TAGS:
        raise ScenarioFileError.one(
            name, f"the tag {node.tag.replace(_YAML, '!!')} is not allowed: scenario files hold plain data only "
                  "(mappings, lists, text, numbers, true/false, null)", field=dotted(loc) or None, line=line)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            _check_nodes(key_node, loc, {}, name, count)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioFileError.one(name, "a key is a list or a mapping; keys are field names",
                                            field=dotted(loc) or None, line=key_line)
            key = key_node.value
            if key in seen and key_node.tag != _YAML + "merge":
                raise ScenarioFileError.one(name, f"the key {key!r} appears twice (lines {seen[key]} and "
                                                  f"{key_line}); keep one", field=dotted(loc) or None, line=key_line)
            seen[key] = key_line
            lines.setdefault((*loc, key), key_line)
            _check_nodes(value_node, (*loc, key), lines, name, count)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.setdefault((*loc, i), item.start_mark.line + 1)
            _check_nodes(item, (*loc, i), lines, name, count)


# ---- overrides (--set path=value) ----------------------------------------------------------------------------
def parse_overrides(items: Iterable[str]) -> dict[str, Any]:
    """``["population.people=500", "name=x"]`` → ``{"population.people": 500, "name": "x"}`` (values are YAML)."""
    out: dict[str, Any] = {}
    for item in items:
        path, sep, raw = item.partition("=")
        path = path.strip()
        if not sep or not path or any(not part for part in path.split(".")):
            raise ScenarioFileError.one("--set", f"{item!r} is not PATH=VALUE (for example "
                                                 "population.people=500 or interventions.0.params.participants=20)")
        value, _ = parse_yaml(raw, f"--set {path}")
        out[path] = value
    return out


def complete(data: dict[str, Any], model: type[BaseModel] = Scenario) -> dict[str, Any]:
    """Fill in, in place, every field ``data`` leaves out with its default (sections and interventions too), so
    that a dotted path can name any field of the scenario - as in ``Scenario.model_dump()``."""
    for key, info in model.model_fields.items():
        if key not in data and not info.is_required():
            default = info.get_default(call_default_factory=True)
            data[key] = default.model_dump() if isinstance(default, BaseModel) else copy.deepcopy(default)
        inner = _model_of(info.annotation)
        value = data.get(key)
        if inner is not None and isinstance(value, dict):
            complete(value, inner)
        elif inner is not None and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    complete(item, inner)
    return data


def set_value(data: dict[str, Any], path: str, value: Any, also: Iterable[str] = ()) -> str | None:
    """Set a dotted path in a complete scenario mapping, or say why it does not exist (with the closest names).

    The one rule set for ``--set`` overrides, study levers, factors and uncertainties: that of
    :func:`~simulation.core.scenario.set_path` (every key must exist, list items by index such as
    ``interventions.0.type``, new keys only inside an intervention's ``params``). ``also`` names other paths the
    caller accepts at the top level, listed with the allowed fields. The mapping is completed again after the
    value is set, so that a section or intervention given as a value (a lever's ``interventions: [{type: X}]``)
    has every field a later path may name, ``params`` included.
    """
    resolved = resolve_path(data, path)  # an intervention may be named: interventions.hosting.params.X
    if resolved is None:
        names = [i.get("label") or i.get("type") for i in data.get("interventions") or [] if isinstance(i, dict)]
        return (f"no intervention is named {path.split('.')[1]!r} (named by label, or by type without one). "
                f"Allowed: {', '.join(map(str, names)) or 'none: this scenario has no interventions'}")
    try:
        set_path(data, resolved, value)
    except KeyError as exc:
        return _missing(data, resolved, list(also)) or str(exc.args[0])
    complete(data)
    return None


def _missing(data: dict[str, Any], path: str, also: list[str]) -> str | None:
    """Why ``path`` names nothing in ``data``: the first key that is not there, with what is allowed there."""
    keys = path.split(".")
    node: Any = data
    for depth, key in enumerate(keys):
        where = ".".join(keys[:depth])
        if isinstance(node, list):
            if not key.isdigit() or int(key) >= len(node):
                return _no_item(where, key, len(node))
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, dict):
            close = difflib.get_close_matches(key, list(node), n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            more = f"; or {', '.join(also)}" if also and node is data else ""
            return f"no field {key!r}.{hint} Allowed here: {', '.join(list(node)[:40])}{more}"
        else:
            return f"{where} is {_kind(node)}, which has no field {key!r}"
    return None


def _no_item(where: str, key: str, size: int) -> str:
    if where == "interventions" and size == 0:
        return ("the scenario has no interventions, so there is none to change. Allowed: add one in the file, or "
                "give the whole list, e.g. --set 'interventions=[{type: individual_training}]' (`leadsim "
                "interventions` lists them)")
    items = f"{size} item{'s' if size != 1 else ''}"
    allowed = "none (the list is empty)" if size == 0 else ("0" if size == 1 else f"0 to {size - 1}")
    return f"{key} is not an index of {where}, which has {items}. Allowed: {allowed}"


# ---- validation --------------------------------------------------------------------------------------------
def validate_data(data: dict[str, Any], name: str, lines: dict[Loc, int] | None = None,
                  overridden: set[str] | None = None) -> Scenario:
    """Validate the scenario and each intervention's params; collect every problem into one error."""
    lines, overridden = lines or {}, overridden or set()
    problems: list[Problem] = []
    specs = data.get("interventions")
    if isinstance(specs, list):
        for i, spec in enumerate(specs):
            if isinstance(spec, dict):
                problems += _intervention_problems(spec, i, name, lines, overridden)
    covered = {p.field for p in problems}  # a specific message (type: null) replaces the generic one
    scenario, errors = validate_all(Scenario, data)
    found = [_problem(err, Scenario, (), name, lines, overridden) for err in errors]
    problems += [p for p in found if p.field not in covered]
    if scenario is not None:
        too_far = seed_range_problem(scenario.seed, scenario.replications)
        if too_far:
            problems.append(problem_at(name, ("seed",), lines, overridden, too_far))
    if problems:
        raise ScenarioFileError(unique(problems))
    assert scenario is not None
    return scenario


def seed_range_problem(seed: int, replications: int) -> str | None:
    """Why ``replications`` runs from ``seed`` leave the seed range (replication r uses seed + r), or None.

    The one check of the whole range, for scenario files, the command line's --seed/--replications and
    :func:`simulation.execution.run_scenarios`: past :data:`MAX_SEED` the seed column turns to floats and the
    recorded seeds are wrong.
    """
    last = seed + replications - 1
    if last <= MAX_SEED:
        return None
    return (f"the last run's seed would be {last:,} (seed + replications - 1 = {seed} + {replications} - 1), "
            f"past the largest seed 2**63 - 1. Allowed: a seed of at most {MAX_SEED - replications + 1:,} for "
            f"{replications} replications")


def _intervention_problems(spec: dict[str, Any], i: int, name: str, lines: dict[Loc, int],
                           overridden: set[str]) -> list[Problem]:
    kind = spec.get("type")
    loc: Loc = ("interventions", i, "type")
    if kind is None and "type" in spec:
        return [problem_at(name, loc, lines, overridden, 'null is YAML for "nothing": write the name in quotes, '
                                                  'type: "null", for the business-as-usual intervention')]
    if not isinstance(kind, str):
        return []  # missing or mistyped: the scenario's own validation reports it
    if kind not in REGISTRY:
        close = difflib.get_close_matches(kind, REGISTRY, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return [problem_at(name, loc, lines, overridden, f"unknown intervention {kind!r}.{hint} Registered: "
                                                  f"{', '.join(sorted(REGISTRY))} (see `leadsim interventions`)")]
    params = spec.get("params", {})
    if not isinstance(params, dict):
        return []
    model = REGISTRY.params(kind)  # its parameter module: the strategy (Mesa, the kernels) stays unloaded
    _, errors = validate_all(model, params)
    base: Loc = ("interventions", i, "params")
    return [_problem(err, model, base, name, lines, overridden) for err in errors]


MAX_ROUNDS = 50
"""Rounds of :func:`validate_all` (each sets aside at least one value): more than any file has problems."""


def validate_all(model: type[BaseModel], data: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    """Validate ``data`` as ``model`` (strict) and return the instance, or None and every error of every stage.

    Pydantic checks a model's own rules (its ``model_validator``s and ``model_post_init``: sizes that must be
    ordered, budget shares, an intervention's ``selection``) only once every field is valid, so one pass would
    report those only after the field errors are fixed. Here each invalid value is set aside (its key removed,
    so its default applies) and the rest validated again, until it passes or nothing more can be set aside; the
    errors of all rounds are returned together, each once.
    """
    data = copy.deepcopy(data)
    errors: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    removed: set[Loc] = set()
    for _ in range(MAX_ROUNDS):
        try:
            return model.model_validate(data, strict=True), errors
        except ValidationError as exc:
            found = exc.errors()
        progress = False
        for err in found:
            loc = _set_aside(data, tuple(err["loc"]), removed)
            if any(tuple(err["loc"])[: len(r)] == r for r in removed) and loc is None:
                continue  # the consequence of a value already set aside (a required key now missing)
            key = (tuple(err["loc"]), err["type"], err["msg"])
            if key not in seen:
                seen.add(key)
                errors.append(err)
            if loc is not None:
                removed.add(loc)
                progress = True
        if not progress:
            break
    return None, errors


def _set_aside(data: dict[str, Any], loc: Loc, removed: set[Loc]) -> Loc | None:
    """Remove the deepest mapping key on ``loc`` that ``data`` has (a list item: the list's own key); return
    where, or None when there is nothing to remove (a model-level error, or already removed)."""
    node: Any = data
    target: Loc | None = None
    for depth, key in enumerate(loc):
        if isinstance(node, dict) and isinstance(key, str) and key in node:
            target = loc[: depth + 1]
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            break
    if target is None or target in removed:
        return None
    parent: Any = data
    for key in target[:-1]:
        parent = parent[key]
    del parent[target[-1]]
    return target


def _problem(err: Mapping[str, Any], root: type[BaseModel], base: Loc, name: str, lines: dict[Loc, int],
             overridden: set[str]) -> Problem:
    loc: Loc = tuple(err["loc"])
    full = (*base, *loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        return problem_at(name, full, lines, overridden, _unknown_key(root, loc, base))
    if kind == "value_error" and not loc:
        return problem_at(name, base, lines, overridden, str(err["ctx"]["error"]) if "ctx" in err else err["msg"])
    info, model = field_at(root, loc)
    choice = _misspelt_choice(err, info)
    if choice is not None:
        return problem_at(name, full, lines, overridden, choice)
    msg = err["msg"]
    msg = msg[0].lower() + msg[1:] if msg else msg
    if kind == "finite_number":
        msg += " (.nan and .inf are not allowed)"
    if kind == "missing":
        about = f" ({info.description.rstrip('.')})" if info is not None and info.description else ""
        text = f"is required but missing{about}. Allowed: {describe(info, model)}"
    else:
        text = f"got {_show(err.get('input'))}, but {msg}. Allowed: {describe(info, model)}"
    return problem_at(name, full, lines, overridden, text)


def _misspelt_choice(err: Mapping[str, Any], info: FieldInfo | None) -> str | None:
    """A word that is not one of a field's choices: the nearest choice and every allowed one (None when ``err`` is
    about something else). Choices come from the field (a Literal, or a pattern of alternatives) or, for a core
    validator's ``choice`` error (an intervention's ``selection``), from the error's context."""
    value = err.get("input")
    if err["type"] == "choice":
        choices = list(err.get("ctx", {}).get("choices", ()))
    elif err["type"] in ("literal_error", "string_pattern_mismatch") and info is not None:
        choices = choices_of(info)
    else:
        return None
    if not choices or not isinstance(value, str):
        return None
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"unknown choice {_show(value)}.{hint} Allowed: one of {', '.join(choices)}"


def _unknown_key(root: type[BaseModel], loc: Loc, base: Loc) -> str:
    key = str(loc[-1])
    _, container = field_at(root, loc[:-1])
    names = list(container.model_fields) if container is not None else []
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    where = dotted((*base, *loc[:-1])) or "the scenario"
    return f"unknown field {key!r}.{hint} Allowed in {where}: {', '.join(names)}"


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return _kind(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---- what is allowed (shared with `leadsim interventions`) -----------------------------------------------------
def field_at(root: type[BaseModel], loc: Loc) -> tuple[FieldInfo | None, type[BaseModel] | None]:
    """The field at ``loc`` under ``root`` and the model that holds it (list indexes are skipped)."""
    model: type[BaseModel] | None = root
    info: FieldInfo | None = None
    for key in loc:
        if isinstance(key, int):
            continue
        if model is None or key not in model.model_fields:
            return None, model
        info = model.model_fields[key]
        model = _model_of(info.annotation)
    return info, model


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def describe(info: FieldInfo | None, model: type[BaseModel] | None = None) -> str:
    """What a field accepts, in words: ``an integer from 20 to 20,000,000 (people)``."""
    if model is not None and (info is None or _model_of(info.annotation) is model):
        if model is InterventionSpec:
            return "a mapping with type (see `leadsim interventions`), optional label, budget_share and params"
        return f"a mapping of {', '.join(model.model_fields)}"
    if info is None:
        return "see `leadsim schema`"
    text = type_words(info.annotation)
    low = _bound(info, (annotated_types.Ge, "ge"), (annotated_types.Gt, "gt"))
    high = _bound(info, (annotated_types.Le, "le"), (annotated_types.Lt, "lt"))
    if low is not None and high is not None:
        text += f" from {_num(low)} to {_num(high)}"
    elif low is not None:
        text += f" of at least {_num(low)}"
    elif high is not None:
        text += f" of at most {_num(high)}"
    if _pattern_choices(info):
        text = "one of " + ", ".join(_pattern_choices(info))
    unit = field_metadata(info)["unit"]
    return text if unit == NONE else f"{text} ({unit})"


def choices_of(info: FieldInfo) -> list[str]:
    """The words a choice field allows: its Literal's values, or the alternatives of a ``^(a|b)$`` pattern; none
    for other fields."""
    for arg in (info.annotation, *typing.get_args(info.annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return [str(a) for a in typing.get_args(arg)]
    return _pattern_choices(info)


def _pattern_choices(info: FieldInfo) -> list[str]:
    for meta in info.metadata:
        pattern = getattr(meta, "pattern", None)
        if pattern and pattern.startswith("^(") and pattern.endswith(")$"):
            return pattern[2:-2].split("|")
    return []


def type_words(annotation: Any) -> str:
    """``int | None`` → ``an integer or null``; ``Literal["final", "mean"]`` → ``one of final, mean``. Never a
    Python type's name: what a user can write in the file."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_words(a) for a in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin is typing.Annotated:
        return type_words(args[0])
    if origin is list and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return "a list of mappings"
    if origin is list:
        return f"a list of {type_words(args[0]).removeprefix('a ').removeprefix('an ')}" if args else "a list"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "a mapping"
    return {int: "an integer", float: "a number", str: "text", bool: "true or false", type(None): "null"}.get(
        annotation, "a value (see `leadsim schema`)")


def _bound(info: FieldInfo, *kinds: tuple[type, str]) -> float | None:
    for meta in info.metadata:
        for cls, attr in kinds:
            if isinstance(meta, cls):
                return getattr(meta, attr)
    return None


def _num(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"
