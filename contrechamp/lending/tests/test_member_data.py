import json

import pytest
from zeal import zeal_ignore

from contrechamp.accounts import services as account_services
from contrechamp.core.errors import Conflict
from contrechamp.lending import services
from contrechamp.lending.models import Booking, Item, Loan
from contrechamp.lending.tests.conftest import slot
from contrechamp.lending.tests.test_loans import in_days

pytestmark = pytest.mark.django_db


def lending_part(export: dict[str, object]) -> dict[str, list[dict[str, object]]]:
    part = export["lending"]
    assert isinstance(part, dict)
    return part


def test_the_export_holds_my_items_loans_and_bookings(item, camera, member, other_member):
    start, end = slot()
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=item, message="Pour jeudi")
        services.book_equipment(actor=member, item=camera, start=start, end=end)

    lender = lending_part(account_services.export_member_data(actor=member, member=member))
    borrower = lending_part(
        account_services.export_member_data(actor=other_member, member=other_member)
    )

    json.dumps(lender)
    assert [i["title"] for i in lender["items"]] == [item.title]
    assert lender["loans_lent"][0]["status"] == loan.status
    assert lender["bookings"][0]["item"] == camera.title
    assert borrower["loans_borrowed"][0]["message"] == "Pour jeudi"
    assert lender["swaps"] == []
    assert lender["urgent_requests"] == []


def test_deletion_is_refused_while_the_member_holds_a_borrowed_item(item, member, other_member):
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=item)
        services.accept_loan(actor=member, loan=loan)
        services.hand_over(actor=member, loan=loan, due_on=in_days(7))

    with pytest.raises(Conflict, match="borrowed item"):
        account_services.delete_account(actor=other_member, member=other_member)
    with pytest.raises(Conflict, match="items is lent"):
        account_services.delete_account(actor=member, member=member)

    other_member.refresh_from_db()
    assert other_member.deleted_at is None


def test_deletion_withdraws_items_and_cancels_open_requests_and_bookings(
    item, camera, member, other_member
):
    start, end = slot()
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=item, message="Mon adresse…")
        booking = services.book_equipment(
            actor=other_member, item=camera, start=start, end=end, purpose="Tournage"
        )

    account_services.delete_account(actor=other_member, member=other_member)
    account_services.delete_account(actor=member, member=member)

    loan.refresh_from_db()
    booking.refresh_from_db()
    assert loan.status == Loan.Status.CANCELLED
    assert loan.message == ""
    assert booking.status == Booking.Status.CANCELLED
    assert booking.purpose == ""
    assert Item.objects.get(pk=item.pk).is_withdrawn
