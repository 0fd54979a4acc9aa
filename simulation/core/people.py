"""People's state: typed numpy arrays indexed by a stable person id, with an alive mask.

Arrays are the truth; the Mesa ``Person`` agents in ``agents.py`` are views onto them. Ids are never reused or
renumbered: a person who leaves keeps their id (``alive`` becomes False) and a replacement gets a new id, so results,
random streams and notebooks can refer to a person by id for the whole run. Storage is preallocated and grows
geometrically, so adding people is amortised O(1).
"""

from __future__ import annotations

import numpy as np

CAPACITIES = ("connecting", "organizing", "systems_thinking", "bridging", "learning", "competence")
"""The leadership capacities: the five processes of "A New Leadership Mindset" plus individual competence,
which summarises MIT L2L's seven competencies."""
COLLECTIVE = slice(0, 5)
CONNECTING, ORGANIZING, SYSTEMS, BRIDGING, LEARNING, COMPETENCE = range(6)
N_CAPACITIES = len(CAPACITIES)

STAFF, MANAGER, EXECUTIVE = 0, 1, 2
POSITIONS = ("staff", "manager", "executive")
NO_ORG = -1
NONE = -1

_FIELDS: dict[str, tuple[np.dtype, tuple[int, ...], float | int]] = {
    "alive": (np.dtype(bool), (), False),
    "org": (np.dtype(np.int32), (), NO_ORG),
    "sector": (np.dtype(np.int16), (), NONE),
    "group": (np.dtype(np.int16), (), 0),
    "place": (np.dtype(np.int16), (), 0),
    "position": (np.dtype(np.int8), (), STAFF),
    "capacity": (np.dtype(np.float32), (N_CAPACITIES,), 0.0),
    "base_capacity": (np.dtype(np.float32), (N_CAPACITIES,), 0.0),
    "purpose": (np.dtype(np.float32), (), 0.0),
    "engagement": (np.dtype(np.float32), (), 0.0),
    "practice": (np.dtype(np.float32), (), 0.0),
    "joined": (np.dtype(np.int32), (), 0),
    "left": (np.dtype(np.int32), (), NONE),
    "initiative": (np.dtype(np.int32), (), NONE),
    "trained": (np.dtype(np.int16), (), 0),
}


class People:
    """Struct-of-arrays store of everyone who has ever lived in the community.

    ``capacity`` is the current leadership capacity vector; ``base_capacity`` is what the person brought and keeps
    without practice (forgetting pulls gains back toward it); ``practice`` is the share of what they know that
    they get to apply (set each month by their organization's manager support and openness); ``trained`` counts
    the leader-development programmes a person attended (used by shocks and metrics, never by mechanisms).
    """

    def __init__(self, expected: int) -> None:
        self.count = 0
        self._size = max(16, int(expected))
        for name, (dtype, shape, fill) in _FIELDS.items():
            setattr(self, name, np.full((self._size, *shape), fill, dtype=dtype))

    # --------------------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """Allocated slots (ids below ``count`` are in use)."""
        return self._size

    def add(self, n: int) -> np.ndarray:
        """Reserve ``n`` new ids (alive, defaults elsewhere) and return them; the caller fills their state."""
        if self.count + n > self._size:
            self._grow(self.count + n)
        ids = np.arange(self.count, self.count + n, dtype=np.int64)
        self.count += n
        self.alive[ids] = True
        return ids

    def _grow(self, needed: int) -> None:
        new_size = max(needed, int(self._size * 1.5) + 16)
        for name, (dtype, shape, fill) in _FIELDS.items():
            old = getattr(self, name)
            new = np.full((new_size, *shape), fill, dtype=dtype)
            new[: self._size] = old
            setattr(self, name, new)
        self._size = new_size

    def alive_ids(self) -> np.ndarray:
        """Ids of living people, ascending."""
        return np.flatnonzero(self.alive[: self.count])

    def view(self, name: str) -> np.ndarray:
        """The used part of an array (ids ``0..count-1``), for vectorised work that masks by ``alive``."""
        return getattr(self, name)[: self.count]

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in _FIELDS)


def influence_weight(position: np.ndarray, executive_influence: float) -> np.ndarray:
    """How much a person's practice weighs in their organization's learning: staff 1, managers sqrt(E), execs E."""
    weights = np.array([1.0, np.sqrt(executive_influence), executive_influence], dtype=np.float64)
    return weights.take(position)
