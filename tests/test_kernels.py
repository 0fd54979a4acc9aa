"""The compiled kernels against independent computations of what they promise.

Each test builds random inputs with a fixed seed, runs a kernel, and compares it with a computation that shares
no code with it: a dense matrix product, Python sets and dicts of pairs, scipy's connected components,
``np.interp``, splitmix64 in Python integers. Where both sides do the same arithmetic in the same order, equality
is exact; sums in a different order are compared to a relative 1e-12.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from simulation.core.metrics import _largest_component_share
from simulation.core.network import CROSS_ORG, CROSS_SECTOR, Ties
from simulation.core.network_formation import _pick_partners
from simulation.core.streams import UNIT_GRID, Streams, _interpolated_draws, beta_table, beta_table_at, pair_ids
from simulation.core.tie_kernels import tied


def random_ties(n: int, m: int, seed: int) -> Ties:
    """A tie list of about ``m`` distinct random pairs among ``n`` people, mixed kinds and weights."""
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    ties = Ties()
    ties.upsert(a, b, rng.integers(0, 4, m).astype(np.int8), 0, 0.3, 0.0)
    ties.weight[:] = rng.random(len(ties)).astype(np.float32)
    ties.last[:] = rng.integers(0, 5, len(ties))
    return ties


def dense_adjacency(ties: Ties, n: int, weighted: bool) -> np.ndarray:
    """The symmetric (weighted) adjacency matrix of the ties, as a dense float64 array."""
    matrix = np.zeros((n, n))
    data = ties.weight.astype(np.float64) if weighted else np.ones(len(ties))
    matrix[ties.src, ties.dst] = data
    matrix[ties.dst, ties.src] = data
    return matrix


@pytest.mark.parametrize("weighted", [False, True])
def test_neighbour_sums_equal_the_adjacency_matrix_product(weighted: bool) -> None:
    n = 1500
    ties = random_ties(n, 10_000, seed=1)
    x = np.random.default_rng(2).random((n, 2)).astype(np.float32)
    expected = dense_adjacency(ties, n, weighted) @ x.astype(np.float64)
    np.testing.assert_allclose(ties.neighbor_sum(x, n, weighted=weighted), expected, rtol=1e-12)
    counts = (x[:, 0] < 0.5).astype(np.float32)  # sums of 0/1 values are exact in any order
    assert np.array_equal(ties.neighbor_sum(counts, n), dense_adjacency(ties, n, False) @ counts)


def test_random_contacts_are_the_smallest_pair_draw() -> None:
    n = 2000
    ties = random_ties(n, 8000, seed=3)
    streams = Streams(4)
    nodes = np.random.default_rng(5).choice(n, 300, replace=False)
    picked = ties.random_neighbor(nodes, n, streams, "test.pick", 7)
    node = np.concatenate([ties.src, ties.dst]).astype(np.int64)
    other = np.concatenate([ties.dst, ties.src]).astype(np.int64)
    draw = (streams.bits("test.pick", 7, pair_ids(node, other)) >> np.uint64(33)).astype(np.int64)
    for v, pick in zip(nodes, picked, strict=True):
        mine = node == v
        expected = other[mine][np.argmin(draw[mine])] if mine.any() else -1
        assert pick == expected


def as_dict(ties: Ties) -> dict[tuple[int, int], tuple[float, int, int]]:
    """{(lower id, higher id): (weight, kind, last)} of every tie."""
    rows = zip(ties.src.tolist(), ties.dst.tolist(), ties.weight.tolist(), ties.kind.tolist(), ties.last.tolist(),
               strict=True)
    return {(lo, hi): (w, k, m) for lo, hi, w, k, m in rows}


def reference_upsert(ties: dict, a, b, kinds, month, new_weight, reinforcement) -> tuple[dict, int]:
    """The documented rule, pair by pair: a pair already tied is reinforced once (however often it repeats), a new
    pair gets ``new_weight`` and the kind of its first occurrence; self-pairs are ignored."""
    out, seen, created = dict(ties), set(), 0
    r, one = np.float32(reinforcement), np.float32(1.0)
    for x, y, k in zip(a.tolist(), b.tolist(), kinds.tolist(), strict=True):
        pair = (min(x, y), max(x, y))
        if x == y or pair in seen:
            continue
        seen.add(pair)
        if pair in out:
            w = np.float32(out[pair][0])
            out[pair] = (float(w + r * (one - w)), out[pair][1], month)
        else:
            out[pair] = (float(np.float32(new_weight)), k, month)
            created += 1
    return out, created


def reference_decay(ties: dict, month, factor, strong_weight, strong_p, weak_p, streams) -> dict:
    """The documented rule, tie by tie: a bridge not reinforced this month loses weight and survives with the
    strong or weak probability, by its pair's draw."""
    out = {}
    for (lo, hi), (w, k, m) in ties.items():
        if k >= CROSS_ORG and m < month:
            w = float(np.float32(w) * np.float32(factor))
            p = strong_p if np.float32(w) >= np.float32(strong_weight) else weak_p
            if streams.uniform("tie.decay", month, pair_ids(np.array([lo]), np.array([hi])))[0] >= p:
                continue
        out[(lo, hi)] = (w, k, m)
    return out


