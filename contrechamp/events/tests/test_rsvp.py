"""Answering an event: who may, when, the seats and the free waitlist, and the door."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.events import attendance_setup
from contrechamp.events.models import Event, Rsvp
from contrechamp.events.queries.attendance import waitlist_position
from contrechamp.events.services import attendance as services
from contrechamp.networks import services as network_services
from contrechamp.notifications.models import Notification

GOING, MAYBE = Rsvp.Status.GOING, Rsvp.Status.MAYBE
WAITLISTED, CANCELLED = Rsvp.Status.WAITLISTED, Rsvp.Status.CANCELLED


@pytest.fixture(autouse=True)
def _kinds():
    attendance_setup.register()


def people(count, prefix="spectateur"):
    with zeal_ignore():
        return [UserFactory.create(username=f"{prefix}{n}") for n in range(count)]


def with_seats(event, capacity):
    event.capacity = capacity
    event.save(update_fields=["capacity"])
    return event


def statuses(event):
    """Each person's answer for `event`, by member id, in one query."""
    return dict(Rsvp.objects.filter(event=event).values_list("member_id", "status"))


def status_of(person, event):
    return statuses(event)[person.pk]


def on_the_day(event):
    """The clock an hour before the doors open."""
    return time_machine.travel(event.starts_at - timedelta(hours=1))


# Who may answer


def test_a_member_going_takes_a_seat(event, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)

    assert answer.status == GOING
    assert answer.waitlisted_at is None
    assert Rsvp.objects.filter(event=event, status=GOING).count() == 1


def test_anyone_signed_in_may_answer_for_a_public_event(event, outsider):
    answer = services.rsvp(actor=outsider, event=event, status=MAYBE)

    assert answer.status == MAYBE


def test_an_outsider_may_not_answer_for_a_members_only_event(event, outsider):
    event.visibility = Event.Visibility.MEMBERS
    event.save(update_fields=["visibility"])

    with pytest.raises(PermissionDenied):
        services.rsvp(actor=outsider, event=event, status=GOING)

    assert not Rsvp.objects.exists()


def test_a_member_answers_for_a_members_only_event(event, member):
    event.visibility = Event.Visibility.MEMBERS
    event.save(update_fields=["visibility"])

    assert services.rsvp(actor=member, event=event, status=GOING).status == GOING


def test_a_member_must_accept_the_new_charter_before_answering_for_a_members_only_event(
    event, club, organiser, member
):
    event.visibility = Event.Visibility.MEMBERS
    event.save(update_fields=["visibility"])
    network_services.publish_charter(actor=organiser, network=club, text="Bienveillance.")

    with pytest.raises(PermissionDenied, match="charter"):
        services.rsvp(actor=member, event=event, status=GOING)


def test_someone_who_has_not_accepted_the_code_of_conduct_is_asked_to(event):
    newcomer = UserFactory.create(username="nouveau", code_of_conduct_version=0)

    with pytest.raises(DomainError, match="code of conduct"):
        services.rsvp(actor=newcomer, event=event, status=GOING)


def test_a_draft_is_hidden_from_outsiders_and_closed_to_its_organisers(event, organiser, outsider):
    event.status = Event.Status.DRAFT
    event.save(update_fields=["status"])

    with pytest.raises(PermissionDenied):
        services.rsvp(actor=outsider, event=event, status=GOING)
    with pytest.raises(Conflict, match="not published"):
        services.rsvp(actor=organiser, event=event, status=GOING)


def test_a_cancelled_event_refuses_answers(event, member):
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])

    with pytest.raises(Conflict, match="cancelled"):
        services.rsvp(actor=member, event=event, status=GOING)


def test_an_event_that_has_started_refuses_answers_even_cancellations(event, member):
    services.rsvp(actor=member, event=event, status=GOING)

    with (
        time_machine.travel(event.starts_at + timedelta(minutes=5)),
        pytest.raises(Conflict, match="started"),
    ):
        services.rsvp(actor=member, event=event, status=CANCELLED)

    assert status_of(member, event) == GOING


