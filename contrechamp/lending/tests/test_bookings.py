from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.lending import queries, services
from contrechamp.lending.models import Booking, Item
from contrechamp.lending.tests.conftest import slot
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(make_item, network, admin):
    body = make_item(by=admin, network=network, kind=Item.Kind.CAMERA, title="Boîtier")
    lens = make_item(by=admin, network=network, kind=Item.Kind.LENS, title="Objectif 35 mm")
    return make_item(
        by=admin, network=network, kind=Item.Kind.KIT, title="Kit caméra", parts=(body, lens)
    )


def test_a_members_booking_waits_for_an_equipment_manager(camera, other_member, member):
    start, end = slot()

    booking = services.book_equipment(actor=other_member, item=camera, start=start, end=end)

    assert booking.status == Booking.Status.PENDING
    assert Notification.objects.filter(recipient=member, kind="lending.booking_requested").exists()
    approved = services.decide_booking(actor=member, booking=booking, approve=True)
    assert approved.status == Booking.Status.APPROVED


def test_an_equipment_managers_own_booking_is_approved_at_once(camera, member):
    start, end = slot()

    booking = services.book_equipment(actor=member, item=camera, start=start, end=end)

    assert booking.status == Booking.Status.APPROVED


def test_an_overlapping_booking_is_refused_with_the_next_free_slots(camera, member, other_member):
    start, end = slot(hours=4)
    services.book_equipment(actor=member, item=camera, start=start, end=end)

    with pytest.raises(Conflict) as refused:
        services.book_equipment(
            actor=other_member,
            item=camera,
            start=start + timedelta(hours=1),
            end=end + timedelta(hours=1),
        )

    local_end = timezone.localtime(end)
    assert "Next free slots" in str(refused.value.message)
    assert f"{local_end:%d/%m/%Y %H:%M}" in str(refused.value.message)
    assert Booking.objects.count() == 1


def test_back_to_back_bookings_do_not_overlap(camera, member):
    start, end = slot(hours=2)
    services.book_equipment(actor=member, item=camera, start=start, end=end)

    services.book_equipment(actor=member, item=camera, start=end, end=end + timedelta(hours=2))

    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("start_offset", "length", "message"),
    [
        (timedelta(days=2), timedelta(hours=-2), "end must come after"),
        (timedelta(days=-1), timedelta(hours=2), "already begun"),
        (timedelta(days=2), timedelta(days=3650), "at most 30 days"),
        (timedelta(days=4000), timedelta(hours=2), "a year ahead"),
    ],
)
def test_a_bad_slot_is_refused(camera, member, start_offset, length, message):
    start = timezone.now() + start_offset

    with pytest.raises(DomainError, match=message):
        services.book_equipment(actor=member, item=camera, start=start, end=start + length)

    assert not Booking.objects.exists()


def test_only_members_of_the_network_can_book(camera, outsider):
    start, end = slot()

    with pytest.raises(PermissionDenied):
        services.book_equipment(actor=outsider, item=camera, start=start, end=end)


def test_booking_a_kit_books_all_its_parts(kit, other_member, member):
    start, end = slot()

    booking = services.book_equipment(actor=other_member, item=kit, start=start, end=end)
    services.decide_booking(actor=member, booking=booking, approve=True)

    parts = Booking.objects.filter(kit_booking=booking)
    assert sorted(parts.values_list("item__title", flat=True)) == ["Boîtier", "Objectif 35 mm"]
    assert set(parts.values_list("status", flat=True)) == {Booking.Status.APPROVED}


def test_a_part_booked_alone_blocks_its_kit(kit, member, other_member):
    start, end = slot()
    body = kit.parts.get(title="Boîtier")
    services.book_equipment(actor=member, item=body, start=start, end=end)

    with pytest.raises(Conflict):
        services.book_equipment(actor=other_member, item=kit, start=start, end=end)


def test_a_declined_booking_frees_the_slot(camera, member, other_member):
    start, end = slot()
    booking = services.book_equipment(actor=other_member, item=camera, start=start, end=end)
    services.decide_booking(actor=member, booking=booking, approve=False)

    again = services.book_equipment(actor=member, item=camera, start=start, end=end)

    assert again.status == Booking.Status.APPROVED


def test_checkout_and_checkin_keep_their_condition_notes(camera, member, other_member):
    start, end = slot()
    booking = services.book_equipment(actor=other_member, item=camera, start=start, end=end)

    with pytest.raises(InvalidTransition):
        services.check_out(actor=member, booking=booking)
    services.decide_booking(actor=member, booking=booking, approve=True)
    services.check_out(actor=member, booking=booking, note="Batterie chargée")
    booking = services.check_in(actor=member, booking=booking, note="Rayure sur le capot")

    assert booking.status == Booking.Status.RETURNED
    assert (booking.checkout_note, booking.checkin_note) == (
        "Batterie chargée",
        "Rayure sur le capot",
    )


def test_a_plain_member_cannot_approve_bookings(camera, other_member):
    start, end = slot()
    booking = services.book_equipment(actor=other_member, item=camera, start=start, end=end)

    with pytest.raises(PermissionDenied):
        services.decide_booking(actor=other_member, booking=booking, approve=True)


def test_out_of_order_warns_the_holders_of_future_bookings_and_blocks_new_ones(
    kit, member, other_member
):
    start, end = slot()
    booking = services.book_equipment(actor=other_member, item=kit, start=start, end=end)
    body = kit.parts.get(title="Boîtier")

    services.set_out_of_order(actor=member, item=body, out_of_order=True, note="Capteur HS")

    warned = Notification.objects.get(recipient=other_member, kind="lending.booking_out_of_order")
    assert warned.url == booking.get_absolute_url()
    later_start, later_end = slot(days=10)
    with pytest.raises(DomainError, match="out of order"):
        services.book_equipment(actor=member, item=kit, start=later_start, end=later_end)


def test_next_free_slots_skip_the_booked_ones(camera, member):
    start, end = slot(hours=2)
    services.book_equipment(actor=member, item=camera, start=start, end=end)
    services.book_equipment(
        actor=member, item=camera, start=end + timedelta(hours=1), end=end + timedelta(hours=3)
    )

    slots = queries.next_free_slots(
        [camera], after=start - timedelta(hours=1), length=timedelta(hours=1)
    )

    assert slots == [
        (start - timedelta(hours=1), start),
        (end, end + timedelta(hours=1)),
        (end + timedelta(hours=3), end + timedelta(hours=4)),
    ]


def test_the_booker_can_cancel_but_not_after_checkout(camera, member, other_member):
    start, end = slot()
    booking = services.book_equipment(actor=other_member, item=camera, start=start, end=end)
    services.cancel_booking(actor=other_member, booking=booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED

    second = services.book_equipment(actor=member, item=camera, start=start, end=end)
    services.check_out(actor=member, booking=second)
    with pytest.raises(InvalidTransition):
        services.cancel_booking(actor=member, booking=second)
