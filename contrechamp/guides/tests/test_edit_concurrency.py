"""Real threads on a real database: editors saving the same guide at the same moment from
the same version. Exactly one save wins; the others are refused (Conflict) and the history
has no gap nor duplicate. See mentoring's concurrency tests for SQLite's retries."""

import pytest
from django.db import OperationalError, connection
from zeal import zeal_ignore

from contrechamp.core import transactions
from contrechamp.events.tests.test_rsvp_concurrency import (
    SQLITE_RETRIES_FOR_BUSY_TIMEOUT,
    crowd,
    hold_row_lock,
    run_at_once,
    short_lock_timeout,  # noqa: F401 - a fixture
)
from contrechamp.guides import services
from contrechamp.guides.models import Guide, GuideVersion
from contrechamp.guides.tests.conftest import edit, make_guide

pytestmark = pytest.mark.django_db(transaction=True)

EDITORS = 12


@pytest.fixture(autouse=True)
def _sqlite_waits_like_its_file_database(monkeypatch):
    if connection.vendor == "sqlite":
        monkeypatch.setattr(transactions, "LOCK_RETRIES", SQLITE_RETRIES_FOR_BUSY_TIMEOUT)


def test_editors_saving_the_same_version_at_once_leave_exactly_one_new_version(member):
    guide = make_guide(member)
    editors = crowd(EDITORS)
    with zeal_ignore():
        for editor in editors:
            services.add_editor(actor=member, guide=guide, member=editor)

    def save(number):
        details = services.GuideDetails(title=guide.title, body=f"Version {number}")
        return services.update_guide(
            actor=editors[number], guide=guide, details=details, based_on=1
        )

    outcomes = run_at_once(EDITORS, save)

    assert sorted(outcomes) == ["conflict"] * (EDITORS - 1) + ["ok"]
    guide.refresh_from_db()
    assert guide.version == 2
    numbers = list(GuideVersion.objects.filter(guide=guide).values_list("number", flat=True))
    assert sorted(numbers) == [1, 2]
    assert GuideVersion.objects.get(guide=guide, number=2).body == guide.body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_an_edit_waits_for_whoever_holds_the_guide_row(member, short_lock_timeout):  # noqa: F811
    guide = make_guide(member)
    release = hold_row_lock(Guide, guide.pk)
    try:
        with pytest.raises(OperationalError, match="lock timeout"):
            edit(guide, member, "Pendant le verrou")
    finally:
        release()
    assert Guide.objects.get(pk=guide.pk).version == 1
