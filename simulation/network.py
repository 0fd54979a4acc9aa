"""Ties: weighted, typed, undirected edges between person ids, kept as arrays sorted by pair key.

Why sorted edge arrays and not a networkx graph or a sparse matrix: the step needs neighbour sums (one
``np.bincount`` per direction), membership tests for new pairs (``np.searchsorted`` on the sorted keys), and bulk
removal (a boolean mask keeps the order). All are O(E) or better without any Python loop; a sparse-matrix view is
built on demand (:meth:`Ties.adjacency`) for analysis, networkx only for drawing (:meth:`Ties.to_networkx`).

Kinds: ``WORK`` (colleagues), ``COMMUNITY`` (residents' neighbours and family) are kept up by daily life;
``CROSS_ORG`` (another organization, same sector) and ``CROSS_SECTOR`` (another sector, or a resident and an
employee) are the bridges, which fade unless shared activity reinforces them (Burt 2002).
"""

from __future__ import annotations

import sys

import numpy as np
import scipy.sparse as sp

from .streams import Streams, pair_ids

WORK, COMMUNITY, CROSS_ORG, CROSS_SECTOR = 0, 1, 2, 3
KIND_NAMES = ("work", "community", "cross_org", "cross_sector")
_SHIFT = np.uint64(32)
_LOW = 0 if sys.byteorder == "little" else 1  # which int32 half of a uint64 key holds the lower id
_STORED = ("key", "weight", "kind", "last")


