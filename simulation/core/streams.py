"""Common random numbers: every stochastic decision has its own stream, keyed by run seed, decision name, month and id.

Why counter-based hashing rather than one generator per decision: a draw for person 17 in month 5 for "turnover" is
a pure function of (seed, "turnover", 5, 17). It does not depend on how many other people drew before it, on which
interventions exist, or on the population's order. Adding an intervention that reaches nobody therefore leaves every
other draw - and the whole trajectory - unchanged, and two strategies compared on the same seed differ only where
their mechanisms differ. This is what makes paired strategy comparisons need far fewer runs (Starsim's CRN design;
Glasserman & Yao 1992). The mixer is splitmix64's finalizer (Steele et al. 2014), applied to whole numpy arrays.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from scipy.special import ndtri

from .compiled import njit

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 1.0 / float(1 << 53)


_MASK = (1 << 64) - 1
_G, _M1_INT, _M2_INT = int(_GOLDEN), int(_M1), int(_M2)


def _mix_int(x: int) -> int:
    """:func:`_mix` of one 64-bit integer in Python arithmetic (for stream keys)."""
    x ^= x >> 30
    x = (x * _M1_INT) & _MASK
    x ^= x >> 27
    x = (x * _M2_INT) & _MASK
    return x ^ (x >> 31)


def _name_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


@njit(cache=True)
def draw_bits(offset: np.uint64, counter: np.uint64) -> np.uint64:
    """:meth:`Streams.bits` of one counter inside compiled loops: ``mix(offset + counter * golden gamma)``.

    ``offset`` comes from :meth:`Streams.offset`, so a compiled kernel draws the bits :meth:`Streams.bits` gives.
    """
    x = counter * _GOLDEN + offset
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    return x ^ (x >> _S31)


@njit(cache=True)
def draw_uniform(offset: np.uint64, counter: np.uint64) -> float:
    """:meth:`Streams.uniform` of one counter inside compiled loops (the same 53 bits, the same float)."""
    return np.float64(draw_bits(offset, counter) >> _S11) * _TO_UNIT


@njit(cache=True)
def _bits_of(counters: np.ndarray, offset: np.uint64) -> np.ndarray:
    """:func:`draw_bits` of each counter (a compiled loop: numpy's eight whole-array operations cost ~20 µs even
    for a handful of ids, and studies ask for small draws many times a run)."""
    out = np.empty(counters.shape[0], np.uint64)
    for i in range(counters.shape[0]):
        out[i] = draw_bits(offset, counters[i])
    return out


@njit(cache=True)
def _uniform_of(counters: np.ndarray, offset: np.uint64) -> np.ndarray:
    """:func:`draw_uniform` of each counter."""
    out = np.empty(counters.shape[0])
    for i in range(counters.shape[0]):
        out[i] = draw_uniform(offset, counters[i])
    return out


class Streams:
    """Named, id-indexed random streams for one run.

    >>> s = Streams(seed=1)
    >>> a = s.uniform("turnover", month=3, ids=np.array([0, 5, 9]))
    >>> b = s.uniform("turnover", month=3, ids=np.array([9]))
    >>> bool(a[2] == b[0])
    True
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._keys: dict[str | tuple[str, int], int] = {}
        self._offsets: dict[tuple[str, int, int], np.uint64] = {}

    def _key(self, name: str, month: int) -> int:
        """The stream key of (seed, name, month), computed in Python integers (exact modulo 2**64).

        Why not numpy scalars: a step asks for a few dozen keys, and numpy scalar arithmetic (with the overflow
        warnings it has to silence) costs microseconds per operation; integer arithmetic gives the same bits.
        """
        key = self._keys.get((name, month))
        if key is None:
            base = self._keys.get(name)
            if base is None:
                base = self._keys[name] = _mix_int(((self.seed * _G) & _MASK) ^ _name_key(name))
            key = self._keys[(name, month)] = _mix_int(base ^ (((month + 1) * _G) & _MASK))
        return key

    def offset(self, name: str, month: int, salt: int = 0) -> np.uint64:
        """The stream's offset for (name, month, salt): what compiled kernels pass to :func:`draw_uniform`."""
        offset = self._offsets.get((name, month, salt))
        if offset is None:
            offset = self._offsets[(name, month, salt)] = np.uint64((self._key(name, month) + int(salt) * _M2_INT)
                                                                    & _MASK)
        return offset

    def bits(self, name: str, month: int, ids: np.ndarray, salt: int = 0) -> np.ndarray:
        """64 random bits per id (ids are person ids, pair keys or any non-negative integers)."""
        return self._per_id(_bits_of, name, month, ids, salt)

    def uniform(self, name: str, month: int, ids: np.ndarray, salt: int = 0) -> np.ndarray:
        """Uniform [0, 1) draws, one per id: the top 53 of the 64 bits, scaled to [0, 1)."""
        return self._per_id(_uniform_of, name, month, ids, salt)

    def _per_id(self, kernel, name: str, month: int, ids: np.ndarray, salt: int) -> np.ndarray:
        """``kernel`` applied to the ids as uint64 counters with the stream's offset, in the ids' shape."""
        x = np.array(ids, dtype=np.uint64, ndmin=1)
        out = kernel(x.ravel(), self.offset(name, month, salt)).reshape(x.shape)
        return out if np.ndim(ids) else out[0]

    def normal(self, name: str, month: int, ids: np.ndarray, salt: int = 0) -> np.ndarray:
        """Standard normal draws, one per id (inverse CDF of the uniform draw, so still one draw per id)."""
        u = self.uniform(name, month, ids, salt)
        return ndtri(np.clip(u, 1e-12, 1.0 - 1e-12))

    def integers(self, name: str, month: int, ids: np.ndarray, high: np.ndarray | int, salt: int = 0) -> np.ndarray:
        """Integers in [0, high) per id (high may differ per id)."""
        u = self.uniform(name, month, ids, salt)
        return np.minimum((u * high).astype(np.int64), np.asarray(high, dtype=np.int64) - 1)

    def beta(self, name: str, month: int, ids: np.ndarray, mean: float | np.ndarray, concentration: float,
             salt: int = 0) -> np.ndarray:
        """Beta draws with a given mean and concentration (a + b), one per id (inverse CDF of the uniform)."""
        return self.betas(name, month, ids, mean, concentration, (salt,))[:, 0]

    def betas(self, name: str, month: int, ids: np.ndarray, mean: float | np.ndarray, concentration: float,
              salts: tuple[int, ...]) -> np.ndarray:
        """:meth:`beta` for several salts sharing one mean: an (ids x salts) array, column c = beta(salt=salts[c]).

        The ids are grouped by their mean (few distinct values), and every column is drawn in one compiled pass
        that interpolates each mean's inverse-CDF table, exactly as ``np.interp`` would.
        """
        ids = np.asarray(ids, dtype=np.int64).ravel()
        if len(ids) == 0:
            return np.empty((0, len(salts)))
        means = np.clip(np.broadcast_to(mean, ids.shape), 1e-4, 1 - 1e-4)
        distinct, which = np.unique(means, return_inverse=True)
        which = which.ravel()
        offsets = np.array([self.offset(name, month, salt) for salt in salts], dtype=np.uint64)
        brackets = _brackets(ids, offsets, UNIT_GRID)
        tables = np.stack([beta_table_at(m, float(concentration), brackets[which == k].ravel())
                           for k, m in enumerate(distinct.tolist())])
        return _interpolated_draws(ids, which, tables, offsets, UNIT_GRID)

    def generator(self, name: str, month: int, salt: int = 0) -> np.random.Generator:
        """A numpy Generator for decisions not indexed by id (rare: e.g. shuffling a small candidate list)."""
        key = int(self.bits(name, month, np.array([salt]))[0])
        return np.random.Generator(np.random.PCG64(key))


