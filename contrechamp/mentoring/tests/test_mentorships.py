from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.mentoring import services
from contrechamp.mentoring.models import MentoringSession, Mentorship, SkillListing
from contrechamp.mentoring.tests.conftest import make_mentor, post_listing
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


def ask(mentee, mentor, skill, **kwargs):
    return services.request_mentorship(
        actor=mentee,
        mentor=mentor,
        skill=skill,
        message="Bonjour !",
        goals="Tenir la cabine",
        **kwargs,
    )


def started(mentee, mentor, skill):
    with zeal_ignore():
        mentorship = ask(mentee, mentor, skill)
        return services.accept_mentorship(actor=mentor, mentorship=mentorship)


def test_a_mentee_asks_and_the_mentor_is_told(mentor, mentee, projection):
    mentorship = ask(mentee, mentor, projection)

    assert mentorship.status == Mentorship.Status.REQUESTED
    assert mentorship.proposed_by == Mentorship.Side.MENTEE
    told = Notification.objects.get(recipient=mentor)
    assert told.kind == "mentoring.request_received"
    assert f"Juliette asks you for a mentorship in {projection.name}" in told.title
    assert told.url == mentorship.get_absolute_url()


def test_accepting_starts_the_mentorship_and_sets_the_check_in(mentor, mentee, projection):
    with zeal_ignore():
        mentorship = ask(mentee, mentor, projection)
    now = timezone.now()

    with time_machine.travel(now, tick=False):
        mentorship = services.accept_mentorship(
            actor=mentor, mentorship=mentorship, check_in_months=2
        )

    assert mentorship.status == Mentorship.Status.ACTIVE
    assert mentorship.started_at == now
    assert mentorship.check_in_due_at is not None
    assert 58 <= (mentorship.check_in_due_at - now).days <= 62
    answered = Notification.objects.get(recipient=mentee)
    assert answered.kind == "mentoring.request_answered"


def test_asking_oneself_is_refused(mentor, projection):
    with pytest.raises(DomainError, match="yourself"):
        ask(mentor, mentor, projection)
    assert not Mentorship.objects.exists()


def test_a_second_request_while_one_waits_is_refused(mentor, mentee, projection):
    with zeal_ignore():
        ask(mentee, mentor, projection)

    with pytest.raises(Conflict, match="already waiting"):
        ask(mentee, mentor, projection)
    assert Mentorship.objects.count() == 1


def test_asking_again_during_a_mentorship_is_refused(mentor, mentee, projection):
    started(mentee, mentor, projection)

    with pytest.raises(Conflict, match="already under way"):
        ask(mentee, mentor, projection)


def test_a_mentor_at_capacity_is_refused_new_requests(mentor, mentee, projection, outsider):
    started(mentee, mentor, projection)

    with pytest.raises(Conflict, match="as many people as they can"):
        ask(outsider, mentor, projection)
    assert Mentorship.objects.count() == 1


def test_a_mentor_at_capacity_cannot_accept_one_more(mentor, mentee, projection, outsider):
    with zeal_ignore():
        first = ask(mentee, mentor, projection)
        second = ask(outsider, mentor, projection)
        services.accept_mentorship(actor=mentor, mentorship=first)

    with pytest.raises(Conflict, match="as many people"):
        services.accept_mentorship(actor=mentor, mentorship=second)
    second.refresh_from_db()
    assert second.status == Mentorship.Status.REQUESTED


def test_a_mentor_not_accepting_is_refused(other_member, mentee, projection):
    make_mentor(other_member, [projection], accepting=False)

    with pytest.raises(Conflict, match="does not take new mentees"):
        ask(mentee, other_member, projection)


def test_a_member_without_a_mentor_profile_cannot_be_asked_directly(mentee, outsider, projection):
    with pytest.raises(Conflict, match="does not take new mentees"):
        ask(mentee, outsider, projection)


def test_a_domain_the_mentor_does_not_mentor_in_is_refused(mentor, mentee, editing):
    with pytest.raises(DomainError, match="does not mentor in this domain"):
        ask(mentee, mentor, editing)


def test_a_too_long_message_is_refused_and_nothing_is_sent(mentor, mentee, projection):
    with pytest.raises(DomainError, match="too long"):
        services.request_mentorship(
            actor=mentee, mentor=mentor, skill=projection, message="x" * 2001
        )
    assert not Mentorship.objects.exists()
    assert not Notification.objects.exists()


def test_an_open_offer_is_enough_to_ask_its_author(outsider, mentee):
    offer = post_listing(outsider)

    mentorship = services.request_mentorship(actor=mentee, mentor=outsider, listing=offer)

    assert mentorship.listing == offer
    assert mentorship.skill == offer.skill


def test_a_closed_offer_cannot_be_answered(outsider, mentee):
    offer = post_listing(outsider)
    with zeal_ignore():
        services.set_listing_open(actor=outsider, listing=offer, is_open=False)

    with pytest.raises(Conflict, match="closed"):
        services.request_mentorship(actor=mentee, mentor=outsider, listing=offer)


def test_a_mentor_offers_help_on_an_open_request_and_the_author_accepts(mentor, member):
    wish = post_listing(member, SkillListing.Kind.REQUEST, title="Programmer un ciné-club")

    with zeal_ignore():
        mentorship = services.offer_mentorship(actor=mentor, listing=wish, message="Avec plaisir")
    assert mentorship.proposed_by == Mentorship.Side.MENTOR
    assert Notification.objects.get(recipient=member).kind == "mentoring.request_received"

    with pytest.raises(PermissionDenied):
        services.accept_mentorship(actor=mentor, mentorship=mentorship)
    mentorship = services.accept_mentorship(actor=member, mentorship=mentorship)
    assert mentorship.status == Mentorship.Status.ACTIVE