def _argsort_distinct(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys)``, computed with the stable sort, which is 2-3x faster on these partly ordered keys.

    With distinct keys every sort gives the same permutation; only equal keys (a 31-bit draw collision between
    two contacts of one person) could be ordered differently, and then the default sort is used as before.
    """
    order = np.argsort(keys, kind="stable")
    ranked = keys[order]
    if len(ranked) > 1 and (ranked[1:] == ranked[:-1]).any():
        return np.argsort(keys)
    return order


def _first_by_draw(node: np.ndarray, draw: np.ndarray, n: int) -> np.ndarray | None:
    """Positions of each node's smallest draw, or None when some node's smallest draw is not unique.

    With a unique minimum per node this is exactly the first entry of each node after sorting by (node, draw);
    the code ``draw << 32 | position`` makes ``np.minimum.at`` return the position along with the draw.
    """
    if len(node) >= 2**32:
        return None
    none = np.iinfo(np.int64).max
    best = np.full(n, none, dtype=np.int64)
    np.minimum.at(best, node, (draw << 32) | np.arange(len(node), dtype=np.int64))
    smallest = best >> 32  # per node (huge where a node has no entry, never equal to a 31-bit draw)
    found = best[best != none]
    if np.count_nonzero(draw == smallest.take(node)) != len(found):
        return None
    return found & np.int64(0xFFFFFFFF)


def _read_only(view: np.ndarray) -> np.ndarray:
    view.flags.writeable = False
    return view


class Ties:
    """The social network of one run."""

    def __init__(self) -> None:
        self.key = np.zeros(0, dtype=np.uint64)
        self.weight = np.zeros(0, dtype=np.float32)
        self.kind = np.zeros(0, dtype=np.int8)
        self.last = np.zeros(0, dtype=np.int32)  # month last reinforced (or formed)

    def __len__(self) -> int:
        return len(self.key)

    @property
    def src(self) -> np.ndarray:
        """The lower id of each pair: a read-only int32 view of the key's low word, not a stored array.

        Why a view: every insertion or removal rewrites each stored array, so deriving both ends from the key
        makes those rewrites a third cheaper (and the tie list a third smaller in memory).
        """
        return _read_only(self.key.view(np.int32)[_LOW::2])

    @property
    def dst(self) -> np.ndarray:
        """The higher id of each pair (the key's high word), as an int32 view."""
        return _read_only(self.key.view(np.int32)[1 - _LOW::2])

    # ---- building and changing ---------------------------------------------------------------------------
    def upsert(self, a: np.ndarray, b: np.ndarray, kind: np.ndarray, month: int, new_weight: float,
               reinforcement: float) -> int:
        """Create ties for new pairs and reinforce those that exist; returns how many ties were created.

        ``kind`` gives the kind of each pair (used only for new ties). Self-pairs and repeats are ignored.
        """
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        keep = a != b
        keys = pair_ids(a[keep], b[keep])
        keys, first = np.unique(keys, return_index=True)
        kinds = np.asarray(kind, dtype=np.int8)[keep][first] if np.ndim(kind) else np.full(len(keys), kind, np.int8)
        pos = np.searchsorted(self.key, keys)
        exists = (pos < len(self.key)) & (self.key[np.minimum(pos, len(self.key) - 1)] == keys) if len(self.key) \
            else np.zeros(len(keys), dtype=bool)
        hit = pos[exists]
        self.weight[hit] += reinforcement * (1.0 - self.weight[hit])
        self.last[hit] = month
        new_keys, new_pos = keys[~exists], pos[~exists]
        if len(new_keys):
            self._insert(new_keys, new_pos, new_weight, kinds[~exists], month)
        return int(len(new_keys))

    def _insert(self, keys: np.ndarray, pos: np.ndarray, weight: float, kinds: np.ndarray, month: int) -> None:
        """Insert sorted new ``keys`` at positions ``pos`` of the sorted key array.

        Newcomers have the highest ids, so the ties they inherit all sort after every existing key: that common
        case is an append (one copy per array) rather than an insertion (which also shifts every later tie).
        """
        values = (keys, np.full(len(keys), weight, np.float32), kinds, np.full(len(keys), month, np.int32))
        if len(self.key) == 0 or pos[0] == len(self.key):
            for name, new in zip(_STORED, values, strict=True):
                setattr(self, name, np.concatenate([getattr(self, name), new]))
        else:  # np.insert's result (new key j lands at pos[j] + j), with the placement computed once for all arrays
            dest = pos + np.arange(len(pos))
            old = np.ones(len(self.key) + len(pos), dtype=bool)
            old[dest] = False
            for name, new in zip(_STORED, values, strict=True):
                current = getattr(self, name)
                merged = np.empty(len(old), dtype=current.dtype)
                merged[dest] = new
                merged[old] = current
                setattr(self, name, merged)

    def keep(self, mask: np.ndarray) -> None:
        """Drop every tie where ``mask`` is False (order, and so sortedness, is preserved)."""
        for name in _STORED:
            setattr(self, name, getattr(self, name)[mask])

    def reinforce_where(self, mask: np.ndarray, month: int, reinforcement: float) -> None:
        """Shared activity: ties selected by ``mask`` (boolean, or tie indices) gain weight and count as reinforced."""
        self.weight[mask] += reinforcement * (1.0 - self.weight[mask])
        self.last[mask] = month

    def reinforce_within(self, label: np.ndarray, month: int, reinforcement: float) -> None:
        """Reinforce every tie whose two ends carry the same non-negative label (e.g. the same initiative)."""
        ls = label.take(self.src)
        labelled = np.flatnonzero(ls >= 0)  # few people carry a label: check the other end for those ties only
        self.reinforce_where(labelled[label.take(self.dst.take(labelled)) == ls[labelled]], month, reinforcement)

    def decay(self, month: int, weak_monthly: float, strong_monthly: float, strong_weight: float,
              weight_decay: float, streams: Streams) -> int:
        """Unreinforced bridges lose weight and may dissolve; returns how many ties dissolved.

        A tie reinforced this month is safe. Others survive with a monthly probability that depends on whether
        they are strong (weight at or above ``strong_weight``). The draw is keyed by the pair, so a tie's fate
        does not depend on other ties (common random numbers).
        """
        at_risk = (self.kind >= CROSS_ORG) & (self.last < month)
        if not at_risk.any():
            return 0
        idx = np.flatnonzero(at_risk)
        self.weight[idx] *= np.float32(1.0 - weight_decay)
        survive_p = np.where(self.weight.take(idx) >= strong_weight, strong_monthly, weak_monthly)
        dies = streams.uniform("tie.decay", month, self.key.take(idx)) >= survive_p
        if not dies.any():
            return 0
        keep = np.ones(len(self), dtype=bool)
        keep[idx[dies]] = False
        self.keep(keep)
        return int(dies.sum())

    def drop_people(self, gone: np.ndarray) -> None:
        """Remove every tie of the people flagged in boolean array ``gone`` (indexed by id)."""
        self.keep(~(gone.take(self.src) | gone.take(self.dst)))

    def hand_over(self, leavers: np.ndarray, newcomers: np.ndarray, size: int, month: int, weight: float) -> None:
        """A newcomer takes over the leaver's structural ties (colleagues of the role; a resident's neighbours)
        at a fresh weight. Every bridge of a leaver goes with them: leaders leave with their relationships.
        """
        successor = np.full(size, -1, dtype=np.int64)
        successor[leavers] = newcomers
        leaving = successor >= 0
        l_src, l_dst = leaving.take(self.src), leaving.take(self.dst)  # boolean gathers: cheap on all ties
        moved = np.flatnonzero((self.kind <= COMMUNITY) & (l_src ^ l_dst))
        src, dst = self.src.take(moved).astype(np.int64), self.dst.take(moved).astype(np.int64)
        a = np.where(l_src[moved], successor.take(src), src)
        b = np.where(l_dst[moved], successor.take(dst), dst)
        kinds = self.kind[moved]
        self.keep(~(l_src | l_dst))
        self.upsert(a, b, kinds, month, weight, 0.0)

    # ---- reading -----------------------------------------------------------------------------------------
    def _lower(self, n: int, weighted: bool) -> tuple[sp.csr_matrix, sp.csc_matrix]:
        """Row = higher id, column = lower id: a CSR view built from the sorted keys without sorting.

        Cached until the tie list changes shape (every mutation that adds or removes ties replaces the arrays);
        the weighted view shares ``self.weight``, so in-place reinforcement and decay of weights are seen.
        """
        cache = self.__dict__.setdefault("_views", {})
        stamp = (id(self.key), n)
        if cache.get("stamp") != stamp:
            # int32 offsets when they fit: scipy would otherwise scan an int64 indptr to downcast it, every build
            indptr = np.zeros(n + 1, dtype=np.int32 if len(self) < 2**31 else np.int64)
            np.cumsum(np.bincount(self.dst, minlength=n)[:n], out=indptr[1:])
            cache.clear()
            cache["stamp"], cache["keep_alive"] = stamp, self.key
            cache["indptr"], cache["indices"] = indptr, np.ascontiguousarray(self.src)
        key = "weighted" if weighted else "ones"
        if key not in cache:
            data = self.weight if weighted else np.ones(len(self), dtype=np.float32)
            lower = sp.csr_matrix((data, cache["indices"], cache["indptr"]), shape=(n, n), copy=False)
            cache[key] = (lower, lower.T)  # the transpose (a CSC view of the same arrays) sums the other direction
        return cache[key]

    def neighbor_sum(self, values: np.ndarray, n: int, weighted: bool = False) -> np.ndarray:
        """For each id < n, the sum of ``values`` over their contacts (optionally weighted by tie weight)."""
        lower, upper = self._lower(n, weighted)
        x = np.asarray(values[:n], dtype=np.float32)  # a 2-D (n, k) array sums k value vectors in one pass
        return (lower @ x).astype(np.float64) + (upper @ x)

    def weighted_degree(self, n: int) -> np.ndarray:
        """For each id < n, the sum of the weights of their ties."""
        return self.neighbor_sum(np.ones(n, dtype=np.float32), n, weighted=True)

    def degree(self, n: int) -> np.ndarray:
        return np.bincount(self.src, minlength=n)[:n] + np.bincount(self.dst, minlength=n)[:n]

    def exists(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        keys = pair_ids(np.asarray(a), np.asarray(b))
        if len(self.key) == 0:
            return np.zeros(len(keys), dtype=bool)
        pos = np.minimum(np.searchsorted(self.key, keys), len(self.key) - 1)
        return self.key[pos] == keys

    def incident(self, nodes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All ties touching ``nodes``: (node, contact, tie index) arrays, one row per tie end in ``nodes``.

        Keys are sorted by the higher id, so ties where a node is the higher end are contiguous (found by binary
        search); only ties where it is the lower end need a scan of the edge list.
        """
        nodes = np.asarray(nodes, dtype=np.int64)
        if len(nodes) > 1 and not (nodes[1:] > nodes[:-1]).all():  # callers often pass sorted, unique ids
            nodes = np.unique(nodes)
        lo = np.searchsorted(self.key, nodes.astype(np.uint64) << _SHIFT)
        hi = np.searchsorted(self.key, (nodes + 1).astype(np.uint64) << _SHIFT)
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
        """:meth:`random_neighbor` for several streams at once: the incident ties are found once, not per draw.

        Each node's pick is the contact with the smallest 31-bit draw. It is found with one ``np.minimum.at`` on
        (draw, position) codes, 20-30x faster than sorting all incident ends by (node, draw); only if a node's
        smallest draw is shared by two contacts (a 31-bit collision) does the sort decide, as it always did.
        """
        node, other, _ = self.incident(nodes, n)
        keys = pair_ids(node, other) if len(node) else None
        out = []
        for name in names:
            chosen = np.full(n, -1, dtype=np.int64)
            if len(node):
                draw = (streams.bits(name, month, keys) >> np.uint64(33)).astype(np.int64)
                first = _first_by_draw(node, draw, n)
                if first is None:
                    order = _argsort_distinct((node << 31) | draw)  # by node, then by a random draw
                    by_node, by_other = node[order], other[order]
                    head = np.concatenate([[True], by_node[1:] != by_node[:-1]])
                    chosen[by_node[head]] = by_other[head]
                else:
                    chosen[node.take(first)] = other.take(first)
            out.append(chosen[nodes])
        return out

    def adjacency(self, n: int) -> sp.csr_matrix:
        """Symmetric weighted adjacency matrix (ids < n) for analysis and graph algorithms."""
        rows = np.concatenate([self.src, self.dst])
        cols = np.concatenate([self.dst, self.src])
        data = np.concatenate([self.weight, self.weight]).astype(np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(n, n))

    def connectivity(self, n: int) -> sp.csr_matrix:
        """Unweighted one-directional adjacency (row: higher id, column: lower id) for connected components.

        Built straight from the sorted keys, with no sort: about four times faster than :meth:`adjacency`.
        """
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.dst, minlength=n)[:n], out=indptr[1:])
        indices = np.ascontiguousarray(self.src)
        return sp.csr_matrix((np.ones(len(self), dtype=np.int8), indices, indptr), shape=(n, n))

    def to_networkx(self, alive: np.ndarray | None = None):  # pragma: no cover - drawing helper
        """A networkx Graph of the ties (for drawing or export only; never used by the step)."""
        import networkx as nx

        g = nx.Graph()
        if alive is not None:
            g.add_nodes_from(np.flatnonzero(alive).tolist())
        g.add_weighted_edges_from(zip(self.src.tolist(), self.dst.tolist(), self.weight.tolist(), strict=True))
        return g


def classify(a: np.ndarray, b: np.ndarray, org: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """The kind of a tie from its ends' organizations and sectors (residents have org and sector -1)."""
    oa, ob = org[a], org[b]
    both_residents = (oa < 0) & (ob < 0)
    kind = np.where(sector[a] == sector[b], CROSS_ORG, CROSS_SECTOR).astype(np.int8)
    kind[(oa == ob) & (oa >= 0)] = WORK
    kind[both_residents] = COMMUNITY
    return kind