def assert_sorted_by_pair(ties: Ties) -> None:
    """Ties are listed by higher id, then lower id, with no repeats."""
    order = np.lexsort((ties.src, ties.dst))
    assert np.array_equal(order, np.arange(len(ties)))
    assert len(set(zip(ties.src.tolist(), ties.dst.tolist(), strict=True))) == len(ties)


@pytest.mark.parametrize("newcomers", [False, True])
def test_upsert_follows_the_rule_pair_by_pair(newcomers: bool) -> None:
    n = 1500
    ties = random_ties(n, 6000, seed=6)
    rng = np.random.default_rng(7)
    # Half the pairs exist already (reinforced), the rest are new; repeats and self-pairs are ignored. With
    # ``newcomers`` every new pair has an id above all others (the in-place append path).
    old = rng.choice(len(ties), 300, replace=False)
    a = np.concatenate([ties.src[old], rng.integers(0, n, 300), [5, 9]]).astype(np.int64)
    b = np.concatenate([ties.dst[old], rng.integers(n if newcomers else 0, n + 40 if newcomers else n, 300), [5, 9]])
    kinds = rng.integers(0, 4, len(a)).astype(np.int8)
    expected, count = reference_upsert(as_dict(ties), a, b, kinds, 9, 0.25, 0.2)
    assert ties.upsert(a, b, kinds, 9, 0.25, 0.2) == count > 250
    assert as_dict(ties) == expected
    assert_sorted_by_pair(ties)


def test_upsert_and_decay_equals_upsert_then_decay() -> None:
    n = 2000
    rng = np.random.default_rng(8)
    a, b = rng.integers(0, n, 900), rng.integers(0, n, 900)
    kinds = np.where(rng.random(900) < 0.5, CROSS_ORG, CROSS_SECTOR).astype(np.int8)
    args = (0.5, 0.9, 0.6, 0.05)  # weak and strong monthly survival, strong weight, weight decay
    one, two = random_ties(n, 9000, seed=9), random_ties(n, 9000, seed=9)
    created = one.upsert(a, b, kinds, 5, 0.3, 0.2)
    dead = one.decay(5, *args, Streams(10))
    assert two.upsert_and_decay(a, b, kinds, 5, 0.3, 0.2, *args, Streams(10)) == (created, dead)
    for name in ("key", "weight", "kind", "last"):
        assert np.array_equal(getattr(one, name), getattr(two, name))
    assert dead > 0 and created > 0  # both paths were exercised


def test_decay_follows_the_rule_tie_by_tie() -> None:
    ties = random_ties(2000, 9000, seed=11)
    streams = Streams(12)
    expected = reference_decay(as_dict(ties), 4, 0.95, 0.6, 0.9, 0.5, streams)
    before = len(ties)
    dead = ties.decay(4, 0.5, 0.9, 0.6, 0.05, streams)
    assert as_dict(ties) == expected and dead == before - len(ties) > 100
    assert_sorted_by_pair(ties)


