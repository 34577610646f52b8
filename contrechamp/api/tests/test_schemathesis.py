"""The API fuzzed with schemathesis against its own OpenAPI description: every operation
with valid and invalid data (wrong types, out-of-range numbers, missing fields, unknown
methods, missing or wrong credentials), then stateful sequences that feed one answer's
values into the next call. Every check runs; the verdict is zero server errors and zero
answers that break the schema.

Requests go through Django's WSGI application in the test's own thread and database
transaction: no server, no network. The scene holds one of each thing (a network, a film,
a venue, an event, a library item) so that reads also find something, and the caller
has a token that may write.
"""

import importlib
import importlib.util
import logging
import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.conf import settings as settings_module
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from zeal import zeal_context, zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.api import throttling
from contrechamp.api.models import ApiToken
from contrechamp.api.services import hash_secret
from contrechamp.conftest import FRAMEWORK_LOOKUPS
from contrechamp.core import places
from contrechamp.events.models import Event, Screening
from contrechamp.films import services as film_services
from contrechamp.lending import services as lending_services
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.venues.models import Venue

# A quick pass in the normal suite; CI runs this file again with more examples
# (CONTRECHAMP_FUZZ_EXAMPLES, see .ci/run).
MAX_EXAMPLES = int(os.environ.get("CONTRECHAMP_FUZZ_EXAMPLES", "25"))
STATEFUL_EXAMPLES = max(MAX_EXAMPLES // 2, 10)
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "enabled": True,
            # Well-formed data may still be refused by a rule (an unknown city, a charter
            # not accepted): the API answers 422 "refused", as documented.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", 401, 403, 404, 409, 422, 429]
            },
        },
        "generation": {"mode": "all", "allow-x00": True},
        "phases": {"stateful": {"enabled": True}},
    }
)


def _city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None
    return place


@pytest.fixture
def scene(member: User, other_member: User) -> None:
    """One of each thing the API reads, owned by Nora; Juliette is the caller."""
    lyon = _city("Lyon")
    club = network_services.create_network(
        actor=other_member,
        name="Ciné-club du jeudi",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=lyon,
    )
    film = film_services.create_film(
        actor=other_member, title="Le Voyage dans la Lune", year=1902, directors=["Méliès"]
    )
    venue = Venue.objects.create(
        name="Médiathèque du Bachut",
        dedupe_key=places.normalise("Médiathèque du Bachut Lyon"),
        name_normalised=places.normalise("Médiathèque du Bachut"),
        kind=Venue.Kind.MEDIATHEQUE,
        city_name="Lyon",
        latitude=lyon.latitude,
        longitude=lyon.longitude,
    )
    starts_at = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        network=club,
        kind=Event.Kind.SCREENING,
        title="Le Voyage dans la Lune",
        venue=venue,
        latitude=venue.latitude,
        longitude=venue.longitude,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=2,
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    Screening.objects.create(event=event, film=film)
    lending_services.create_item(
        actor=other_member,
        details=lending_services.ItemDetails(
            kind="dvd", title="Le Voyage dans la Lune", place=lyon, film=film
        ),
    )
    # Each app with API endpoints adds its things in tests/fuzz_scene.py: build(owner, caller).
    for app in settings_module.INSTALLED_APPS:
        if app.startswith("contrechamp.") and importlib.util.find_spec(f"{app}.tests.fuzz_scene"):
            importlib.import_module(f"{app}.tests.fuzz_scene").build(
                owner=other_member, caller=member
            )


@pytest.fixture(autouse=True)
def _quiet_refusals() -> Iterator[None]:
    """Django logs every 4xx answer as a warning: thousands here. Server errors still show."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


# The caller's token has a known secret: schemathesis prepares some of its cases when the
# tests are collected, before any database exists.
SCENE_SECRET = "cct_the-scene-token-of-the-fuzzing-tests"


@pytest.fixture
def bearer(member: User, scene: None) -> str:
    ApiToken.objects.create(
        owner=member,
        name="Fuzzer",
        prefix=SCENE_SECRET[:10],
        secret_hash=hash_secret(SCENE_SECRET),
        scope=ApiToken.Scope.WRITE,
    )
    return SCENE_SECRET


@pytest.fixture
def _no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Thousands of requests in a few minutes: the limit itself has its own tests.
    monkeypatch.setattr(throttling, "LIMIT", 10**9)


@pytest.fixture
def _connection_kept() -> Iterator[None]:
    """Requests run inside the test's transaction: Django must not close the database
    connection at the end of each (its own test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Loaded once, when the tests are collected: the description needs no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler(), config=CONFIG)


@schema.auth(refresh_interval=None)
class SceneToken:
    """The token schemathesis sends as the caller's own credentials: its auth checks
    also try the calls without it, and with a made-up one."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        return SCENE_SECRET

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@schema.parametrize()
@FUZZ_SETTINGS
@pytest.mark.usefixtures("_no_rate_limit", "_connection_kept")
def test_every_operation_answers_within_its_schema(case: schemathesis.Case, bearer: str) -> None:
    # Each request (with those the checks send again) is its own unit of work for N+1
    # detection, as for the test client in the other tests.
    with zeal_context(), zeal_ignore(FRAMEWORK_LOOKUPS):
        case.call_and_validate()


@pytest.mark.usefixtures("_no_rate_limit", "_connection_kept")
def test_call_sequences_answer_within_the_schema(bearer: str) -> None:
    workflow = schema.as_state_machine()

    class Workflow(workflow):  # type: ignore[misc, valid-type]
        def step(self, input: Any) -> Any:
            with zeal_context(), zeal_ignore(FRAMEWORK_LOOKUPS):
                return super().step(input)

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        ),
    )
