"""The interventions known by name: the strategies in this package, and every class ``@register`` adds.

Why a module of its own, and lazy: a strategy module defines Mesa agents and calls the compiled kernels, so
importing one loads Mesa and numba (about two seconds). Reading a scenario that names no intervention, or listing
the interventions, needs only their names and summaries. :func:`built_in` reads those from each module's source
without running it (the ``name`` and ``summary`` that every ``@register`` class spells out as text), and
:class:`Registry` imports a module the first time one of its classes is asked for. A module whose registered
classes do not spell both out is imported when the package's interventions are first listed.

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
    from .base import Intervention

PACKAGE = __name__.rpartition(".")[0]
FOLDER = Path(__file__).resolve().parent
SHARED = frozenset({"__init__", "base", "meetings", "registry", "selection"})
"""The package's modules that hold no strategy: the contract and its helpers."""


@dataclass(frozen=True)
class Entry:
    """A strategy of this package: its registered name, the module that defines it, and its one-line summary."""

    name: str
    module: str
    summary: str


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
            found = [(c.name, c.summary) for c in REGISTRY.loaded() if c.__module__ == module.__name__]
        entries.update((name, Entry(name, path.stem, summary)) for name, summary in found)
    return entries


def _spelt_out(path: Path) -> list[tuple[str, str]] | None:
    """``(name, summary)`` of each ``@register`` class of a module, read from its source; None if one of them
    does not assign both as plain text in its body."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ClassDef) or not any(
                isinstance(d, ast.Name) and d.id == "register" for d in node.decorator_list):
            continue
        text = {target.id: item.value.value for item in node.body if isinstance(item, ast.Assign)
                and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str)
                for target in item.targets if isinstance(target, ast.Name)}
        if "name" not in text or "summary" not in text:
            return None
        found.append((text["name"], text["summary"]))
    return found


class Registry(MutableMapping[str, "type[Intervention]"]):
    """Intervention classes by name (``simulation.REGISTRY``): a mapping whose built-in strategies load on first
    use. ``name in REGISTRY``, listing the names and :meth:`summary` import nothing; ``REGISTRY[name]`` imports
    the module that defines ``name`` if it is not loaded yet."""

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
