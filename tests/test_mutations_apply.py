"""Every mutation of the mutation check (tests/mutations.py) still applies to the code as it is: its text occurs
exactly once in its file. A refactor that moves the mutated line (as moving the interventions' parameters into
``params/`` did) fails here, in the suite, instead of at the next ``make mutations``."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import mutations  # noqa: E402


@pytest.mark.parametrize("mutation", mutations.MUTATIONS, ids=lambda m: m.name)
def test_the_mutation_applies_to_the_current_code(mutation) -> None:
    mutations.check(mutation, ROOT)


def test_a_mutation_whose_text_moved_is_refused(tmp_path) -> None:
    moved = mutations.Mutation("moved", "simulation/core/community.py", "no such line", "other", "a test")
    with pytest.raises(mutations.MutationError, match="occurs 0 times"):
        mutations.check(moved, ROOT)
