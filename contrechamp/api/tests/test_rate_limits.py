from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from contrechamp.api import throttling
from contrechamp.api.tests.conftest import ApiClient

# The start of a five-minute window, so that a test's requests all fall in one.
WINDOW_START = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(throttling, "LIMIT", 3)
    return 3


def test_every_answer_says_where_the_caller_stands(api: ApiClient, db: None) -> None:
    with time_machine.travel(WINDOW_START + timedelta(seconds=60), tick=False):
        first = api.get("/api/networks")
        second = api.get("/api/nothing")

    assert first["X-RateLimit-Limit"] == "300"
    assert first["X-RateLimit-Remaining"] == "299"
    assert first["X-RateLimit-Reset"] == "240"
    assert second.status_code == 404
    assert second["X-RateLimit-Remaining"] == "298"


def test_past_the_limit_the_answer_is_429_until_the_window_ends(
    api: ApiClient, db: None, small_limit: int
) -> None:
    with time_machine.travel(WINDOW_START + timedelta(seconds=100), tick=False):
        for _ in range(small_limit):
            assert api.get("/api/networks").status_code == 200
        refused = api.get("/api/networks")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "200"
    assert refused["X-RateLimit-Remaining"] == "0"
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "200 seconds" in refused.json()["error"]["message"]

    with time_machine.travel(WINDOW_START + timedelta(seconds=301), tick=False):
        assert api.get("/api/networks").status_code == 200


def test_each_token_has_its_own_allowance(
    api: ApiClient, read_token: str, other_token: str, small_limit: int
) -> None:
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(small_limit):
            api.get("/api/me", token=read_token)

        assert api.get("/api/me", token=read_token).status_code == 429
        assert api.get("/api/me", token=other_token).status_code == 200
        assert api.get("/api/networks").status_code == 200


def test_anonymous_callers_are_counted_by_address(
    api: ApiClient, db: None, small_limit: int
) -> None:
    here = {"REMOTE_ADDR": "192.0.2.1"}
    there = {"REMOTE_ADDR": "192.0.2.2"}
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(small_limit):
            api.client.get("/api/networks", **here)  # type: ignore[arg-type]

        assert api.client.get("/api/networks", **here).status_code == 429  # type: ignore[arg-type]
        assert api.client.get("/api/networks", **there).status_code == 200  # type: ignore[arg-type]


def test_made_up_tokens_count_against_the_address(
    api: ApiClient, read_token: str, small_limit: int
) -> None:
    with time_machine.travel(WINDOW_START, tick=False):
        for number in range(small_limit + 1):
            assert api.get("/api/me", token=f"cct_guess-{number}").status_code == 401

        refused = api.get("/api/me", token=read_token)

    assert refused.status_code == 429
    assert "Retry-After" in refused


def test_the_counts_live_in_the_shared_cache(api: ApiClient, db: None) -> None:
    with time_machine.travel(WINDOW_START, tick=False):
        api.get("/api/networks")
        window = int(WINDOW_START.timestamp()) // throttling.WINDOW_SECONDS

        assert cache.get(f"api-rate:address:127.0.0.1:{window}") == 1
