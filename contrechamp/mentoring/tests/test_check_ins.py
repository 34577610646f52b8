import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.core import periodic
from contrechamp.mentoring import services
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship(mentor, mentee, projection):
    with zeal_ignore():
        asked = services.request_mentorship(actor=mentee, mentor=mentor, skill=projection)
        mentorship = services.accept_mentorship(actor=mentor, mentorship=asked, check_in_months=3)
    Notification.objects.all().delete()
    return mentorship


def check_ins():
    return Notification.objects.filter(kind="mentoring.check_in")


def test_nothing_is_asked_before_the_period_has_passed(mentorship):
    with time_machine.travel(timezone.now() + timedelta(days=80)):
        assert services.send_check_ins() == 0
    assert not check_ins().exists()


def test_both_are_asked_once_after_the_period(mentorship, mentor, mentee):
    with time_machine.travel(mentorship.check_in_due_at + timedelta(hours=1)):
        assert services.send_check_ins() == 1
        assert services.send_check_ins() == 0

    assert sorted(n.recipient.username for n in check_ins().select_related("recipient")) == [
        mentee.username,
        mentor.username,
    ]
    asked = check_ins().get(recipient=mentee)
    assert asked.title == "How is your mentorship with Nora going?"
    assert asked.url == mentorship.get_absolute_url()


def test_an_ended_mentorship_is_not_asked(mentorship, mentee):
    with zeal_ignore():
        services.end_mentorship(actor=mentee, mentorship=mentorship)

    with time_machine.travel(mentorship.check_in_due_at + timedelta(days=1)):
        assert services.send_check_ins() == 0


def test_the_job_is_registered_and_runs_from_the_command(mentorship):
    assert "mentoring.check_ins" in {job.name for job in periodic.jobs()}

    with time_machine.travel(mentorship.check_in_due_at + timedelta(hours=1)):
        call_command("run_periodic_jobs", "--all", stdout=io.StringIO())
        call_command("run_periodic_jobs", "--all", stdout=io.StringIO())

    assert check_ins().count() == 2


def test_the_page_asks_whether_they_continue_once_the_check_in_is_sent(client, mentorship, mentee):
    client.force_login(mentee)
    assert "We continue" not in client.get(mentorship.get_absolute_url()).text

    with time_machine.travel(mentorship.check_in_due_at + timedelta(hours=1)):
        services.send_check_ins()
        client.force_login(mentee)  # the earlier session has expired meanwhile
        page = client.get(mentorship.get_absolute_url())
        assert "We continue" in page.text
        client.post(f"{mentorship.get_absolute_url()}continue/")
        assert "You said you continue" in client.get(mentorship.get_absolute_url()).text
