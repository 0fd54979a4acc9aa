"""Mesa agents: thin views onto the model's arrays, so ``model.agents``, SolaraViz and notebooks work.

Responsibilities: the Mesa views of people and organizations, and the ``Collective`` base of groups.
Reads and writes: the row of ``model.people`` or ``model.orgs`` the view stands for (nothing else).

The step never loops over these objects; it works on the arrays in ``people.py``, ``organizations.py`` and
``network.py``. Reading ``person.engagement`` reads the array; assigning to it writes the array.

>>> from simulation import LeadershipModel, Scenario
>>> model = LeadershipModel(Scenario(population={"people": 200}), rng=1)
>>> person = model.agents_by_type[Person][0]
>>> person.engagement = 0.9
>>> round(float(model.people.engagement[person.pid]), 6)  # float32 arrays
0.9
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from .people import CAPACITIES, PERSON_FIELDS, POSITIONS

if TYPE_CHECKING:
    from .model import LeadershipModel


class ArrayField:
    """Descriptor mapping the agent attribute ``name`` onto ``model.people.<array>[agent.pid]``."""

    def __init__(self, name: str, array: str, cast: type, writable: bool) -> None:
        self.name, self.array, self.cast, self.writable = name, array, cast, writable

    def __get__(self, agent: Any, owner: type | None = None) -> Any:
        if agent is None:
            return self
        return self.cast(getattr(agent.model.people, self.array)[agent.pid])

    def __set__(self, agent: Any, value: Any) -> None:
        if not self.writable:
            raise AttributeError(f"{self.name} is read-only")
        getattr(agent.model.people, self.array)[agent.pid] = value


class Person(mesa.Agent):
    """A person in the community: a view of row ``pid`` of the people arrays.

    Reading an attribute reads the arrays, writing one writes them (``capacity`` is the vector of
    :data:`~simulation.CAPACITIES`), so a notebook sees exactly what the step computes. Each field of
    ``people.PERSON_FIELDS`` that names a ``view`` is an attribute of that name (``engagement``, ``org_id``, ...);
    the properties below show the others.

    >>> from simulation import LeadershipModel, Person, Scenario
    >>> model = LeadershipModel(Scenario(population={"people": 200}, months=3), rng=1)
    >>> person = model.agents_by_type[Person][0]
    >>> person.pid, person.alive, 0.0 <= person.engagement <= 1.0
    (0, True, True)
    """

    __slots__ = ("pid",)

    def __init__(self, model: LeadershipModel, pid: int) -> None:
        super().__init__(model)
        self.pid = int(pid)

    @property
    def capacity(self) -> dict[str, float]:
        """Leadership capacities by name (a copy; write through :meth:`set_capacity`)."""
        row = self.model.people.capacity[self.pid]
        return {name: float(v) for name, v in zip(CAPACITIES, row, strict=True)}

    def set_capacity(self, name: str, value: float) -> None:
        self.model.people.capacity[self.pid, CAPACITIES.index(name)] = value

    @property
    def position(self) -> str:
        return POSITIONS[int(self.model.people.position[self.pid])]

    @property
    def sector(self) -> str:
        s = int(self.model.people.sector[self.pid])
        return self.model.params.population.sectors[s] if s >= 0 else "residents"

    @property
    def organization(self) -> Organization | None:
        o = self.org_id
        return self.model.organizations[o] if o >= 0 else None

    @property
    def tenure(self) -> int:
        """Months since the person joined the community."""
        return self.model.month - int(self.model.people.joined[self.pid])

    def contacts(self) -> np.ndarray:
        """Ids of this person's contacts."""
        t = self.model.ties
        return np.concatenate([t.dst[t.src == self.pid], t.src[t.dst == self.pid]]).astype(np.int64)

    def __repr__(self) -> str:
        return f"Person(pid={self.pid}, {self.position}, {self.sector}, engagement={self.engagement:.2f})"


def _add_array_fields(cls: type) -> None:
    """An :class:`ArrayField` on ``cls`` for each person field that names a view (cast by the array's kind)."""
    casts = {"b": bool, "i": int, "u": int, "f": float}
    for field in PERSON_FIELDS:
        if field.view is not None:
            cast = casts[np.dtype(field.dtype).kind]
            setattr(cls, field.view, ArrayField(field.view, field.name, cast, field.writable))


_add_array_fields(Person)


class Organization(mesa.Agent):
    """An organization: a view of row ``oid`` of the organization arrays.

    >>> from simulation import LeadershipModel, Organization, Scenario
    >>> model = LeadershipModel(Scenario(population={"people": 200}, months=3), rng=1)
    >>> org = model.agents_by_type[Organization][0]
    >>> org.sector in model.params.population.sectors, 0.0 <= org.openness <= 1.0
    (True, True)
    """

    def __init__(self, model: LeadershipModel, oid: int) -> None:
        super().__init__(model)
        self.oid = int(oid)

    @property
    def sector(self) -> str:
        return self.model.params.population.sectors[int(self.model.orgs.sector[self.oid])]

    @property
    def openness(self) -> float:
        return float(self.model.orgs.openness[self.oid])

    @property
    def manager_support(self) -> float:
        return float(self.model.orgs.manager_support[self.oid])

    @property
    def practice(self) -> dict[str, float]:
        return {name: float(v) for name, v in zip(CAPACITIES, self.model.orgs.practice[self.oid], strict=True)}

    @property
    def practice_level(self) -> float:
        return float(self.model.orgs.practice[self.oid].mean())

    @property
    def size(self) -> int:
        return int(self.model.orgs.size[self.oid])

    def member_ids(self) -> np.ndarray:
        p = self.model.people
        return np.flatnonzero(p.alive[: p.count] & (p.org[: p.count] == self.oid))

    def __repr__(self) -> str:
        return f"Organization(oid={self.oid}, {self.sector}, size={self.size}, practice={self.practice_level:.2f})"


class Collective(mesa.Agent):
    """A group that interventions or people create: an initiative, a cohort's alumni network, a community of
    practice. Members are person ids; ``kind`` says what it is; ``active`` says whether it still meets."""

    kind = "collective"

    def __init__(self, model: LeadershipModel, members: np.ndarray, label: str = "") -> None:
        super().__init__(model)
        self.members = np.asarray(members, dtype=np.int64)
        self.label = label
        self.created = model.month
        self.active = True

    def living_members(self) -> np.ndarray:
        self.members = self.members[self.model.people.alive[self.members]]
        return self.members

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label or self.unique_id}, members={len(self.members)})"