def test_hand_over_moves_structural_ties_and_drops_the_rest() -> None:
    n = 1000
    ties = random_ties(n, 5000, seed=13)
    leavers = np.array([3, 50, 400, 999])
    newcomers = np.arange(n, n + 4)
    successor = dict(zip(leavers.tolist(), newcomers.tolist(), strict=True))
    src, dst, kind = ties.src.astype(int), ties.dst.astype(int), ties.kind.copy()
    leaving = np.isin(src, leavers) | np.isin(dst, leavers)
    moved = leaving & (kind <= 1) & (np.isin(src, leavers) != np.isin(dst, leavers))
    expected = {(min(successor.get(s, s), successor.get(d, d)), max(successor.get(s, s), successor.get(d, d)))
                for s, d in zip(src[moved], dst[moved], strict=True)}
    expected |= {(s, d) for s, d in zip(src[~leaving], dst[~leaving], strict=True)}
    ties.hand_over(leavers, newcomers, n + 4, 6, 0.3)
    assert set(zip(ties.src.tolist(), ties.dst.tolist(), strict=True)) == expected
    assert_sorted_by_pair(ties)


def test_beta_draws_equal_np_interp() -> None:
    ids = np.arange(10_000, 20_000)
    tables = np.stack([beta_table(0.3, 10.0), beta_table(0.55, 10.0)])
    which = ids % 2
    streams = Streams(14)
    offsets = np.array([streams.offset("test.beta", 0, salt) for salt in (0, 3)], dtype=np.uint64)
    got = _interpolated_draws(ids, which, tables, offsets, UNIT_GRID)
    for c, salt in enumerate((0, 3)):
        u = streams.uniform("test.beta", 0, ids, salt)
        want = np.where(which == 0, np.interp(u, UNIT_GRID, tables[0]), np.interp(u, UNIT_GRID, tables[1]))
        assert np.array_equal(got[:, c], want)


@pytest.mark.parametrize("first", [7, 300, 0])
def test_beta_draws_from_partial_tables_equal_the_full_table(first: int) -> None:
    """Tables computed only where draws need them give the full table's draws, also when later calls need more."""
    streams = Streams(17)
    means = np.where(np.arange(400) % 3 == 0, 0.61803, 0.27182)  # means no other test uses: fresh tables
    for ids in (np.arange(first), np.arange(400)):
        got = streams.betas("test.partial", 0, ids, means[ids], 7.5, (0, 2))
        for c, salt in enumerate((0, 2)):
            u = streams.uniform("test.partial", 0, ids, salt)
            full = np.where(means[ids] == 0.61803, np.interp(u, UNIT_GRID, beta_table(0.61803, 7.5)),
                            np.interp(u, UNIT_GRID, beta_table(0.27182, 7.5)))
            assert np.array_equal(got[:, c], full)
    assert np.isnan(beta_table_at(0.61803, 7.5, np.array([0]))).sum() > 4000  # only part of it was computed


def test_partner_pools_equal_the_sorted_pools() -> None:
    rng = np.random.default_rng(15)
    n = 5000
    alive = rng.random(n) < 0.7
    sector = rng.integers(-1, 5, n).astype(np.int16)
    group = rng.integers(0, 4, n).astype(np.int16)
    askers = np.flatnonzero(alive)[::7]
    streams = Streams(16)
    offsets = np.array([streams.offset("t.sector", 0), streams.offset("t.group", 0)]
                       + [streams.offset("t.pick", 0, salt) for salt in range(4)], dtype=np.uint64)
    got = _pick_partners(alive, sector, group, askers, offsets, 0.6, 0.7)
    same_sector = streams.uniform("t.sector", 0, askers) < 0.6
    same_group = streams.uniform("t.group", 0, askers) < 0.7
    living = np.flatnonzero(alive)
    for j, a in enumerate(askers):
        in_sector = (sector[living] == sector[a]) | ~same_sector[j]
        pool = living[in_sector & ((group[living] == group[a]) | ~same_group[j])]
        pool_type = int(same_sector[j]) + 2 * int(same_group[j])
        r = streams.integers("t.pick", 0, np.array([a]), len(pool), salt=pool_type)[0]
        assert got[j] == pool[r]


