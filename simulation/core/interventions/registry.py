"""The interventions known by name: the strategies in this package, and every class ``@register`` adds.

Why a module of its own, and lazy: a strategy module defines Mesa agents and calls the compiled kernels, so
importing one loads Mesa and numba (about two seconds). Reading a scenario, or describing the interventions, needs
only their names, summaries, sources and parameters. :func:`built_in` reads those from each module's source
without running it: the ``name``, ``summary`` and ``source`` that every ``@register`` class spells out as text, and
where its ``Params`` class comes from (the module's ``from .params.<module> import ...``: parameter modules import
neither Mesa nor numba). :class:`Registry` imports a strategy's module the first time its class is asked for. A
module whose registered classes do not spell out a name and a summary is imported when the package's interventions
are first listed; a class whose source or parameters are not spelt out is imported when they are first asked for.

Reads the package's source files; writes nothing.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Intervention, InterventionParams

PACKAGE = __name__.rpartition(".")[0]
FOLDER = Path(__file__).resolve().parent
SHARED = frozenset({"__init__", "base", "meetings", "registry", "selection"})
"""The package's modules that hold no strategy: the contract and its helpers."""
BASE = (f"{PACKAGE}.base", "Intervention", "InterventionParams")
"""The contract's module, its class, and the parameters a subclass that sets no ``Params`` inherits."""


@dataclass(frozen=True)
class Entry:
    """A strategy of this package: its registered name, the module that defines it, its one-line summary, and,
    when its source spells them out, its ``source`` and the ``(module, class)`` of its ``Params`` (else None)."""

    name: str
    module: str
    summary: str
    source: str | None = None
    params: tuple[str, str] | None = None


@cache
def built_in() -> dict[str, Entry]:
    """The package's strategies by name, in the order of their modules' names and, within one, of definition."""
    entries: dict[str, Entry] = {}
    for path in sorted(FOLDER.glob("*.py")):
        if path.stem in SHARED or path.stem.startswith("_"):
            continue
        found = _spelt_out(path)
        if found is None:  # not readable without running it: import it and ask the classes it registered
            module = importlib.import_module(f"{PACKAGE}.{path.stem}")
            found = [Entry(c.name, path.stem, c.summary, c.source, (c.Params.__module__, c.Params.__qualname__))
                     for c in REGISTRY.loaded() if c.__module__ == module.__name__]
        entries.update((entry.name, entry) for entry in found)
    return entries


def _spelt_out(path: Path) -> list[Entry] | None:
    """The entry of each ``@register`` class of a module, read from its source; None if one of them does not
    assign its ``name`` and ``summary`` as plain text in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name: (_absolute(node), alias.name) for node in tree.body
                if isinstance(node, ast.ImportFrom) for alias in node.names}
    found = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not any(
                isinstance(d, ast.Name) and d.id == "register" for d in node.decorator_list):
            continue
        assigned = {target.id: item.value for item in node.body if isinstance(item, ast.Assign)
                    for target in item.targets if isinstance(target, ast.Name)}
        text = {key: value.value for key, value in assigned.items()
                if isinstance(value, ast.Constant) and isinstance(value.value, str)}
        if "name" not in text or "summary" not in text:
            return None
        # a direct subclass of Intervention that sets no source or Params has the contract's
        direct = [imported.get(base.id) for base in node.bases if isinstance(base, ast.Name)] == [BASE[:2]]
        found.append(Entry(text["name"], path.stem, text["summary"], text.get("source", "" if direct else None),
                           _params_of(assigned.get("Params"), imported, direct)))
    return found


def _params_of(value: ast.expr | None, imported: dict[str, tuple[str, str]], direct: bool) -> tuple[str, str] | None:
    """``(module, class)`` of a class's ``Params``: a name its module imports, or the contract's when a direct
    subclass of Intervention sets none; None when the source does not say (defined in the strategy's module)."""
    if isinstance(value, ast.Name):
        return imported.get(value.id)
    return (BASE[0], BASE[2]) if value is None and direct else None


def _absolute(node: ast.ImportFrom) -> str:
    """The module a package module's ``from ... import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    parts = PACKAGE.split(".")
    return ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))


class Registry(MutableMapping[str, "type[Intervention]"]):
    """Intervention classes by name (``simulation.REGISTRY``): a mapping whose built-in strategies load on first
    use. ``name in REGISTRY``, listing the names, :meth:`summary` and :meth:`source` import nothing, and
    :meth:`params` only the parameter module; ``REGISTRY[name]`` imports the module that defines ``name`` if it is
    not loaded yet."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Intervention]] = {}
        self._removed: set[str] = set()  # built-in names deleted from the registry

    def loaded(self) -> list[type[Intervention]]:
        """The classes registered so far (imported), in the order they were registered."""
        return list(self._classes.values())

    def summary(self, name: str) -> str:
        """The one-line summary of ``name``, without importing its module."""
        if name in self._classes:
            return self._classes[name].summary
        if name in self:
            return built_in()[name].summary
        raise KeyError(name)

    def source(self, name: str) -> str:
        """Where the mechanism of ``name`` comes from, without importing its module if its source spells it out."""
        entry = self._unloaded(name)
        return entry.source if entry is not None and entry.source is not None else self[name].source

    def params(self, name: str) -> type[InterventionParams]:
        """The parameter class of ``name`` (its ``Params``): a built-in strategy's from its parameter module,
        without importing the strategy's module (nor Mesa and the kernels)."""
        entry = self._unloaded(name)
        if entry is not None and entry.params is not None:
            module, cls = entry.params
            return getattr(importlib.import_module(module), cls)
        return self[name].Params

    def _unloaded(self, name: str) -> Entry | None:
        """The built-in entry of ``name`` if its class is not imported yet (and not deleted); else None."""
        return built_in()[name] if name not in self._classes and name in self else None

    def __getitem__(self, name: str) -> type[Intervention]:
        if name not in self._classes and name in self:
            importlib.import_module(f"{PACKAGE}.{built_in()[name].module}")  # its @register fills the entry
        return self._classes[name]

    def __setitem__(self, name: str, cls: type[Intervention]) -> None:
        self._classes[name] = cls
        self._removed.discard(name)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._classes.pop(name, None)
        if name in built_in():
            self._removed.add(name)

    def __contains__(self, name: object) -> bool:
        return name in self._classes or (name in built_in() and name not in self._removed)

    def __iter__(self) -> Iterator[str]:
        names = [n for n in built_in() if n not in self._removed]
        return iter(names + [n for n in self._classes if n not in built_in()])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"Registry({', '.join(self)})"


REGISTRY = Registry()
"""Every intervention by name; :func:`~simulation.core.interventions.base.register` adds to it."""