def test_an_event_that_is_over_refuses_answers(event, member):
    with (
        time_machine.travel(event.ends_at + timedelta(days=1)),
        pytest.raises(Conflict, match="over"),
    ):
        services.rsvp(actor=member, event=event, status=GOING)


@pytest.mark.parametrize("status", ["waitlisted", "yes", "", "GOING", "x" * 500])
def test_an_answer_that_is_not_going_maybe_or_not_going_is_refused(event, member, status):
    with pytest.raises(DomainError, match="going, maybe or not going"):
        services.rsvp(actor=member, event=event, status=status)


def test_cancelling_without_having_answered_is_refused(event, member):
    with pytest.raises(Conflict, match="nothing to cancel"):
        services.rsvp(actor=member, event=event, status=CANCELLED)


def test_answering_the_same_twice_changes_nothing(event, member):
    first = services.rsvp(actor=member, event=event, status=GOING)
    again = services.rsvp(actor=member, event=event, status=GOING)

    assert again.pk == first.pk
    assert again.updated_at == first.updated_at
    assert Rsvp.objects.count() == 1


# Seats and the waitlist


def test_going_to_a_full_event_joins_the_waitlist_in_order(event):
    with_seats(event, 2)
    ana, bruno, chloe, dan = people(4)

    answers = [services.rsvp(actor=p, event=event, status=GOING) for p in (ana, bruno, chloe, dan)]

    assert [a.status for a in answers] == [GOING, GOING, WAITLISTED, WAITLISTED]
    assert answers[2].waitlisted_at is not None
    assert [waitlist_position(a) for a in answers] == [None, None, 1, 2]
    assert Rsvp.objects.filter(event=event, status=GOING).count() == 2


def test_cancelling_a_seat_promotes_the_first_waitlisted_and_notifies_only_them(event):
    with_seats(event, 1)
    ana, bruno, chloe = people(3)
    for person in (ana, bruno, chloe):
        services.rsvp(actor=person, event=event, status=GOING)

    services.rsvp(actor=ana, event=event, status=CANCELLED)

    promoted = Rsvp.objects.get(event=event, member=bruno)
    assert promoted.status == GOING
    assert promoted.promoted_at is not None
    assert status_of(chloe, event) == WAITLISTED
    assert waitlist_position(Rsvp.objects.get(event=event, member=chloe)) == 1
    told = Notification.objects.get(kind="events.waitlist_promoted")
    assert told.recipient == bruno
    assert event.title in told.title
    assert told.url == event.get_absolute_url()


def test_going_to_maybe_frees_the_seat_for_the_waitlist(event):
    with_seats(event, 1)
    ana, bruno = people(2)
    services.rsvp(actor=ana, event=event, status=GOING)
    services.rsvp(actor=bruno, event=event, status=GOING)

    services.rsvp(actor=ana, event=event, status=MAYBE)

    assert statuses(event) == {ana.pk: MAYBE, bruno.pk: GOING}


def test_leaving_the_waitlist_gives_nobody_a_seat(event):
    with_seats(event, 1)
    ana, bruno, chloe = people(3)
    for person in (ana, bruno, chloe):
        services.rsvp(actor=person, event=event, status=GOING)

    services.rsvp(actor=bruno, event=event, status=CANCELLED)

    assert statuses(event) == {ana.pk: GOING, bruno.pk: CANCELLED, chloe.pk: WAITLISTED}
    assert waitlist_position(Rsvp.objects.get(event=event, member=chloe)) == 1
    assert not Notification.objects.filter(kind="events.waitlist_promoted").exists()


def test_nobody_jumps_the_queue(event):
    with_seats(event, 1)
    ana, bruno, chloe, dan = people(4)
    for person in (ana, bruno, chloe):
        services.rsvp(actor=person, event=event, status=GOING)

    services.rsvp(actor=ana, event=event, status=CANCELLED)
    late = services.rsvp(actor=dan, event=event, status=GOING)

    assert status_of(bruno, event) == GOING
    assert late.status == WAITLISTED
    assert waitlist_position(Rsvp.objects.get(event=event, member=chloe)) == 1
    assert waitlist_position(late) == 2


