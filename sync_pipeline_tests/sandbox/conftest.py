"""Fixtures of the sandbox tests that use both sandboxes at once."""

from __future__ import annotations

from typing import Iterator

import pytest

from sync_pipeline_tests.sandbox.tenants import Sandboxes, serve


@pytest.fixture
def sandboxes() -> Iterator[Sandboxes]:
    """Both sandboxes in memory, as `sync-pipeline sandbox --seed-demo` starts them."""
    yield from serve(seed_demo=True)
