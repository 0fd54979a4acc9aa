"""Compiled loops over the tie arrays: what :class:`~simulation.core.network.Ties` does every month, one pass each.

Why compiled (numba): a month asks the tie list for neighbour sums, random contacts, reinforcement, decay, removals
and insertions. As numpy array code each is a dozen calls of a few microseconds' fixed cost whatever the size;
here each is one call and one pass over the ties.

This module and ``network.py`` are the only ones that know how a tie is stored: by its pair key
``higher id << 32 | lower id`` (the pair's stream counter, :func:`~simulation.core.streams.pair_ids`), kept
sorted, so the ties are ordered by higher id, then lower id. Kernels elsewhere receive the two ends
(``Ties.ends``: row e holds tie e's lower and higher id) and ask :func:`tied` whether a pair is tied. The tie
kinds and the rule that classifies a pair (:func:`kind_of`) are defined here once, for Python callers and
kernels alike.
"""

from __future__ import annotations

import numpy as np

from .compiled import njit
from .streams import draw_bits, draw_uniform

SHIFT = np.uint64(32)
LOW32 = np.uint64(0xFFFFFFFF)
DRAW_SHIFT = np.uint64(33)  # a contact's draw is the top 31 bits of the pair's stream bits
NO_DRAW = np.iinfo(np.int64).max

WORK, COMMUNITY, CROSS_ORG, CROSS_SECTOR = 0, 1, 2, 3
"""Tie kinds: colleagues, residents' neighbours (both structural), then the bridges (``CROSS_ORG`` and above)."""
KIND_NAMES = ("work", "community", "cross_org", "cross_sector")


@njit(cache=True)
def kind_of(org_a, org_b, sector_a, sector_b):
    """The kind of a tie from its ends' organizations and sectors (residents have org and sector -1): two
    residents are ``COMMUNITY``, two people of one organization ``WORK``, other ties ``CROSS_ORG`` within a sector
    and ``CROSS_SECTOR`` across sectors (a resident and an employee included)."""
    if org_a < 0 and org_b < 0:
        return COMMUNITY
    if org_a == org_b:
        return WORK
    return CROSS_ORG if sector_a == sector_b else CROSS_SECTOR


@njit(cache=True)
def classify_pairs(a, b, org, sector):
    """:func:`kind_of` of each pair (a[j], b[j]) of person ids, as int8."""
    kind = np.empty(a.shape[0], np.int8)
    for j in range(a.shape[0]):
        kind[j] = kind_of(org[a[j]], org[b[j]], sector[a[j]], sector[b[j]])
    return kind


@njit(cache=True)
def pair_key(lo, hi):
    """The key of the tie between ids ``lo < hi``."""
    return (np.uint64(hi) << SHIFT) | np.uint64(lo)


@njit(cache=True)
def _ends(key):
    """The (lower, higher) ids of a pair key."""
    return np.int64(key & LOW32), np.int64(key >> SHIFT)


@njit(cache=True)
def tied(ends, a, b):
    """Whether people ``a`` and ``b`` are tied, by binary search in the sorted ends (``Ties.ends``)."""
    lo, hi = min(a, b), max(a, b)
    higher = ends[:, 1]
    first = np.searchsorted(higher, hi)
    end = np.searchsorted(higher, hi, side="right")
    at = first + np.searchsorted(ends[first:end, 0], lo)
    return at < end and ends[at, 0] == lo


@njit(cache=True)
def edge_sums(ends, weight, x, n, weighted):
    """For each id < n, the (weighted) sum of ``x`` (n x k) over their contacts, accumulated in float64."""
    k = x.shape[1]
    out = np.zeros((n, k))
    for e in range(ends.shape[0]):
        lo, hi = ends[e, 0], ends[e, 1]
        w = np.float64(weight[e]) if weighted else 1.0
        for j in range(k):
            out[hi, j] += w * x[lo, j]
            out[lo, j] += w * x[hi, j]
    return out


@njit(cache=True)
def pick_contacts(ends, nodes, n, offsets):
    """For each stream offset and each node, the contact with the smallest draw keyed by the pair (-1: none, or
    a node of -1).

    A contact's draw is the top 31 bits of the pair key's stream bits, so a person's pick does not depend on the
    order of the ties or on other people's ties; on an exact tie (a 31-bit collision among one person's contacts)
    the tie that sorts first wins.
    """
    want = np.zeros(n, np.bool_)
    for v in nodes:
        if v >= 0:  # a negative node (no one) gets -1
            want[v] = True
    m = offsets.shape[0]
    best = np.full((m, n), NO_DRAW, np.int64)
    choice = np.full((m, n), -1, np.int64)
    for e in range(ends.shape[0]):
        lo, hi = np.int64(ends[e, 0]), np.int64(ends[e, 1])
        at_lo, at_hi = want[lo], want[hi]
        if not (at_lo or at_hi):
            continue
        for s in range(m):
            d = np.int64(draw_bits(offsets[s], pair_key(lo, hi)) >> DRAW_SHIFT)
            if at_lo and d < best[s, lo]:
                best[s, lo] = d
                choice[s, lo] = hi
            if at_hi and d < best[s, hi]:
                best[s, hi] = d
                choice[s, hi] = lo
    out = np.empty((m, nodes.shape[0]), np.int64)
    for s in range(m):
        for i in range(nodes.shape[0]):
            out[s, i] = choice[s, nodes[i]] if nodes[i] >= 0 else -1
    return out


