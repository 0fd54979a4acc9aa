"""People's state: typed numpy arrays indexed by a stable person id, with an alive mask.

Responsibilities: hold every person's state, declared once in :data:`PERSON_FIELDS` (name, dtype, shape, the
value a new slot starts at, whether a newcomer inherits it from the leaver whose role they take, and the name of
its attribute on the Mesa ``Person`` view). The store, its growth, turnover's hand-over of a role and the views
in ``agents.py`` all follow that list.

Arrays are the truth; the Mesa ``Person`` agents in ``agents.py`` are views onto them. Ids are never reused or
renumbered: a person who leaves keeps their id (``alive`` becomes False) and a replacement gets a new id, so results,
random streams and notebooks can refer to a person by id for the whole run. Storage is preallocated and grows
geometrically, so adding people is amortised O(1).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

CAPACITIES = ("connecting", "organizing", "systems_thinking", "bridging", "learning", "competence")
"""The leadership capacities: the five processes of "A New Leadership Mindset" plus individual competence,
which summarises MIT L2L's seven competencies."""
COLLECTIVE = slice(0, 5)
CONNECTING, ORGANIZING, SYSTEMS, BRIDGING, LEARNING, COMPETENCE = range(6)
N_CAPACITIES = len(CAPACITIES)
CAPACITY_SD = 0.14
"""The spread (sd) of people's starting capacities (Beta draws of concentration 10 around 0.3-0.5): the unit in
which effect sizes (d) become capacity gains, and leader quality becomes a relative change."""

STAFF, MANAGER, EXECUTIVE = 0, 1, 2
POSITIONS = ("staff", "manager", "executive")
NO_ORG = -1
NONE = -1


class PersonField(NamedTuple):
    """One person state variable: an array ``People.<name>`` of ``dtype`` with ``shape`` per person."""

    name: str
    dtype: type
    fill: float | int
    """The value every new slot starts at, so also a newcomer's unless ``inherited`` or drawn at arrival."""
    shape: tuple[int, ...] = ()
    inherited: bool = False
    """A newcomer takes the leaver's value (the role's organization, sector, position and place)."""
    view: str | None = None
    """The attribute of the Mesa ``Person`` view that reads (and, if ``writable``, writes) the array."""
    writable: bool = False


PERSON_FIELDS = (
    PersonField("alive", np.bool_, False, view="alive"),
    PersonField("org", np.int32, NO_ORG, inherited=True, view="org_id"),
    PersonField("sector", np.int16, NONE, inherited=True),
    PersonField("group", np.int16, 0, view="group"),
    PersonField("place", np.int16, 0, inherited=True),
    PersonField("position", np.int8, STAFF, inherited=True),
    PersonField("capacity", np.float32, 0.0, shape=(N_CAPACITIES,)),
    PersonField("base_capacity", np.float32, 0.0, shape=(N_CAPACITIES,)),
    PersonField("purpose", np.float32, 0.0, view="purpose", writable=True),
    PersonField("engagement", np.float32, 0.0, view="engagement", writable=True),
    PersonField("practice", np.float32, 0.0, view="practice"),
    PersonField("joined", np.int32, 0),
    PersonField("left", np.int32, NONE),
    PersonField("initiative", np.int32, NONE, view="initiative_id"),
    PersonField("trained", np.int16, 0, view="programmes_attended"),
    PersonField("unit", np.int32, NONE, inherited=True),
    PersonField("leads", np.int32, NONE, inherited=True),
)
"""Every person state variable. ``sector`` and ``position`` are shown by name, ``capacity`` as a dict and
``joined`` as ``tenure`` by properties of ``Person``; the others listed with a ``view`` are plain attributes."""
INHERITED = tuple(f.name for f in PERSON_FIELDS if f.inherited)


class People:
    """Struct-of-arrays store of everyone who has ever lived in the community.

    ``capacity`` is the current leadership capacity vector; ``base_capacity`` is what the person brought and keeps
    without practice (forgetting pulls gains back toward it); ``practice`` is the share of what they know that
    they get to apply (set each month by their organization's manager support and openness); ``trained`` counts
    the leader-development programmes a person attended (used by shocks and metrics, never by mechanisms).
    ``unit`` is the work unit a person belongs to (a manager's team, or the executive's: the managers, and the
    staff of an organization too small for managers); ``leads`` is the unit a manager or executive leads. Both
    belong to the role, so a newcomer inherits them; residents and executives belong to no unit.
    """

    def __init__(self, expected: int) -> None:
        self.count = 0
        self._size = max(16, int(expected))
        for f in PERSON_FIELDS:
            setattr(self, f.name, np.full((self._size, *f.shape), f.fill, dtype=f.dtype))

    # --------------------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """Allocated slots (ids below ``count`` are in use)."""
        return self._size

    def add(self, n: int, month: int) -> np.ndarray:
        """Reserve ``n`` new ids (alive, joined at ``month``, defaults elsewhere) and return them; the caller
        fills their state."""
        if self.count + n > self._size:
            self._grow(self.count + n)
        ids = np.arange(self.count, self.count + n, dtype=np.int64)
        self.count += n
        self.alive[ids] = True
        self.joined[ids] = month
        return ids

    def _grow(self, needed: int) -> None:
        new_size = max(needed, int(self._size * 1.5) + 16)
        for f in PERSON_FIELDS:
            new = np.full((new_size, *f.shape), f.fill, dtype=f.dtype)
            new[: self._size] = getattr(self, f.name)
            setattr(self, f.name, new)
        self._size = new_size

    def alive_ids(self) -> np.ndarray:
        """Ids of living people, ascending."""
        return np.flatnonzero(self.alive[: self.count])

    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in PERSON_FIELDS)


def influence_weight(position: np.ndarray, executive_influence: float) -> np.ndarray:
    """How much a person's practice weighs in their organization's learning: staff 1, managers sqrt(E), execs E."""
    weights = np.array([1.0, np.sqrt(executive_influence), executive_influence], dtype=np.float64)
    return weights.take(position)