# Denser toward 0 and 1, where the inverse CDF is steep: u = (1 + tanh t) / 2 on an even grid of t.
UNIT_GRID = np.concatenate([[0.0], 0.5 * (1.0 + np.tanh(np.linspace(-9.0, 9.0, 8191))), [1.0]])


@lru_cache(maxsize=256)
def beta_table(mean: float, concentration: float) -> np.ndarray:
    """The Beta inverse CDF on a fine grid: interpolating it is ~50x faster than ``betaincinv`` per draw and
    accurate to about 1e-4 (the grid is denser in the tails, where the inverse CDF is steep)."""
    from scipy.special import betaincinv

    return betaincinv(mean * concentration, (1 - mean) * concentration, UNIT_GRID)


_PARTIAL_TABLES: OrderedDict[tuple[float, float], np.ndarray] = OrderedDict()
_PARTIAL_TABLES_KEPT = 64


def beta_table_at(mean: float, concentration: float, brackets: np.ndarray) -> np.ndarray:
    """:func:`beta_table`, computed only at the grid points that draws in ``brackets`` interpolate between.

    Why: the whole table costs about 15 ms (8,193 inverse incomplete beta functions), and a study whose points
    each draw a new mean (manager support, openness) for a few hundred organizations paid that on every run - a
    sixth of a 2,000-person run. Each grid point is the same ``betaincinv`` of the same arguments, so a draw
    interpolated from this table is the draw the full table gives, to the bit; points not computed are NaN and
    never read. The most recent tables are kept and completed as later draws need more of them.
    """
    key = (float(mean), float(concentration))
    table = _PARTIAL_TABLES.get(key)
    if table is None:
        table = _PARTIAL_TABLES[key] = np.full(UNIT_GRID.shape, np.nan)
        if len(_PARTIAL_TABLES) > _PARTIAL_TABLES_KEPT:
            _PARTIAL_TABLES.popitem(last=False)
    else:
        _PARTIAL_TABLES.move_to_end(key)
    needed = np.unique(np.concatenate([brackets, np.minimum(brackets + 1, UNIT_GRID.shape[0] - 1)]))
    missing = needed[np.isnan(table[needed])]
    if len(missing):
        from scipy.special import betaincinv

        table[missing] = betaincinv(mean * concentration, (1 - mean) * concentration, UNIT_GRID[missing])
    return table


