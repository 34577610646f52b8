"""Fixtures for the accounts tests (N+1 detection is set up for all apps in the root conftest)."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from contrechamp.accounts import registry


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: no test may inherit another's attempts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from an empty registry; the real one comes back after the test."""
    monkeypatch.setattr(registry, "_contributors", {})
    monkeypatch.setattr(registry, "_circles", [])
