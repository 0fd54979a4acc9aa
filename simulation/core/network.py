"""Ties: weighted, typed, undirected edges between person ids, kept as arrays sorted by pair key.

Why sorted edge arrays and not a networkx graph or a sparse matrix: the step needs neighbour sums, membership
tests for new pairs (binary search in the sorted keys), insertions and bulk removal (which keeps the order). Each
is one compiled pass over the arrays (``tie_kernels.py``), with no Python loop.

Only this module and ``tie_kernels.py`` know how a pair is encoded in its key; everything else reads a tie's
two ends (:attr:`Ties.ends`, :attr:`Ties.src`, :attr:`Ties.dst`) and asks :class:`Ties` (or
:func:`tie_kernels.tied`) about pairs.

Kinds: ``WORK`` (colleagues), ``COMMUNITY`` (residents' neighbours and family) are kept up by daily life;
``CROSS_ORG`` (another organization, same sector) and ``CROSS_SECTOR`` (another sector, or a resident and an
employee) are the bridges, which fade unless shared activity reinforces them (Burt 2002). :func:`classify` gives a
pair's kind.
"""

from __future__ import annotations

import sys

import numpy as np

from . import tie_kernels as kernels
from .streams import Streams, pair_ids
from .tie_kernels import COMMUNITY, CROSS_ORG, CROSS_SECTOR, KIND_NAMES, WORK

__all__ = ["COMMUNITY", "CROSS_ORG", "CROSS_SECTOR", "KIND_NAMES", "WORK", "Ties", "classify"]
_LOW = 0 if sys.byteorder == "little" else 1  # which int32 half of a uint64 key holds the lower id


def _kinds(kind: np.ndarray | int, count: int) -> np.ndarray:
    """One int8 kind per pair, from an array of kinds or a single kind for all."""
    kinds = np.asarray(kind, dtype=np.int8)
    return np.full(count, kinds, dtype=np.int8) if kinds.ndim == 0 else kinds.ravel()


def _read_only(view: np.ndarray) -> np.ndarray:
    view.flags.writeable = False
    return view


