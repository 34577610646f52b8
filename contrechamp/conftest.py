"""Fixtures shared by every app's tests: N+1 detection and the three personas.

N+1 detection (django-zeal) works per unit of work, the way zeal's middleware checks each
request in a debug run:
- the test function's own body runs in one zeal context (fixtures and factories that set
  the scene are not watched);
- each test-client request runs in its own context, so two requests in a test are not an
  N+1 of the session lookup; Django's and allauth's deliberate one-row lookups (session,
  signed-in user, email address) are allowed, relation N+1s on them are still reported;
- each public function of every app's `services` module runs in its own context, so a
  test calling a service twice (a double submission, say) is not an N+1 either.
"""

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Generator
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation
from zeal import zeal_context, zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory

FRAMEWORK_LOOKUPS = [
    {"model": "sessions.Session", "field": "get()"},
    {"model": "accounts.User", "field": "get()"},
    {"model": "account.EmailAddress", "field": "get()"},
]


def _in_own_context(function: Callable[..., Any], *, allow: list[dict[str, str]]) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with zeal_context(), zeal_ignore(allow):
            return function(*args, **kwargs)

    return wrapper


def _service_modules() -> list[Any]:
    """Every app's `services` module, or each module of a `services` package."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("contrechamp."):
            try:
                services = importlib.import_module(f"{config.name}.services")
            except ModuleNotFoundError:
                continue
            modules.append(services)
            for submodule in pkgutil.iter_modules(getattr(services, "__path__", [])):
                modules.append(importlib.import_module(f"{services.__name__}.{submodule.name}"))
    return modules


@pytest.fixture(autouse=True)
def _n_plus_one_per_unit_of_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Client, "request", _in_own_context(Client.request, allow=FRAMEWORK_LOOKUPS))
    monkeypatch.setattr(
        Client, "force_login", _in_own_context(Client.force_login, allow=FRAMEWORK_LOOKUPS)
    )
    for module in _service_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                monkeypatch.setattr(module, name, _in_own_context(function, allow=[]))


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    """Uploads of every test land in its own temporary folder, never in var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Generator[None, None, None]:
    """Tests read English (the message ids), whether or not the catalogs are compiled.

    French, the default for people, is checked where it matters (test_i18n.py).
    """
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    with zeal_context():
        return (yield)


@pytest.fixture
def member(db: None) -> User:
    return UserFactory.create(username="juliette", display_name="Juliette")


@pytest.fixture
def other_member(db: None) -> User:
    return UserFactory.create(username="nora", display_name="Nora")


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory.create(username="outsider", display_name="Passant")