def test_saying_going_again_while_waiting_keeps_ones_place(event):
    with_seats(event, 1)
    ana, bruno, chloe = people(3)
    for person in (ana, bruno, chloe):
        services.rsvp(actor=person, event=event, status=GOING)

    again = services.rsvp(actor=bruno, event=event, status=GOING)

    assert again.status == WAITLISTED
    assert waitlist_position(again) == 1


def test_answering_again_after_cancelling_goes_to_the_end_of_the_waitlist(event):
    with_seats(event, 1)
    ana, bruno, chloe = people(3)
    for person in (ana, bruno, chloe):
        services.rsvp(actor=person, event=event, status=GOING)

    services.rsvp(actor=bruno, event=event, status=CANCELLED)
    back = services.rsvp(actor=bruno, event=event, status=GOING)

    assert back.status == WAITLISTED
    assert waitlist_position(back) == 2
    assert waitlist_position(Rsvp.objects.get(event=event, member=chloe)) == 1


def test_an_event_without_a_seat_limit_never_has_a_waitlist(event):
    with_seats(event, None)

    answers = [services.rsvp(actor=p, event=event, status=GOING) for p in people(5)]

    assert {a.status for a in answers} == {GOING}


def test_raising_the_capacity_promotes_the_waitlist_in_order(event):
    with_seats(event, 1)
    ana, bruno, chloe, dan = people(4)
    for person in (ana, bruno, chloe, dan):
        services.rsvp(actor=person, event=event, status=GOING)

    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        locked.capacity = 3
        locked.save(update_fields=["capacity"])
        promoted = services.promote_from_waitlist(locked)

    assert [rsvp.member for rsvp in promoted] == [bruno, chloe]
    assert status_of(dan, event) == WAITLISTED
    assert Notification.objects.filter(kind="events.waitlist_promoted").count() == 2


def test_removing_the_seat_limit_promotes_everyone_waiting(event):
    with_seats(event, 1)
    for person in people(3):
        services.rsvp(actor=person, event=event, status=GOING)

    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        locked.capacity = None
        locked.save(update_fields=["capacity"])
        promoted = services.promote_from_waitlist(locked)

    assert len(promoted) == 2
    assert not Rsvp.objects.filter(status=WAITLISTED).exists()


def test_lowering_the_capacity_takes_no_seat_back(event):
    with_seats(event, 3)
    for person in people(3):
        services.rsvp(actor=person, event=event, status=GOING)

    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        locked.capacity = 1
        locked.save(update_fields=["capacity"])
        assert services.promote_from_waitlist(locked) == []

    assert Rsvp.objects.filter(status=GOING).count() == 3


def test_a_seat_freed_without_a_promotion_goes_to_the_queue_not_to_a_newcomer(event):
    with_seats(event, 1)
    ana, bruno, chloe = people(3)
    services.rsvp(actor=ana, event=event, status=GOING)
    services.rsvp(actor=bruno, event=event, status=GOING)
    with_seats(event, 2)  # raised by hand, without promote_from_waitlist

    newcomer = services.rsvp(actor=chloe, event=event, status=GOING)

    assert status_of(bruno, event) == GOING
    assert newcomer.status == WAITLISTED


# The door


def test_an_organiser_checks_in_a_member_going_at_the_door(event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)

    with on_the_day(event):
        checked = services.check_in(actor=organiser, rsvp=answer)

    assert checked.checked_in_at is not None
    assert checked.checked_in_by == organiser


def test_a_co_organiser_checks_people_in_too(event, co_organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)

    with on_the_day(event):
        services.check_in(actor=co_organiser, rsvp=answer)

    assert Rsvp.objects.get(pk=answer.pk).checked_in_by == co_organiser


def test_a_plain_member_or_an_outsider_may_not_check_anyone_in(event, member, outsider):
    answer = services.rsvp(actor=member, event=event, status=GOING)

    with on_the_day(event):
        for someone in (member, outsider):
            with pytest.raises(PermissionDenied):
                services.check_in(actor=someone, rsvp=answer)
            with pytest.raises(PermissionDenied):
                services.check_in_walk_in(actor=someone, event=event, member=someone)

    assert Rsvp.objects.get(pk=answer.pk).checked_in_at is None