def test_largest_component_equals_scipy() -> None:
    n = 3000
    ties = random_ties(n, 2600, seed=17)  # sparse: many components
    alive = np.random.default_rng(18).random(n) < 0.9
    graph = sp.csr_matrix((np.ones(len(ties)), (ties.dst.astype(int), ties.src.astype(int))), shape=(n, n))
    _, labels = connected_components(graph, directed=True, connection="weak")
    expected = np.bincount(labels[alive]).max() / alive.sum()
    assert _largest_component_share(ties.ends, alive) == expected


def test_kernels_cache_in_a_folder_named_by_the_source(tmp_path) -> None:
    """Without NUMBA_CACHE_DIR, importing leadsim points numba (this process only) at
    ~/.cache/leadsim/numba/<hash of the core's sources>, so an edited core never loads machine code compiled from
    the old one; the import neither sets the environment nor prunes old folders."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)  # the folder is chosen under the user's cache home
    old = tmp_path / "leadsim" / "numba" / "old"
    old.mkdir(parents=True)
    code = ("import os, numba, simulation, simulation.core.compiled as c, simulation.core.tie_kernels as k; "
            "print(numba.config.CACHE_DIR, k._reinforce_known._cache._cache_path, c.source_digest(), "
            "'NUMBA_CACHE_DIR' in os.environ)")
    folder, kernel_cache, digest, in_env = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.split()
    assert folder == str(tmp_path / "leadsim" / "numba" / digest) and len(digest) == 16
    assert kernel_cache.startswith(folder + os.sep)  # numba took the folder when it decorated the kernel
    assert in_env == "False"
    assert old.exists()  # pruning is the command line's explicit call, not the import's


def test_a_cache_home_that_cannot_be_made_leaves_numba_its_own_choice(tmp_path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("")  # a folder cannot be made under a file, even by root
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(blocker / "cache")
    # import a kernel module, so compiled.py chooses the cache folder
    code = "import numba, simulation.core.learning; print(repr(numba.config.CACHE_DIR))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "''"


def test_old_cache_folders_are_pruned(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """prune_caches keeps this source version's folder and the KEEP - 1 other most recently used."""
    import numba

    from simulation.core.compiled import KEEP, cache_folder, prune_caches

    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(cache_folder()))
    parent = cache_folder().parent
    for age in range(KEEP + 3):
        folder = parent / f"v{age}"
        folder.mkdir(parents=True)
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))  # v0 is the most recently used
    prune_caches()
    kept = [cache_folder().name, *(f"v{age}" for age in range(KEEP - 1))]
    assert sorted(p.name for p in parent.iterdir()) == sorted(kept)


def test_founders_recruit_eligible_contacts_strongest_first() -> None:
    """Founders are the eligible people whose draw falls below their chance; each one's eligible contacts come
    strongest tie first, and equally strong ties in the order of the tie list."""
    from simulation.core.initiatives import _founders_and_recruits

    n = 3000
    ties = random_ties(n, 15_000, seed=19)
    ties.weight[:] = np.round(ties.weight * 4) / 4  # many equal strengths, so the tie order matters
    rng = np.random.default_rng(20)
    alive = rng.random(n) < 0.9
    engagement = rng.random(n).astype(np.float32)
    purpose = rng.random(n).astype(np.float32)
    initiative = np.where(rng.random(n) < 0.1, 3, -1).astype(np.int32)
    capacity = rng.random((n, 6)).astype(np.float32)
    streams = Streams(21)
    founders, starts, recruits = _founders_and_recruits(
        ties.ends, ties.weight, alive, engagement, purpose, initiative, capacity, np.float32(0.5), np.float32(0.3),
        np.float32(0.4), streams.offset("initiative.found", 2))
    eligible = alive & (engagement >= np.float32(0.5)) & (purpose >= np.float32(0.3)) & (initiative == -1)
    candidates = np.flatnonzero(eligible)
    chance = np.float32(0.4) * capacity[candidates, 1]
    expected = candidates[streams.uniform("initiative.found", 2, candidates) < chance]
    assert np.array_equal(founders, expected) and len(founders) > 50
    src, dst = ties.src.tolist(), ties.dst.tolist()
    for k, founder in enumerate(expected.tolist()):
        mine = [(e, hi if lo == founder else lo) for e, (lo, hi) in enumerate(zip(src, dst, strict=True))
                if founder in (lo, hi)]
        listed = sorted((c for c in mine if eligible[c[1]]), key=lambda c: -ties.weight[c[0]])  # stable
        assert recruits[starts[k] : starts[k + 1]].tolist() == [contact for _, contact in listed]


