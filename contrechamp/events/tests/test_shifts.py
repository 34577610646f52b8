"""Volunteer shifts: organisers plan them around the event, members sign up."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.events import attendance_setup
from contrechamp.events.models import Event, Shift, ShiftSignup
from contrechamp.events.services import attendance as services
from contrechamp.events.tests.conftest import city
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.notifications.models import Notification


@pytest.fixture(autouse=True)
def _kinds():
    attendance_setup.register()


def shift_fields(event, **overrides):
    fields = {
        "role": Shift.Role.WELCOME,
        "label": "Accueil et billetterie",
        "starts_at": event.starts_at - timedelta(minutes=45),
        "ends_at": event.starts_at + timedelta(minutes=15),
        "slots": 2,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def shift(event):
    return Shift.objects.create(event=event, **shift_fields(event))


@pytest.fixture
def other_club_member(db):
    """Someone active in another network, not in the ciné-club."""
    person = UserFactory.create(username="grenoblois")
    network_services.create_network(
        actor=person,
        name="Courts-métrages de Grenoble",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Grenoble"),
    )
    return person


# Planning shifts


def test_an_organiser_adds_a_shift_around_the_event(event, organiser):
    added = services.add_shift(actor=organiser, event=event, **shift_fields(event))

    assert added.event == event
    assert added.role == Shift.Role.WELCOME
    assert added.slots == 2


def test_a_co_organiser_adds_shifts_too(event, co_organiser):
    assert services.add_shift(actor=co_organiser, event=event, **shift_fields(event))


def test_a_member_or_an_outsider_may_not_add_a_shift(event, member, outsider):
    for someone in (member, outsider):
        with pytest.raises(PermissionDenied):
            services.add_shift(actor=someone, event=event, **shift_fields(event))

    assert not Shift.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "start"}, "end after it starts"),
        ({"ends_at": "before start"}, "end after it starts"),
        ({"slots": 0}, "between 1 and"),
        ({"slots": -3}, "between 1 and"),
        ({"slots": 101}, "between 1 and"),
        ({"role": "projectionist"}, "Choose a role"),
        ({"role": ""}, "Choose a role"),
        ({"label": "x" * 101}, "too long"),
        ({"starts_at": "a day before"}, "around its event"),
        ({"ends_at": "a day after"}, "around its event"),
    ],
)
def test_a_shift_with_bad_fields_is_refused(event, organiser, overrides, message):
    fields = shift_fields(event)
    moments = {
        "start": fields["starts_at"],
        "before start": fields["starts_at"] - timedelta(minutes=1),
        "a day before": event.starts_at - timedelta(days=1),
        "a day after": event.ends_at + timedelta(days=1),
    }
    fields.update({key: moments.get(value, value) for key, value in overrides.items()})

    with pytest.raises(DomainError, match=message):
        services.add_shift(actor=organiser, event=event, **fields)

    assert not Shift.objects.exists()


def test_a_shift_may_start_twelve_hours_before_and_end_twelve_hours_after(event, organiser):
    setting_up = shift_fields(
        event,
        starts_at=event.starts_at - timedelta(hours=12),
        ends_at=event.starts_at,
    )
    tidying_up = shift_fields(
        event,
        role=Shift.Role.TIDYING,
        starts_at=event.ends_at,
        ends_at=event.ends_at + timedelta(hours=12),
    )

    services.add_shift(actor=organiser, event=event, **setting_up)
    services.add_shift(actor=organiser, event=event, **tidying_up)

    assert Shift.objects.count() == 2


def test_a_shift_without_a_time_zone_is_refused(event, organiser):
    fields = shift_fields(event)
    fields["starts_at"] = timezone.make_naive(fields["starts_at"])

    with pytest.raises(DomainError, match="time zone"):
        services.add_shift(actor=organiser, event=event, **fields)


def test_no_shift_is_added_to_a_cancelled_or_past_event(event, organiser):
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    with pytest.raises(InvalidTransition, match="cancelled"):
        services.add_shift(actor=organiser, event=event, **shift_fields(event))

    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status"])
    with (
        time_machine.travel(event.ends_at + timedelta(hours=1)),
        pytest.raises(InvalidTransition, match="over"),
    ):
        services.add_shift(actor=organiser, event=event, **shift_fields(event))


def test_an_organiser_changes_a_shift(shift, organiser):
    changed = services.update_shift(
        actor=organiser, shift=shift, **shift_fields(shift.event, label="Caisse", slots=4)
    )

    assert (changed.label, changed.slots) == ("Caisse", 4)


def test_a_shift_cannot_need_fewer_volunteers_than_signed_up(
    shift, organiser, member, co_organiser
):
    services.sign_up(actor=member, shift=shift)
    services.sign_up(actor=co_organiser, shift=shift)

    with pytest.raises(Conflict, match="2 volunteers have signed up"):
        services.update_shift(actor=organiser, shift=shift, **shift_fields(shift.event, slots=1))


def test_a_member_may_not_change_a_shift(shift, member):
    with pytest.raises(PermissionDenied):
        services.update_shift(actor=member, shift=shift, **shift_fields(shift.event, slots=9))


def test_removing_a_shift_tells_its_volunteers(shift, organiser, member, co_organiser):
    services.sign_up(actor=member, shift=shift)
    services.sign_up(actor=co_organiser, shift=shift)

    services.remove_shift(actor=organiser, shift=shift)

    assert not Shift.objects.exists()
    told = Notification.objects.filter(kind="events.shift_removed")
    assert {n.recipient_id for n in told} == {member.pk, co_organiser.pk}
    assert all("Welcome desk" in n.title for n in told)


def test_the_organiser_removing_a_shift_is_not_told_about_their_own_act(shift, organiser):
    services.sign_up(actor=organiser, shift=shift)

    services.remove_shift(actor=organiser, shift=shift)

    assert not Notification.objects.exists()


def test_a_member_may_not_remove_a_shift(shift, member):
    with pytest.raises(PermissionDenied):
        services.remove_shift(actor=member, shift=shift)

    assert Shift.objects.exists()


def test_a_shift_removed_meanwhile_is_a_clear_conflict(shift, organiser):
    services.remove_shift(actor=organiser, shift=shift)

    with pytest.raises(Conflict, match="removed meanwhile"):
        services.remove_shift(actor=organiser, shift=shift)


# Signing up


def test_a_member_signs_up_for_a_shift(shift, member):
    signup = services.sign_up(actor=member, shift=shift)

    assert signup.volunteer == member
    assert signup.shift == shift


def test_signing_up_twice_is_refused(shift, member):
    services.sign_up(actor=member, shift=shift)

    with pytest.raises(Conflict, match="already signed up"):
        services.sign_up(actor=member, shift=shift)

    assert ShiftSignup.objects.count() == 1


def test_a_full_shift_refuses_one_more(shift, member, co_organiser, organiser):
    services.sign_up(actor=member, shift=shift)
    services.sign_up(actor=co_organiser, shift=shift)

    with pytest.raises(Conflict, match="full"):
        services.sign_up(actor=organiser, shift=shift)


def test_someone_outside_the_network_may_not_volunteer_even_for_a_public_event(
    shift, outsider, other_club_member
):
    for someone in (outsider, other_club_member):
        with pytest.raises(PermissionDenied, match="Only members"):
            services.sign_up(actor=someone, shift=shift)

    assert not ShiftSignup.objects.exists()


def test_a_member_must_accept_the_new_charter_before_volunteering(shift, club, organiser, member):
    network_services.publish_charter(actor=organiser, network=club, text="Bienveillance.")

    with pytest.raises(PermissionDenied, match="charter"):
        services.sign_up(actor=member, shift=shift)


def test_a_shift_that_has_started_takes_no_more_volunteers(shift, member):
    with (
        time_machine.travel(shift.starts_at + timedelta(minutes=1)),
        pytest.raises(InvalidTransition, match="already started"),
    ):
        services.sign_up(actor=member, shift=shift)


def test_no_sign_up_for_a_shift_of_a_cancelled_event(shift, member):
    Event.objects.filter(pk=shift.event_id).update(status=Event.Status.CANCELLED)

    with pytest.raises(Conflict, match="cancelled"):
        services.sign_up(actor=member, shift=shift)


def test_a_draft_s_shifts_are_hidden_from_members(shift, member):
    Event.objects.filter(pk=shift.event_id).update(status=Event.Status.DRAFT)

    with pytest.raises(PermissionDenied):
        services.sign_up(actor=member, shift=shift)


def test_a_draft_s_shifts_are_not_open_to_its_organisers_yet(shift, organiser):
    Event.objects.filter(pk=shift.event_id).update(status=Event.Status.DRAFT)

    with pytest.raises(Conflict, match="not published"):
        services.sign_up(actor=organiser, shift=shift)


def test_a_volunteer_withdraws_before_the_shift(shift, member):
    signup = services.sign_up(actor=member, shift=shift)

    services.withdraw(actor=member, signup=signup)

    assert not ShiftSignup.objects.exists()


def test_nobody_withdraws_someone_else(shift, member, organiser):
    signup = services.sign_up(actor=member, shift=shift)

    with pytest.raises(PermissionDenied):
        services.withdraw(actor=organiser, signup=signup)

    assert ShiftSignup.objects.exists()


def test_withdrawing_after_the_shift_started_is_refused(shift, member):
    signup = services.sign_up(actor=member, shift=shift)

    with (
        time_machine.travel(shift.starts_at + timedelta(minutes=1)),
        pytest.raises(InvalidTransition, match="already started"),
    ):
        services.withdraw(actor=member, signup=signup)


def test_withdrawing_twice_is_a_clear_conflict(shift, member):
    signup = services.sign_up(actor=member, shift=shift)
    services.withdraw(actor=member, signup=signup)

    with pytest.raises(Conflict, match="no longer signed up"):
        services.withdraw(actor=member, signup=signup)
