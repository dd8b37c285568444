"""Match two arrays of string keys: pairs, keys on one side only, keys repeated on a side.

How it stays fast:
- each key gets a 128-bit fingerprint, two 64-bit siphashes with different keys computed by
  pandas' vectorised `hash_array` (`key_fingerprints`); the frames compute it while they are
  built, so compare() does not hash a million strings again;
- both sides' first hashes are packed with their row number (high bits: hash, low bits: row)
  and sorted together with numpy's vectorised integer sort; equal keys become neighbours;
- the common cases are array operations: a row alone in its run is a key on one side only; a
  run of two rows, one per side, with equal fingerprints is a pair; rows whose fingerprints
  differ are different keys, always;
- repeated keys and longer runs (rare) are grouped by their actual strings in plain Python.

Equal fingerprints are taken as equal keys. Two different article numbers would have to agree
in all 128 bits: for a million articles the chance is about 1e-27, far below any hardware error
rate. `verify_strings=True` compares the strings of every pair as well (exact; costs about as
much again as the whole match, because it reads every key string in random order).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Callable

import numpy as np
import pandas as pd

# pandas' own default siphash key for the first hash; any other 16 characters for the second.
_HASH_KEY = "0123456789123456"
_CHECK_KEY = "stock-sync-check"

Fingerprints = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class KeyMatch:
    """Row positions per side ("left" and "right" are the two key arrays given to match_keys)."""

    left_pairs: np.ndarray  # left row of each matched pair (one key, once on each side)
    right_pairs: np.ndarray  # right row of the same pair; pairs are in right-row order
    left_only: np.ndarray  # rows whose key the right side lacks (ascending)
    right_only: np.ndarray
    left_repeated: np.ndarray  # rows whose key appears more than once on either side
    right_repeated: np.ndarray


def key_fingerprints(keys: np.ndarray) -> Fingerprints:
    """Two 64-bit hashes of each key (object array of str); equal keys -> equal fingerprints."""
    keys = np.asarray(keys, dtype=object)
    return (
        pd.util.hash_array(keys, hash_key=_HASH_KEY, categorize=False),
        pd.util.hash_array(keys, hash_key=_CHECK_KEY, categorize=False),
    )


def match_keys(
    left: np.ndarray,
    right: np.ndarray,
    *,
    left_fingerprints: Fingerprints | None = None,
    right_fingerprints: Fingerprints | None = None,
    left_skip: np.ndarray | None = None,
    right_skip: np.ndarray | None = None,
    verify_strings: bool = False,
) -> KeyMatch:
    """Match object arrays of str keys.

    `*_fingerprints` are key_fingerprints() of the same keys, when already known. A key that
    appears more than once on a side is repeated: none of its rows on either side is paired or
    one-sided. A key with a skipped row (`*_skip`, bool per row) on either side is left out the
    same way, but not reported here (the caller knows why it skipped the row).
    """
    left_count, right_count = len(left), len(right)
    total = left_count + right_count
    if left_fingerprints is None:
        left_fingerprints = key_fingerprints(left)
    if right_fingerprints is None:
        right_fingerprints = key_fingerprints(right)
    hashes, checks = (
        np.concatenate([left_part, right_part]).astype(np.uint64, copy=False)
        for left_part, right_part in zip(left_fingerprints, right_fingerprints)
    )
    skip = np.zeros(total, dtype=bool)
    if left_skip is not None:
        skip[:left_count] = left_skip
    if right_skip is not None:
        skip[left_count:] = right_skip

    def key_of(row: int) -> str:
        return str(left[row] if row < left_count else right[row - left_count])

    # Sort (hash prefix, row) in one uint64 array: numpy's sort of plain integers is far faster
    # than an argsort, and rows with equal keys become neighbours.
    row_bits = max(1, (total - 1).bit_length())
    row_mask = np.uint64((1 << row_bits) - 1)
    packed = hashes & ~row_mask
    packed |= np.arange(total, dtype=np.uint64)
    packed.sort()
    rows = (packed & row_mask).astype(np.intp)
    prefix = packed >> np.uint64(row_bits)

    same_as_next = np.zeros(total, dtype=bool)
    same_as_next[:-1] = prefix[1:] == prefix[:-1]
    same_as_previous = np.zeros(total, dtype=bool)
    same_as_previous[1:] = same_as_next[:-1]
    alone = ~same_as_next & ~same_as_previous
    starts_two = np.zeros(total, dtype=bool)
    starts_two[:-1] = same_as_next[:-1] & ~same_as_previous[:-1] & ~same_as_next[1:]
    two_at = np.flatnonzero(starts_two)
    in_long_run = ~alone
    in_long_run[two_at] = False
    in_long_run[two_at + 1] = False

    # Runs of two: rows sort by number within a prefix, so `first` < `second`.
    first, second = rows[two_at], rows[two_at + 1]
    same_print = (hashes[first] == hashes[second]) & (checks[first] == checks[second])
    crosses = (first < left_count) & (second >= left_count)
    single_rows = [rows[alone], first[~same_print], second[~same_print]]
    irregular_rows = [rows[in_long_run]]
    irregular_rows += [first[same_print & ~crosses], second[same_print & ~crosses]]

    pair_left = first[same_print & crosses]
    pair_right = second[same_print & crosses] - left_count
    # Put pairs in right-row order (a scatter, not a sort), so one side is read sequentially.
    left_of_right = np.full(right_count, -1, dtype=np.intp)
    left_of_right[pair_right] = pair_left
    pair_right = np.flatnonzero(left_of_right >= 0)
    pair_left = left_of_right[pair_right]
    if verify_strings:
        same_key = left[pair_left] == right[pair_right]
        if not same_key.all():  # a fingerprint collision: sort these out by their strings
            irregular_rows += [pair_left[~same_key], pair_right[~same_key] + left_count]
            pair_left, pair_right = pair_left[same_key], pair_right[same_key]

    single = np.concatenate(single_rows)
    single = single[~skip[single]]
    keep_pair = ~(skip[pair_left] | skip[pair_right + left_count])
    pair_left, pair_right = pair_left[keep_pair], pair_right[keep_pair]

    extra = _by_key(np.concatenate(irregular_rows), key_of, skip, left_count)
    left_only = np.sort(np.concatenate([single[single < left_count], extra.left_only]))
    right_only = np.sort(
        np.concatenate([single[single >= left_count] - left_count, extra.right_only])
    )
    if len(extra.left_pairs):
        order = np.argsort(np.concatenate([pair_right, extra.right_pairs]), kind="stable")
        pair_left = np.concatenate([pair_left, extra.left_pairs])[order]
        pair_right = np.concatenate([pair_right, extra.right_pairs])[order]
    return KeyMatch(
        left_pairs=pair_left,
        right_pairs=pair_right,
        left_only=left_only,
        right_only=right_only,
        left_repeated=extra.left_repeated,
        right_repeated=extra.right_repeated,
    )


def _by_key(
    rows: np.ndarray, key_of: Callable[[int], str], skip: np.ndarray, left_count: int
) -> KeyMatch:
    """The exact, slow path for the few rows whose hashes did not settle them: group by string."""
    groups: dict[str, tuple[list[int], list[int]]] = {}
    for row in rows.tolist():
        left_rows, right_rows = groups.setdefault(key_of(row), ([], []))
        if row < left_count:
            left_rows.append(row)
        else:
            right_rows.append(row - left_count)
    found: dict[str, list[int]] = {field.name: [] for field in fields(KeyMatch)}
    for left_rows, right_rows in groups.values():
        if len(left_rows) > 1 or len(right_rows) > 1:
            found["left_repeated"] += left_rows
            found["right_repeated"] += right_rows
        elif any(skip[row] for row in left_rows) or any(
            skip[row + left_count] for row in right_rows
        ):
            continue
        elif left_rows and right_rows:
            found["left_pairs"] += left_rows
            found["right_pairs"] += right_rows
        elif left_rows:
            found["left_only"] += left_rows
        else:
            found["right_only"] += right_rows
    return KeyMatch(**{name: np.array(rows, dtype=np.intp) for name, rows in found.items()})
