import json
from typing import Any

import pytest
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.accounts import services as account_services
from contrechamp.mentoring import services
from contrechamp.mentoring.models import (
    AgeBracket,
    MentoringProfile,
    MentoringSession,
    Mentorship,
    SkillListing,
)
from contrechamp.mentoring.tests.conftest import make_mentor, post_listing

pytestmark = pytest.mark.django_db


def mentoring_part(export: dict[str, object]) -> dict[str, Any]:
    part = export["mentoring"]
    assert isinstance(part, dict)
    return part


def started(mentee, mentor, skill):
    with zeal_ignore():
        asked = services.request_mentorship(
            actor=mentee, mentor=mentor, skill=skill, message="Bonjour Nora"
        )
        mentorship = services.accept_mentorship(actor=mentor, mentorship=asked)
        services.log_session(
            actor=mentee, mentorship=mentorship, held_on=timezone.localdate(), note="Cabine"
        )
    return mentorship


def test_the_export_holds_my_profile_listings_and_mentorships(mentor, mentee, projection):
    make_mentor(mentor, [projection], age_bracket=AgeBracket.FROM_40_TO_59)
    post_listing(mentee, SkillListing.Kind.REQUEST, title="Apprendre la cabine")
    started(mentee, mentor, projection)

    mine = mentoring_part(account_services.export_member_data(actor=mentee, member=mentee))
    theirs = mentoring_part(account_services.export_member_data(actor=mentor, member=mentor))

    json.dumps(mine)
    assert mine["listings"][0]["title"] == "Apprendre la cabine"
    [mentorship] = mine["mentorships"]
    assert mentorship["role"] == "mentee"
    assert mentorship["other_member"] == mentor.username
    assert mentorship["message"] == "Bonjour Nora"
    assert mentorship["sessions"] == [
        {"held_on": timezone.localdate().isoformat(), "note": "Cabine", "logged_by_me": True}
    ]
    assert theirs["profile"]["age_bracket"] == AgeBracket.FROM_40_TO_59
    assert theirs["mentorships"][0]["role"] == "mentor"


def test_deletion_removes_the_profile_and_listings_and_ends_mentorships(
    mentor, mentee, projection, outsider
):
    mentorship = started(mentee, mentor, projection)
    post_listing(mentee)
    make_mentor(outsider, [projection])
    with zeal_ignore():
        waiting = services.request_mentorship(actor=mentee, mentor=outsider, skill=projection)

    account_services.delete_account(actor=mentee, member=mentee)

    assert not MentoringProfile.objects.filter(user=mentee).exists()
    assert not SkillListing.objects.filter(author=mentee).exists()
    mentorship.refresh_from_db()
    waiting.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert mentorship.message == ""
    assert waiting.status == Mentorship.Status.WITHDRAWN
    assert MentoringSession.objects.get().note == ""
    # The other side keeps the mentorship in their history.
    assert Mentorship.objects.filter(mentor=mentor).count() == 1