@njit(cache=True)
def _unique_pairs(a: np.ndarray, b: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct pair keys of (a, b) without self-pairs, each with the kind of its first occurrence."""
    keys = np.empty(a.shape[0], np.uint64)
    kind = np.empty(a.shape[0], np.int8)
    c = 0
    for i in range(a.shape[0]):
        if a[i] != b[i]:
            lo, hi = min(a[i], b[i]), max(a[i], b[i])
            keys[c] = pair_key(lo, hi)
            kind[c] = kinds[i]
            c += 1
    keys, kind = keys[:c], kind[:c]
    order = np.argsort(keys)
    out_keys = np.empty(c, np.uint64)
    out_kind = np.empty(c, np.int8)
    u = 0
    first = 0  # the position (in ``keys``) of the current key's first occurrence
    for j in range(c):
        i = order[j]
        if u == 0 or keys[i] != out_keys[u - 1]:
            out_keys[u] = keys[i]
            out_kind[u] = kind[i]
            first = i
            u += 1
        elif i < first:  # a repeat that came earlier: its kind is the one to keep
            out_kind[u - 1] = kind[i]
            first = i
    return out_keys[:u], out_kind[:u]


@njit(cache=True)
def _reinforce_known(key, weight, last, n, a, b, kinds, month, reinforcement):
    """Reinforce the pairs already tied; returns the distinct pair keys (sorted), their kinds, their places in the
    key array and which of them are new."""
    keys, new_kind = _unique_pairs(a, b, kinds)
    pos = np.searchsorted(key[:n], keys)
    fresh = np.zeros(keys.shape[0], np.bool_)
    r = np.float32(reinforcement)
    one = np.float32(1.0)
    for j in range(keys.shape[0]):
        p = pos[j]
        if p < n and key[p] == keys[j]:
            weight[p] += r * (one - weight[p])
            last[p] = month
        else:
            fresh[j] = True
    return keys, new_kind, pos, fresh


@njit(cache=True)
def upsert_and_decay(key, weight, kind, last, n, a, b, kinds, month, new_weight, reinforcement, factor,
                     strong_weight, strong_p, weak_p, offset, out_key, out_weight, out_kind, out_last):
    """:func:`upsert_pairs`, then the decay of bridges, in one pass over the ties; returns (created, ties left).

    Decay: a bridge not reinforced this month loses weight (times ``factor``, in float32) and survives with
    ``strong_p`` if its weight is still at least ``strong_weight``, else with ``weak_p``; the draw is keyed by the
    pair. The new ties and the reinforced ones are marked this month, so the decay never touches them. Old ties
    and new ones are merged into the spare buffers ``out_*`` (the caller swaps them in) while the decay drops
    ties, so the tie list is rewritten once a month, not twice. With no pairs it is the decay alone.
    """
    keys, new_kind, pos, fresh = _reinforce_known(key, weight, last, n, a, b, kinds, month, reinforcement)
    new = keys[fresh]
    new_kind = new_kind[fresh]
    j, out = 0, 0
    for e in range(n + 1):
        while j < new.shape[0] and (e == n or new[j] < key[e]):
            out_key[out], out_weight[out] = new[j], np.float32(new_weight)
            out_kind[out], out_last[out] = new_kind[j], month
            j += 1
            out += 1
        if e == n:
            break
        if kind[e] >= CROSS_ORG and last[e] < month:
            weight[e] *= factor
            p = strong_p if weight[e] >= strong_weight else weak_p
            if draw_uniform(offset, key[e]) >= p:
                continue
        out_key[out], out_weight[out], out_kind[out], out_last[out] = key[e], weight[e], kind[e], last[e]
        out += 1
    return new.shape[0], out


@njit(cache=True)
def upsert_pairs(key, weight, kind, last, n, a, b, kinds, month, new_weight, reinforcement,
                 out_key, out_weight, out_kind, out_last):
    """Reinforce the pairs that are tied and insert the others; returns (count created, merged into ``out_*``).

    The buffers hold ``n`` ties and have room for one new tie per pair. Reinforcement is ``w + r * (1 - w)`` in
    float32 and marks the tie as reinforced this ``month``. When every new key sorts after the old ones (the
    newcomers' ties: they have the highest ids) they are appended in place; otherwise old runs and new ties are
    merged into the spare buffers ``out_*``, and the caller swaps them in.
    """
    keys, new_kind, pos, fresh = _reinforce_known(key, weight, last, n, a, b, kinds, month, reinforcement)
    created = int(fresh.sum())
    if created == 0:
        return 0, False
    first = pos[np.argmax(fresh)]
    if first == n:
        dst = n
        for j in range(keys.shape[0]):
            if fresh[j]:
                key[dst], weight[dst], kind[dst], last[dst] = keys[j], np.float32(new_weight), new_kind[j], month
                dst += 1
        return created, False
    src, dst = 0, 0
    for j in range(keys.shape[0] + 1):  # copy the old ties before each new key's place, then the new key
        if j < keys.shape[0] and not fresh[j]:
            continue
        upto = pos[j] if j < keys.shape[0] else n
        shift = dst - src  # plain loops: slice assignment costs more than a short run's copy
        for i in range(src, upto):
            out_key[i + shift] = key[i]
        for i in range(src, upto):
            out_weight[i + shift] = weight[i]
        for i in range(src, upto):
            out_kind[i + shift] = kind[i]
        for i in range(src, upto):
            out_last[i + shift] = last[i]
        src, dst = upto, upto + shift
        if j < keys.shape[0]:
            out_key[dst], out_weight[dst] = keys[j], np.float32(new_weight)
            out_kind[dst], out_last[dst] = new_kind[j], month
            dst += 1
    return created, True


@njit(cache=True)
def compact(key, weight, kind, last, n, keep):
    """Keep, in place and in order, the first ``n`` ties where ``keep`` is True; returns how many are left."""
    j = 0
    for e in range(n):
        if keep[e]:
            key[j], weight[j], kind[j], last[j] = key[e], weight[e], kind[e], last[e]
            j += 1
    return j


@njit(cache=True)
def structural_hand_over(key, weight, kind, last, n, successor):
    """Remove, in place, every tie of a leaver; returns the ties left and the structural ties to move.

    ``successor[id]`` is the newcomer taking over from a leaver (-1 for everyone else). A work or community tie
    with exactly one leaving end moves to that end's successor (returned as pairs and kinds, in tie order, for
    the caller to insert); every other tie of a leaver goes.
    """
    moved = 0
    for e in range(n):
        lo, hi = _ends(key[e])
        if kind[e] <= COMMUNITY and (successor[lo] >= 0) != (successor[hi] >= 0):
            moved += 1
    a = np.empty(moved, np.int64)
    b = np.empty(moved, np.int64)
    kinds = np.empty(moved, np.int8)
    j, m = 0, 0
    for e in range(n):
        lo, hi = _ends(key[e])
        lo_next, hi_next = successor[lo], successor[hi]
        if lo_next < 0 and hi_next < 0:
            key[j], weight[j], kind[j], last[j] = key[e], weight[e], kind[e], last[e]
            j += 1
        elif kind[e] <= COMMUNITY and (lo_next >= 0) != (hi_next >= 0):
            a[m] = lo_next if lo_next >= 0 else lo
            b[m] = hi_next if hi_next >= 0 else hi
            kinds[m] = kind[e]
            m += 1
    return j, a, b, kinds


@njit(cache=True)
def hand_over(key, weight, kind, last, n, leavers, newcomers, size, month, new_weight,
              out_key, out_weight, out_kind, out_last):
    """:func:`structural_hand_over` from ``leavers`` to ``newcomers``, then the moved ties inserted at
    ``new_weight`` as :func:`upsert_pairs` inserts them; returns (ties now, merged into ``out_*``).

    No room is needed: every moved tie was first removed. One compiled call instead of three steps and the
    array glue between them, every month.
    """
    successor = np.full(size, -1, np.int64)
    for j in range(leavers.shape[0]):
        successor[leavers[j]] = newcomers[j]
    left, a, b, kinds = structural_hand_over(key, weight, kind, last, n, successor)
    created, merged = upsert_pairs(key, weight, kind, last, left, a, b, kinds, month, new_weight, 0.0,
                                   out_key, out_weight, out_kind, out_last)
    return left + created, merged


@njit(cache=True)
def reinforce_same_label(key, weight, last, label, month, reinforcement):
    """Reinforce every tie whose two ends carry the same non-negative label."""
    r = np.float32(reinforcement)
    one = np.float32(1.0)
    for e in range(key.shape[0]):
        lo, hi = _ends(key[e])
        if label[lo] >= 0 and label[hi] == label[lo]:
            weight[e] += r * (one - weight[e])
            last[e] = month