class Ties:
    """The social network of one run.

    The four tie arrays live in preallocated buffers that grow geometrically (``key`` and the others are views
    of their used part). Removals compact them in place; insertions are appended in place when they all sort
    last (newcomers' ties), and otherwise merged into a second, spare set of buffers that then swaps in. The
    tie list is thus never copied to fresh memory, whose page faults cost more than the copy itself.
    """

    _BUFFERS = ("_key", "_weight", "_kind", "_last")
    _DTYPES = (np.uint64, np.float32, np.int8, np.int32)

    def __init__(self) -> None:
        self._n = 0
        for name, dtype in zip(self._BUFFERS, self._DTYPES, strict=True):
            setattr(self, name, np.zeros(16, dtype=dtype))
            setattr(self, name + "_spare", np.zeros(16, dtype=dtype))

    def __len__(self) -> int:
        return self._n

    @property
    def key(self) -> np.ndarray:
        """Pair keys ``higher id << 32 | lower id``, sorted ascending (uint64)."""
        return self._key[: self._n]

    @property
    def weight(self) -> np.ndarray:
        """Tie strength in [0, 1] (float32)."""
        return self._weight[: self._n]

    @property
    def kind(self) -> np.ndarray:
        """``WORK``, ``COMMUNITY``, ``CROSS_ORG`` or ``CROSS_SECTOR`` (int8)."""
        return self._kind[: self._n]

    @property
    def last(self) -> np.ndarray:
        """The month each tie was last reinforced or formed (int32)."""
        return self._last[: self._n]

    def _reserve(self, extra: int) -> None:
        """Make room for ``extra`` more ties (growing the buffers by half, at least)."""
        needed = self._n + int(extra)
        if needed <= len(self._key):
            return
        size = max(needed, int(len(self._key) * 1.5) + 16)
        for name in self._BUFFERS:
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: self._n] = old[: self._n]
            setattr(self, name, new)
            setattr(self, name + "_spare", np.zeros(size, dtype=old.dtype))

    def nbytes(self) -> int:
        """Bytes held by the tie buffers (both sets, spare room included)."""
        return sum(getattr(self, name).nbytes + getattr(self, name + "_spare").nbytes for name in self._BUFFERS)

    def _prepare_pairs(self, a: np.ndarray, b: np.ndarray, kind: np.ndarray | int) -> tuple[np.ndarray, ...]:
        """Pairs as int64 arrays with one int8 kind each, and room in the buffers for one new tie per pair."""
        a = np.asarray(a, dtype=np.int64).ravel()
        b = np.asarray(b, dtype=np.int64).ravel()
        self._reserve(len(a))
        return a, b, _kinds(kind, len(a))

    def _swap(self) -> None:
        """The spare buffers (just written by a merge) become the live ones."""
        for name in self._BUFFERS:
            live, spare = getattr(self, name), getattr(self, name + "_spare")
            setattr(self, name, spare)
            setattr(self, name + "_spare", live)

    @property
    def ends(self) -> np.ndarray:
        """Each tie's (lower id, higher id): a read-only (ties x 2) int32 view of the keys, not a stored array.

        Why a view: the monthly rewrite of the tie list moves every stored array, so deriving both ends from the
        key makes it a third cheaper (and the tie list a third smaller in memory). Why one 2-column view rather
        than two strided ones: compiled loops read it as fast as the keys themselves (a fifth faster than
        ``src`` and ``dst``). The higher ids (column 1) ascend, since the keys do.
        """
        pairs = self.key.view(np.int32).reshape(-1, 2)
        return _read_only(pairs if _LOW == 0 else pairs[:, ::-1])

    @property
    def src(self) -> np.ndarray:
        """The lower id of each tie (int32 view)."""
        return self.ends[:, 0]

    @property
    def dst(self) -> np.ndarray:
        """The higher id of each tie (int32 view), ascending."""
        return self.ends[:, 1]

    # ---- building and changing ---------------------------------------------------------------------------
    def upsert(self, a: np.ndarray, b: np.ndarray, kind: np.ndarray, month: int, new_weight: float,
               reinforcement: float) -> int:
        """Create ties for new pairs and reinforce those that exist; returns how many ties were created.

        ``kind`` gives the kind of each pair (used only for new ties). Self-pairs and repeats are ignored.
        """
        a, b, kinds = self._prepare_pairs(a, b, kind)
        created, merged = kernels.upsert_pairs(self._key, self._weight, self._kind, self._last, self._n, a, b, kinds,
                                               np.int32(month), float(new_weight), float(reinforcement),
                                               self._key_spare, self._weight_spare, self._kind_spare,
                                               self._last_spare)
        if merged:
            self._swap()
        self._n += created
        return int(created)

    def keep(self, mask: np.ndarray) -> None:
        """Drop every tie where ``mask`` is False (order, and so sortedness, is preserved)."""
        self._n = kernels.compact(self._key, self._weight, self._kind, self._last, self._n,
                                  np.asarray(mask, dtype=bool))

    def reinforce_where(self, mask: np.ndarray, month: int, reinforcement: float) -> None:
        """Shared activity: ties selected by ``mask`` (boolean, or tie indices) gain weight and count as reinforced."""
        self.weight[mask] += reinforcement * (1.0 - self.weight[mask])
        self.last[mask] = month

    def reinforce_within(self, label: np.ndarray, month: int, reinforcement: float) -> None:
        """Reinforce every tie whose two ends carry the same non-negative label (e.g. the same initiative)."""
        kernels.reinforce_same_label(self.key, self.weight, self.last, np.ascontiguousarray(label), np.int32(month),
                                     float(reinforcement))

    def decay(self, month: int, weak_monthly: float, strong_monthly: float, strong_weight: float,
              weight_decay: float, streams: Streams) -> int:
        """Unreinforced bridges lose weight and may dissolve; returns how many ties dissolved.

        A tie reinforced this month is safe. Others survive with a monthly probability that depends on whether
        they are strong (weight at or above ``strong_weight``). The draw is keyed by the pair, so a tie's fate
        does not depend on other ties (common random numbers). This is :meth:`upsert_and_decay` with no pairs.
        """
        none = np.zeros(0, np.int64)
        return self.upsert_and_decay(none, none, WORK, month, 0.0, 0.0, weak_monthly, strong_monthly, strong_weight,
                                     weight_decay, streams)[1]

    def upsert_and_decay(self, a: np.ndarray, b: np.ndarray, kind: np.ndarray, month: int, new_weight: float,
                         reinforcement: float, weak_monthly: float, strong_monthly: float, strong_weight: float,
                         weight_decay: float, streams: Streams) -> tuple[int, int]:
        """:meth:`upsert` then :meth:`decay`, with the same result, in one rewrite of the tie list (the month's
        new meetings and the decay of bridges are its two big changes); returns (ties created, ties dissolved)."""
        a, b, kinds = self._prepare_pairs(a, b, kind)
        before = self._n
        created, left = kernels.upsert_and_decay(
            self._key, self._weight, self._kind, self._last, self._n, a, b, kinds, np.int32(month), float(new_weight),
            float(reinforcement), np.float32(1.0 - weight_decay), np.float32(strong_weight), float(strong_monthly),
            float(weak_monthly), streams.offset("tie.decay", month), self._key_spare, self._weight_spare,
            self._kind_spare, self._last_spare)
        self._swap()
        self._n = left
        return int(created), int(before + created - left)

    def hand_over(self, leavers: np.ndarray, newcomers: np.ndarray, size: int, month: int, weight: float) -> None:
        """A newcomer takes over the leaver's structural ties (colleagues of the role; a resident's neighbours)
        at a fresh weight. Every bridge of a leaver goes with them: leaders leave with their relationships.
        """
        self._n, merged = kernels.hand_over(self._key, self._weight, self._kind, self._last, self._n,
                                            np.asarray(leavers, np.int64), np.asarray(newcomers, np.int64), int(size),
                                            np.int32(month), float(weight), self._key_spare, self._weight_spare,
                                            self._kind_spare, self._last_spare)
        if merged:
            self._swap()

    # ---- reading -----------------------------------------------------------------------------------------
    def neighbor_sum(self, values: np.ndarray, n: int, weighted: bool = False) -> np.ndarray:
        """For each id < n, the sum of ``values`` over their contacts (optionally weighted by tie weight).

        ``values`` of shape (n,) or (n, k): a 2-D array sums k value vectors in one pass over the ties.
        """
        x = np.asarray(values[:n], dtype=np.float64)
        sums = kernels.edge_sums(self.ends, self.weight, np.ascontiguousarray(x.reshape(n, -1)), n, weighted)
        return sums if x.ndim == 2 else sums[:, 0]

    def degree(self, n: int) -> np.ndarray:
        """For each id < n, their number of ties."""
        return np.bincount(self.src, minlength=n)[:n] + np.bincount(self.dst, minlength=n)[:n]

    def find(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The index of the tie of each pair (a[j], b[j]) in the tie arrays, or -1 where they are not tied."""
        keys = pair_ids(np.asarray(a), np.asarray(b))  # a tie's key is its pair's stream counter
        if len(self.key) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.key, keys), len(self.key) - 1)
        return np.where(self.key[pos] == keys, pos, -1)

    def exists(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether each pair (a[j], b[j]) is tied."""
        return self.find(a, b) >= 0

    def incident(self, nodes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All ties touching ``nodes``: (node, contact, tie index) arrays, one row per tie end in ``nodes``.

        Keys are sorted by the higher id, so ties where a node is the higher end are contiguous (found by binary
        search); only ties where it is the lower end need a scan of the edge list.
        """
        nodes = np.asarray(nodes, dtype=np.int64)
        if len(nodes) > 1 and not (nodes[1:] > nodes[:-1]).all():  # callers often pass sorted, unique ids
            nodes = np.unique(nodes)
        lo = np.searchsorted(self.key, nodes.astype(np.uint64) << kernels.SHIFT)
        hi = np.searchsorted(self.key, (nodes + 1).astype(np.uint64) << kernels.SHIFT)
        counts = hi - lo
        first = np.repeat(lo - np.cumsum(counts) + counts, counts)
        upper_idx = first + np.arange(int(counts.sum()))
        want = np.zeros(n, dtype=bool)
        want[nodes] = True
        lower_idx = np.flatnonzero(want.take(self.src))
        idx = np.concatenate([upper_idx, lower_idx])
        src, dst = self.src, self.dst
        node = np.concatenate([np.repeat(nodes, counts), src.take(lower_idx)]).astype(np.int64)
        other = np.concatenate([src.take(upper_idx), dst.take(lower_idx)]).astype(np.int64)
        return node, other, idx

    def random_neighbor(self, nodes: np.ndarray, n: int, streams: Streams, name: str, month: int) -> np.ndarray:
        """One uniformly chosen contact for each of ``nodes`` (or -1 for isolates), keyed by (node, contact)."""
        return self.random_neighbors(nodes, n, streams, (name,), month)[0]

    def random_neighbors(self, nodes: np.ndarray, n: int, streams: Streams, names: tuple[str, ...],
                         month: int) -> list[np.ndarray]:
        """:meth:`random_neighbor` for several streams at once, in one pass over the ties.

        Each node's pick is the contact with the smallest draw keyed by the pair, so who a person picks does not
        depend on the order of the tie list or on other people's ties (common random numbers).
        """
        nodes = np.asarray(nodes, dtype=np.int64)
        offsets = np.array([streams.offset(name, month) for name in names], dtype=np.uint64)
        return list(kernels.pick_contacts(self.ends, nodes, n, offsets))


def classify(a: np.ndarray, b: np.ndarray, org: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """The kind of a tie between each a[j] and b[j] (int8) from their organizations and sectors, by
    :func:`tie_kernels.kind_of` (residents have org and sector -1)."""
    a = np.asarray(a, dtype=np.int64)
    return kernels.classify_pairs(a.ravel(), np.asarray(b, dtype=np.int64).ravel(), org, sector).reshape(a.shape)
