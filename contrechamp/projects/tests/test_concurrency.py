"""Real threads on a real database, released together: a role call never has more
accepted people than its number of people, however many acceptances arrive at once."""

import pytest
from django.db import connection
from zeal import zeal_ignore

from contrechamp.core import transactions
from contrechamp.events.tests.test_rsvp_concurrency import (
    SQLITE_RETRIES_FOR_BUSY_TIMEOUT,
    crowd,
    run_at_once,
)
from contrechamp.projects import services
from contrechamp.projects.models import Application, TeamMember
from contrechamp.projects.tests.conftest import make_project, post_call

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANTS = 20


@pytest.fixture(autouse=True)
def _sqlite_waits_like_its_file_database(monkeypatch):
    if connection.vendor == "sqlite":
        monkeypatch.setattr(transactions, "LOCK_RETRIES", SQLITE_RETRIES_FOR_BUSY_TIMEOUT)


def test_twenty_acceptances_at_once_never_exceed_the_number_of_people(other_member):
    project = make_project(other_member)
    call = post_call(project, kind="extra", skill=None, title="Figurants", people_needed=3)
    people = crowd(APPLICANTS)
    with zeal_ignore():
        applications = [
            services.apply(actor=person, call=call, message="Présent", links=[])
            for person in people
        ]

    outcomes = run_at_once(
        APPLICANTS,
        lambda n: services.decide_application(
            actor=other_member, application=applications[n], status="accepted"
        ),
    )

    assert sorted(outcomes) == ["accepted"] * 3 + ["conflict"] * (APPLICANTS - 3)
    accepted = Application.objects.filter(role_call=call, status="accepted")
    assert accepted.count() == 3
    assert TeamMember.objects.filter(role_call=call).count() == 3