def test_check_in_is_closed_before_the_day_and_long_after(event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)

    with pytest.raises(InvalidTransition, match="day of the event"):
        services.check_in(actor=organiser, rsvp=answer)
    with (
        time_machine.travel(event.ends_at + timedelta(days=2)),
        pytest.raises(InvalidTransition, match="over"),
    ):
        services.check_in(actor=organiser, rsvp=answer)


def test_a_cancelled_answer_cannot_be_checked_in(event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)
    services.rsvp(actor=member, event=event, status=CANCELLED)

    with on_the_day(event), pytest.raises(InvalidTransition, match="walk-in"):
        services.check_in(actor=organiser, rsvp=answer)


def test_checking_in_twice_is_refused_and_undo_takes_it_back(event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)

    with on_the_day(event):
        services.check_in(actor=organiser, rsvp=answer)
        with pytest.raises(Conflict, match="already checked in"):
            services.check_in(actor=organiser, rsvp=answer)
        undone = services.undo_check_in(actor=organiser, rsvp=answer)
        with pytest.raises(Conflict, match="not checked in"):
            services.undo_check_in(actor=organiser, rsvp=answer)

    assert undone.checked_in_at is None
    assert undone.status == GOING


def test_someone_who_said_maybe_takes_a_free_seat_when_checked_in(event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=MAYBE)

    with on_the_day(event):
        checked = services.check_in(actor=organiser, rsvp=answer)

    assert checked.status == GOING


def test_someone_who_said_maybe_is_refused_at_the_door_of_a_full_event(event, organiser):
    with_seats(event, 1)
    ana, bruno = people(2)
    services.rsvp(actor=ana, event=event, status=GOING)
    maybe = services.rsvp(actor=bruno, event=event, status=MAYBE)

    with on_the_day(event), pytest.raises(Conflict, match="full"):
        services.check_in(actor=organiser, rsvp=maybe)


def test_a_walk_in_takes_a_free_seat(event, organiser, outsider):
    with on_the_day(event):
        walk_in = services.check_in_walk_in(actor=organiser, event=event, member=outsider)

    assert walk_in.status == GOING
    assert walk_in.checked_in_at is not None


def test_a_walk_in_who_had_cancelled_comes_back_with_a_seat(event, organiser, member):
    services.rsvp(actor=member, event=event, status=GOING)
    services.rsvp(actor=member, event=event, status=CANCELLED)

    with on_the_day(event):
        walk_in = services.check_in_walk_in(actor=organiser, event=event, member=member)

    assert walk_in.status == GOING
    assert Rsvp.objects.filter(event=event, member=member).count() == 1


def test_a_walk_in_is_refused_when_the_event_is_full(event, organiser, outsider):
    with_seats(event, 1)
    services.rsvp(actor=people(1)[0], event=event, status=GOING)

    with on_the_day(event), pytest.raises(Conflict, match="full"):
        services.check_in_walk_in(actor=organiser, event=event, member=outsider)

    assert not Rsvp.objects.filter(member=outsider).exists()


def test_a_walk_in_at_a_members_only_event_must_be_a_member(event, organiser, outsider, member):
    event.visibility = Event.Visibility.MEMBERS
    event.save(update_fields=["visibility"])

    with on_the_day(event):
        with pytest.raises(PermissionDenied, match="not a member"):
            services.check_in_walk_in(actor=organiser, event=event, member=outsider)
        assert services.check_in_walk_in(actor=organiser, event=event, member=member)


def test_a_walk_in_checked_in_twice_is_refused(event, organiser, outsider):
    with on_the_day(event):
        services.check_in_walk_in(actor=organiser, event=event, member=outsider)
        with pytest.raises(Conflict, match="already checked in"):
            services.check_in_walk_in(actor=organiser, event=event, member=outsider)


def test_nobody_is_checked_in_at_a_cancelled_event(event, organiser, member):
    answer = services.rsvp(actor=member, event=event, status=GOING)
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])

    with on_the_day(event), pytest.raises(InvalidTransition, match="cancelled"):
        services.check_in(actor=organiser, rsvp=answer)
