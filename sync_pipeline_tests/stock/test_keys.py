"""The key matcher stays exact when fingerprints collide (forced here with forged fingerprints)."""

import numpy as np

from sync_pipeline.stock.keys import key_fingerprints, match_keys


def keys(*values):
    return np.array(values, dtype=object)


def forged(count, value=7):
    """Every key gets the same fingerprint: the worst possible hash."""
    return np.full(count, value, dtype=np.uint64), np.full(count, value, dtype=np.uint64)


def as_sets(match, left, right):
    return {
        "pairs": {(left[a], right[b]) for a, b in zip(match.left_pairs, match.right_pairs)},
        "left_only": {left[i] for i in match.left_only},
        "right_only": {right[i] for i in match.right_only},
        "repeated": {left[i] for i in match.left_repeated}
        | {right[i] for i in match.right_repeated},
    }


def test_full_collisions_are_sorted_out_by_the_strings():
    left, right = keys("a", "b", "c", "c"), keys("b", "a", "d", "c")
    match = match_keys(
        left, right, left_fingerprints=forged(4), right_fingerprints=forged(4)
    )
    assert as_sets(match, left, right) == {
        "pairs": {("a", "a"), ("b", "b")},
        "left_only": set(),
        "right_only": {"d"},
        "repeated": {"c"},
    }


def test_a_two_key_collision_across_sides_is_not_a_pair_when_verifying():
    left, right = keys("x"), keys("y")
    match = match_keys(
        left, right, left_fingerprints=forged(1), right_fingerprints=forged(1),
        verify_strings=True,
    )
    assert as_sets(match, left, right)["pairs"] == set()
    assert list(match.left_only) == [0] and list(match.right_only) == [0]


def test_first_hash_collision_alone_never_joins_different_keys():
    left, right = keys("x", "p"), keys("y", "p")
    left_prints = key_fingerprints(left)
    right_prints = key_fingerprints(right)
    # "x" and "y" share the first hash but not the second
    right_prints[0][0] = left_prints[0][0]
    match = match_keys(left, right, left_fingerprints=left_prints, right_fingerprints=right_prints)
    assert as_sets(match, left, right) == {
        "pairs": {("p", "p")},
        "left_only": {"x"},
        "right_only": {"y"},
        "repeated": set(),
    }


def test_skipped_rows_block_their_key_on_both_sides():
    left, right = keys("a", "b"), keys("a", "b")
    match = match_keys(left, right, right_skip=np.array([True, False]))
    assert as_sets(match, left, right) == {
        "pairs": {("b", "b")},
        "left_only": set(),
        "right_only": set(),
        "repeated": set(),
    }
