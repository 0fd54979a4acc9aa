"""The layering: the model core imports nothing from the application around it."""

import ast
from pathlib import Path

import simulation

CORE = Path(simulation.__file__).resolve().parent / "core"


def _imported_modules(path: Path) -> list[str]:
    """Absolute names of the package modules ``path`` imports (relative imports resolved)."""
    package = ["simulation", *path.relative_to(CORE.parent).parent.parts]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            names.append(".".join(base + ([node.module] if node.module else [])))
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return [n for n in names if n.split(".")[0] == "simulation"]


def test_the_core_imports_only_the_core():
    outside = {f"{p.relative_to(CORE)}: {name}" for p in CORE.rglob("*.py") for name in _imported_modules(p)
               if not name.startswith("simulation.core")}
    assert not outside


def test_the_check_resolves_relative_imports():
    assert "simulation.core.scenario" in _imported_modules(CORE / "model.py")
    assert "simulation.core.network" in _imported_modules(CORE / "interventions" / "meetings.py")
    assert "simulation.execution" in _imported_modules(CORE.parent / "results.py")  # would be caught in the core


def test_every_kernel_takes_its_decorator_from_compiled():
    """A kernel decorated with numba's own njit would miss leadsim's cache folder, unless another module happened
    to import compiled.py first; taking it from compiled.py chooses the folder before any kernel is decorated."""
    direct = [str(p.relative_to(CORE)) for p in CORE.rglob("*.py") if p.name != "compiled.py"
              and any(isinstance(node, ast.ImportFrom) and node.module == "numba"
                      for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert not direct, f"use `from .compiled import njit` in {direct}"