def test_sector_means_equal_weighted_bincounts() -> None:
    from simulation.core.community import _sector_means

    rng = np.random.default_rng(18)
    level = (rng.random(4000) ** 3).astype(np.float32)
    sector = rng.integers(0, 4, 4000).astype(np.int16)  # sector 4 of 5 has no organization
    size = rng.integers(1, 900, 4000).astype(np.int64)
    total = np.bincount(sector, weights=size, minlength=5)
    weighted = np.bincount(sector, weights=size * level.astype(np.float64), minlength=5)
    expected = np.divide(weighted, total, out=np.zeros(5), where=total > 0)
    assert np.array_equal(_sector_means(level, sector, size, 5), expected)


def test_initiative_exposures_list_each_member_to_non_member_tie_end() -> None:
    from simulation.core.initiatives import _exposures

    rng = np.random.default_rng(19)
    n, n_orgs = 3000, 40
    ties = Ties()
    ties.upsert(rng.integers(0, n, 20_000), rng.integers(0, n, 20_000), 2, 0, 0.3, 0.0)
    label = np.where(rng.random(n) < 0.2, rng.integers(0, 6, n), -1).astype(np.int32)
    org = np.where(rng.random(n) < 0.8, rng.integers(0, n_orgs, n), -1).astype(np.int32)
    position = rng.integers(0, 3, n).astype(np.int8)
    weights = np.array([1.0, np.sqrt(3.0), 3.0])
    expected_pair, expected_weight = [], []
    for lo, hi in zip(ties.src.tolist(), ties.dst.tolist(), strict=True):
        for member, other in ((lo, hi), (hi, lo)):
            if label[member] >= 0 and label[other] != label[member] and org[other] >= 0:
                expected_pair.append(int(label[member]) * n_orgs + int(org[other]))
                expected_weight.append(weights[position[other]])
    pair, weight = _exposures(ties.ends, label, org, position, weights, n_orgs)
    assert len(set(expected_pair)) > 200  # most of the 6 x 40 pairs are exposed
    assert pair.tolist() == expected_pair and weight.tolist() == expected_weight


def test_tied_and_exists_answer_membership() -> None:
    n = 500
    ties = random_ties(n, 3000, seed=22)
    pairs = set(zip(ties.src.tolist(), ties.dst.tolist(), strict=True))
    rng = np.random.default_rng(23)
    a, b = rng.integers(0, n, 4000), rng.integers(0, n, 4000)
    a[:500], b[:500] = ties.dst[:500], ties.src[:500]  # some tied pairs, given higher id first
    expected = [(min(x, y), max(x, y)) in pairs for x, y in zip(a.tolist(), b.tolist(), strict=True)]
    assert [tied(ties.ends, x, y) for x, y in zip(a, b, strict=True)] == expected
    assert ties.exists(a, b).tolist() == expected
    assert 500 <= sum(expected) < 1000


def test_stream_draws_are_splitmix64_of_offset_plus_counter_times_golden_gamma() -> None:
    """The compiled array draws against splitmix64 written out in Python integers."""
    def splitmix(x: int) -> int:
        x ^= x >> 30
        x = (x * 0xBF58476D1CE4E5B9) % 2**64
        x ^= x >> 27
        x = (x * 0x94D049BB133111EB) % 2**64
        return x ^ (x >> 31)

    streams = Streams(20)
    ids = [0, 1, 7, 123_456, 2**40, 2**63 + 5]
    offset = int(streams.offset("test.splitmix", 3, 2))
    expected = [splitmix((offset + i * 0x9E3779B97F4A7C15) % 2**64) for i in ids]
    assert streams.bits("test.splitmix", 3, np.array(ids, dtype=np.uint64), 2).tolist() == expected
    assert streams.uniform("test.splitmix", 3, ids, 2).tolist() == [(x >> 11) * 2.0**-53 for x in expected]