@njit(cache=True)
def _brackets(ids, offsets, grid):
    """The grid index j (grid[j] <= u < grid[j + 1]) that :func:`interpolate` finds for each draw (ids x offsets)."""
    out = np.empty((ids.shape[0], offsets.shape[0]), np.int64)
    for i in range(ids.shape[0]):
        for c in range(offsets.shape[0]):
            out[i, c] = np.searchsorted(grid, draw_uniform(offsets[c], np.uint64(ids[i])), side="right") - 1
    return out


@njit(cache=True)
def _interpolated_draws(ids, which, tables, offsets, grid):
    """(ids x offsets) draws: the uniform draw of each id and offset, mapped through its row of ``tables``.

    The interpolation is :func:`interpolate` (``np.interp``'s arithmetic for one value).
    """
    out = np.empty((ids.shape[0], offsets.shape[0]))
    for i in range(ids.shape[0]):
        table = tables[which[i]]
        for c in range(offsets.shape[0]):
            out[i, c] = interpolate(draw_uniform(offsets[c], np.uint64(ids[i])), grid, table)
    return out


@njit(cache=True)
def interpolate(x: float, grid: np.ndarray, table: np.ndarray) -> float:
    """``np.interp(x, grid, table)`` for one x in [0, 1), step by step (the same bracket, slope and rounding)."""
    last = grid.shape[0] - 1
    j = np.searchsorted(grid, x, side="right") - 1  # grid[j] <= x < grid[j + 1]
    if j >= last:
        return table[last]
    if grid[j] == x:
        return table[j]
    slope = (table[j + 1] - table[j]) / (grid[j + 1] - grid[j])
    return slope * (x - grid[j]) + table[j]


def pair_ids(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """An order-free key for a pair of person ids, so a tie's draws do not depend on its direction."""
    lo = np.minimum(a, b).astype(np.uint64)
    hi = np.maximum(a, b).astype(np.uint64)
    return (hi << np.uint64(32)) | lo
