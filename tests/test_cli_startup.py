"""Start-up: `leadsim --help` and every command's parser load neither the model nor pandas; the public names of
`import simulation` load on first use; the first compile of the kernels on a machine says so, once."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numba
import pytest
from cli_support import BASELINE, SCENARIOS, SMALL, leadsim

import simulation
from simulation import kernel_warmup

LEADERSHIP = SCENARIOS / "leader_vs_leadership" / "leadership.yaml"  # three interventions
HEAVY = ("mesa", "numba", "pandas", "numpy", "pydantic", "matplotlib", "scipy", "yaml")


def _modules_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_the_parser_of_every_command_loads_nothing_heavy() -> None:
    loaded = _modules_after("import simulation.cli\nsimulation.cli.build_parser()")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_import_simulation_is_light_and_its_names_load_on_first_use() -> None:
    assert not _modules_after("import simulation") & set(HEAVY)
    assert "mesa" not in _modules_after("from simulation import Scenario\nScenario()")
    assert set(simulation.__all__) <= set(dir(simulation))
    for name in simulation.__all__:
        assert getattr(simulation, name) is not None
    from simulation import run  # noqa: F401  (the `from` form works too)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        simulation.nope  # noqa: B018


@pytest.mark.parametrize("argv", [["validate", str(BASELINE)], ["validate", str(LEADERSHIP)], ["interventions"],
                                  ["interventions", "hosting"]])
def test_validate_and_the_list_of_interventions_load_neither_mesa_nor_numba(argv: list[str]) -> None:
    """`leadsim validate` of a scenario, with or without interventions, and `leadsim interventions` with or
    without a name, read names and parameters only: the strategies' Mesa agents and the compiled kernels stay
    unloaded (the start-up times in the README rest on it)."""
    loaded = _modules_after("from simulation.cli import main\nimport contextlib, io\n"
                            f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main({argv!r}) == 0")
    assert not loaded & {"mesa", "numba", "pandas", "scipy"}, loaded & {"mesa", "numba", "pandas", "scipy"}


def test_the_registry_knows_the_strategies_before_importing_them() -> None:
    """The names, modules, summaries, sources and parameter classes read from the package's source are those of
    the classes its modules register when imported, in their order; every parameter class loads without Mesa or
    numba; and a name's class loads on first use."""
    code = ("from simulation.core.interventions import REGISTRY\n"
            "from simulation.core.interventions.registry import built_in\n"
            "names = list(REGISTRY)\nparams = {name: REGISTRY.params(name) for name in names}\n"
            "assert not {'mesa', 'numba'} & set(sys.modules), 'a parameter module loads Mesa or numba'\n"
            "hosting = REGISTRY['hosting']\n"
            "assert 'mesa' in sys.modules and hosting.__module__.endswith('.hosting')\n"
            "read = {e.name: (e.module, e.summary, e.source) for e in built_in().values()}\n"
            "classes = [REGISTRY[name] for name in names]\n"
            "assert read == {c.name: (c.__module__.rsplit('.', 1)[1], c.summary, c.source) for c in classes}, read\n"
            "assert all(params[c.name] is c.Params for c in classes), params\n"
            "assert names == list(read) and len(names) == len(REGISTRY)")
    _modules_after(code)


def test_the_registry_gives_a_registered_class_its_own_params() -> None:
    """A class registered in a notebook, or one that replaces a deleted built-in, is asked for its own Params and
    source; a deleted built-in has none."""
    code = ("from simulation.core.interventions import REGISTRY, Intervention, InterventionParams, register\n"
            "class P(InterventionParams):\n    x: int = 1\n"
            "@register\nclass Mine(Intervention):\n    name, summary, source, Params = 'mine', 's', 'here', P\n"
            "assert REGISTRY.params('mine') is P and REGISTRY.source('mine') == 'here'\n"
            "del REGISTRY['hosting']\n"
            "try:\n    REGISTRY.params('hosting')\nexcept KeyError:\n    pass\n"
            "else:\n    raise AssertionError('a deleted intervention has parameters')\n"
            "@register\nclass Other(Intervention):\n    name, summary, Params = 'hosting', 's', P\n"
            "assert REGISTRY.params('hosting') is P and REGISTRY.source('hosting') == ''")
    assert "mesa" not in _modules_after(code)


def test_help_and_version_exit_cleanly(tmp_path: Path) -> None:
    assert leadsim("--version", cwd=tmp_path).stdout.startswith("leadsim ")
    for command in ("run", "validate", "compare", "interventions", "schema", "sweep", "sensitivity", "viz"):
        result = leadsim(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "usage: leadsim" in result.stdout, (command, result.stderr)


def test_ensure_kernels_says_so_once_and_only_when_the_cache_lacks_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    loaded = []
    monkeypatch.setattr(kernel_warmup, "load_kernels", lambda: loaded.append(1) or (tmp_path / kernel_warmup.MARKER)
                        .touch())
    said: list[str] = []
    kernel_warmup.ensure_kernels(said.append)
    kernel_warmup.ensure_kernels(said.append)
    assert said == [f"compiling the model's kernels once for this machine (about {kernel_warmup.COMPILE_SECONDS} "
                    "s)"] and loaded == [1]


def test_the_first_run_with_an_uncompiled_cache_says_it_compiles(tmp_path: Path) -> None:
    """A copy of this machine's kernel cache without the marker stands for a machine that never compiled (a real
    empty cache would spend half a minute compiling): the line shows on the first run only."""
    kernel_warmup.load_kernels()  # this process's cache folder is complete and marked
    cache = tmp_path / "cache"
    shutil.copytree(numba.config.CACHE_DIR, cache)
    (cache / kernel_warmup.MARKER).unlink()
    env = {"NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    first = leadsim("run", BASELINE, *SMALL, "-r", "1", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "leadsim: compiling the model's kernels once for this machine (about" in first.stderr
    second = leadsim("run", BASELINE, *SMALL, "-r", "1", cwd=tmp_path, env=env)
    assert second.returncode == 0 and "compiling" not in second.stderr, second.stderr


def test_long_commands_say_what_they_do_on_a_terminal(tmp_path: Path, monkeypatch, capsys) -> None:
    """A sweep: a line before the study machinery loads, the plan before workers start, a line when the runs are
    done; a run: a line when it writes its results. On a terminal only (a failing command in a log stays one
    error line)."""
    from studies_support import write_study

    from simulation.cli import _shared, main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_shared, "interactive", lambda: True)
    study = write_study(tmp_path)
    assert main(["sweep", str(study), "--workers", "1", "--no-analysis"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"leadsim: reading {study} and planning its runs"
    assert lines[1].startswith("leadsim: sweep tiny: study tiny: ") and lines[1].endswith("; starting")
    assert any(re.fullmatch(r"leadsim: tiny: all \d+ runs done; writing the study's tables \(and analysis\)", line)
               for line in lines), lines
    assert main(["run", str(BASELINE), *SMALL, "-r", "1", "--out", "r"]) == 0
    assert "leadsim: writing the results and figures (1 run)" in capsys.readouterr().err
    monkeypatch.setattr(_shared, "interactive", lambda: False)
    assert main(["run", str(BASELINE), *SMALL, "-r", "1", "--out", "q"]) == 0
    assert capsys.readouterr().err == ""
