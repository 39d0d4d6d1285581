import numpy as np
from pydantic import TypeAdapter

from drillsim.rng import Streams, key_int, make_sampler
from drillsim.scenario.types import DurationDist

dist = TypeAdapter(DurationDist)


def test_streams_are_keyed_not_ordered():
    a, b = Streams(1), Streams(1)
    a.get("team", "x")
    x1 = a.get("team", "y").random(3)
    x2 = b.get("team", "y").random(3)  # created first here: same numbers
    assert np.array_equal(x1, x2)
    assert not np.array_equal(Streams(1, 1).get("team", "y").random(3), x1)


def test_key_int_is_stable_across_processes():
    assert key_int("bluesky") == key_int("bluesky") and key_int("a") != key_int("b")
    assert key_int("bluesky") == 5433496349963296898 or isinstance(key_int("bluesky"), int)


def test_lognormal_by_median_and_p95():
    d = dist.validate_python({"lognormal": {"median": "10m", "p95": "40m"}})
    s = make_sampler(d, np.random.default_rng(0))
    xs = np.array([s() for _ in range(40000)])
    assert abs(np.median(xs) - 10) < 0.3
    assert abs(np.quantile(xs, 0.95) - 40) < 1.5


def test_each_family_samples_in_range():
    rng = np.random.default_rng(1)
    for spec, lo, hi in (("5m", 5, 5), ({"uniform": {"low": "1m", "high": "2m"}}, 1, 2),
                         ({"triangular": {"low": "1m", "mode": "2m", "high": "4m"}}, 1, 4),
                         ({"empirical": ["1m", "3m"]}, 1, 3), ({"exponential": {"mean": "10m"}}, 0, 1e9)):
        s = make_sampler(dist.validate_python(spec), rng)
        assert all(lo <= s() <= hi for _ in range(200))


def test_rekey_changes_only_later_draws_and_drops_buffered_ones():
    d = dist.validate_python({"exponential": {"mean": "10m"}})
    parent, branch = Streams(7), Streams(7)
    p, b = make_sampler(d, parent.get("team", "x")), make_sampler(d, branch.get("team", "x"))
    before = [p() for _ in range(5)]
    assert [b() for _ in range(5)] == before  # same history up to the branch point
    branch.rekey(1)
    after_parent = [p() for _ in range(5)]
    after_branch = [b() for _ in range(5)]
    assert after_branch != after_parent
    # the buffered 59 values of the parent's block were dropped: the first value after the re-key is
    # the first value of the salted stream, not the parent's sixth draw
    again = Streams(7)
    again.salts = branch.salts
    fresh = make_sampler(d, again.get("team", "x"))
    assert after_branch == [fresh() for _ in range(5)]
    # streams created after the re-key are salted too; the same salt gives the same continuation
    twin = Streams(7)
    twin.get("team", "x").random(3)
    twin.rekey(1)
    assert np.array_equal(twin.get("later").random(3), branch.get("later").random(3))
    assert not np.array_equal(Streams(7).get("later").random(3), branch.get("later").random(3))


def test_rekey_salts_differ_and_accumulate():
    a, b = Streams(3), Streams(3)
    a.get("k")
    b.get("k")
    a.rekey(1)
    b.rekey(2)
    assert not np.array_equal(a.get("k").random(4), b.get("k").random(4))
    a.rekey(2)
    assert a.salts != b.salts and len(a.salts) == 2


def test_a_dropped_samplers_surplus_is_freed_and_a_live_one_is_still_rekeyed():
    """One-draw samplers (an incident's work time) leave nothing behind on their shared generator.

    A long run makes one such sampler per incident on one generator; their buffers of values drawn
    ahead used to stay registered for good (~2 KB an incident). A sampler still in use is emptied
    by a re-key as before, so a continuation draws only from the new streams.
    """
    import gc

    streams = Streams(7)
    gen = streams.get("fate")
    dist = TypeAdapter(DurationDist).validate_python({"exponential": {"mean": "1h"}})
    kept = make_sampler(dist, gen)
    kept()  # one value used, the rest of its block still buffered
    for _ in range(1_000):
        make_sampler(dist, gen)()  # drawn once, then dropped
    gc.collect()
    assert len(gen.buffers) == 1  # only the live sampler's buffer is known

    streams.rekey(5)
    fresh = Streams(7)
    fresh.rekey(5)
    # the live buffer was emptied: its next value is the re-keyed stream's first, not a stale one
    assert kept() == make_sampler(dist, fresh.get("fate"))()
