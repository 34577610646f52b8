"""Fixtures shared by every app's tests: N+1 detection and the three personas."""

from collections.abc import Iterator

import pytest
from zeal import zeal_context

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _raise_on_n_plus_one() -> Iterator[None]:
    """django-zeal raises NPlusOneError whenever a test triggers an N+1 query pattern."""
    with zeal_context():
        yield


@pytest.fixture
def member(db: None) -> User:
    return UserFactory.create(username="juliette", display_name="Juliette")


@pytest.fixture
def other_member(db: None) -> User:
    return UserFactory.create(username="nora", display_name="Nora")


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory.create(username="outsider", display_name="Passant")