def test_offering_help_on_ones_own_request_is_refused(member):
    wish = post_listing(member, SkillListing.Kind.REQUEST)

    with pytest.raises(DomainError, match="your own request"):
        services.offer_mentorship(actor=member, listing=wish)


def test_only_the_other_side_answers_and_only_once(mentor, mentee, projection, outsider):
    with zeal_ignore():
        mentorship = ask(mentee, mentor, projection)

    with pytest.raises(PermissionDenied):
        services.accept_mentorship(actor=mentee, mentorship=mentorship)
    with pytest.raises(PermissionDenied):
        services.decline_mentorship(actor=outsider, mentorship=mentorship)
    with zeal_ignore():
        services.decline_mentorship(actor=mentor, mentorship=mentorship, note="Pas ce mois-ci")
    with pytest.raises(InvalidTransition):
        services.accept_mentorship(actor=mentor, mentorship=mentorship)
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.DECLINED
    assert mentorship.decline_note == "Pas ce mois-ci"


def test_the_asker_withdraws_a_waiting_request_and_may_ask_again(mentor, mentee, projection):
    with zeal_ignore():
        mentorship = ask(mentee, mentor, projection)
        with pytest.raises(PermissionDenied):
            services.withdraw_request(actor=mentor, mentorship=mentorship)
        services.withdraw_request(actor=mentee, mentorship=mentorship)

    again = ask(mentee, mentor, projection)

    assert again.pk != mentorship.pk


def test_either_party_logs_a_session(mentor, mentee, projection):
    mentorship = started(mentee, mentor, projection)
    today = timezone.localdate()

    with zeal_ignore():
        services.log_session(actor=mentee, mentorship=mentorship, held_on=today, note="Enfilage")
        services.log_session(actor=mentor, mentorship=mentorship, held_on=today, note="Bobines")

    assert MentoringSession.objects.filter(mentorship=mentorship).count() == 2


def test_logging_a_session_on_someone_elses_mentorship_is_refused(
    mentor, mentee, projection, outsider
):
    mentorship = started(mentee, mentor, projection)

    with pytest.raises(PermissionDenied):
        services.log_session(
            actor=outsider, mentorship=mentorship, held_on=timezone.localdate(), note="Intrus"
        )
    assert not MentoringSession.objects.exists()


@pytest.mark.parametrize(
    ("days", "note", "message"),
    [
        (1, "Demain", "future"),
        (-400, "Avant", "before the mentorship began"),
        (0, "", "cannot be empty"),
        (0, "x" * 501, "too long"),
        (0, "nul\x00", "not allowed"),
    ],
)
def test_a_session_with_a_bad_date_or_note_is_refused(
    mentor, mentee, projection, days, note, message
):
    mentorship = started(mentee, mentor, projection)

    with pytest.raises(DomainError, match=message):
        services.log_session(
            actor=mentor,
            mentorship=mentorship,
            held_on=timezone.localdate() + timedelta(days=days),
            note=note,
        )
    assert not MentoringSession.objects.exists()


def test_no_session_is_logged_before_the_mentorship_is_accepted(mentor, mentee, projection):
    with zeal_ignore():
        mentorship = ask(mentee, mentor, projection)

    with pytest.raises(InvalidTransition):
        services.log_session(
            actor=mentee, mentorship=mentorship, held_on=timezone.localdate(), note="Trop tôt"
        )


def test_either_party_rewrites_the_goals(mentor, mentee, projection, outsider):
    mentorship = started(mentee, mentor, projection)

    with zeal_ignore():
        services.update_goals(actor=mentor, mentorship=mentorship, goals="Projeter en 35 mm")
    with pytest.raises(PermissionDenied):
        services.update_goals(actor=outsider, mentorship=mentorship, goals="Rien")

    mentorship.refresh_from_db()
    assert mentorship.goals == "Projeter en 35 mm"


def test_ending_with_thanks_tells_the_other_and_frees_a_place(mentor, mentee, projection, outsider):
    mentorship = started(mentee, mentor, projection)

    with zeal_ignore():
        ended = services.end_mentorship(actor=mentee, mentorship=mentorship, thanks="Merci Nora !")

    assert ended.status == Mentorship.Status.ENDED
    assert ended.ended_by == mentee
    assert ended.thanks_note == "Merci Nora !"
    told = Notification.objects.filter(recipient=mentor, kind="mentoring.ended").get()
    assert told.body == "Merci Nora !"
    with pytest.raises(InvalidTransition):
        services.end_mentorship(actor=mentor, mentorship=mentorship)
    assert ask(outsider, mentor, projection).status == Mentorship.Status.REQUESTED


def test_continuing_after_the_check_in_is_recorded_once_per_side(mentor, mentee, projection):
    mentorship = started(mentee, mentor, projection)

    with zeal_ignore():
        first = services.continue_mentorship(actor=mentee, mentorship=mentorship)
        again = services.continue_mentorship(actor=mentee, mentorship=mentorship)

    assert first.mentee_continues_at == again.mentee_continues_at is not None
    assert again.mentor_continues_at is None


def test_a_member_who_has_not_accepted_the_code_of_conduct_cannot_ask(mentor, mentee, projection):
    mentee.code_of_conduct_version = 0
    mentee.save(update_fields=["code_of_conduct_version"])

    with pytest.raises(DomainError, match="code of conduct"):
        ask(mentee, mentor, projection)
