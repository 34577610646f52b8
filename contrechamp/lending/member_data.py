"""The lending app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `LendingConfig.ready()`.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core.errors import Conflict
from contrechamp.lending.models import (
    Booking,
    EquipmentManager,
    Item,
    Loan,
    LoanEvent,
    Swap,
    UrgentOffer,
    UrgentRequest,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_lending(user: User) -> dict[str, list[dict[str, object]]]:
    """The member's items, the loans they borrowed or lent, and their bookings."""
    items = Item.objects.filter(owner_user=user).order_by("pk")
    borrowed = Loan.objects.filter(borrower=user).select_related("item").order_by("pk")
    lent = Loan.objects.filter(item__owner_user=user).select_related("item").order_by("pk")
    bookings = Booking.objects.filter(booked_by=user).select_related("item").order_by("pk")
    swaps = (
        Swap.objects.filter(Q(proposer=user) | Q(recipient=user))
        .select_related("proposer", "recipient")
        .prefetch_related("wanted", "offered")
        .order_by("pk")
    )
    return {
        "items": [
            {
                "title": i.title,
                "kind": i.kind,
                "description": i.description,
                "condition": i.condition,
                "deposit": str(i.deposit),
                "pickup_area": i.city_name,
                "for_loan": i.offers_loan,
                "for_swap": i.offers_swap,
                "for_gift": i.offers_gift,
                "visibility": i.visibility,
                "withdrawn": i.is_withdrawn,
                "listed_at": _iso(i.created_at),
            }
            for i in items
        ],
        "loans_borrowed": [
            {
                "item": loan.item.title,
                "status": loan.status,
                "message": loan.message,
                "due_on": loan.due_on.isoformat() if loan.due_on else None,
                "returned_at": _iso(loan.returned_at),
                "returned_late": loan.returned_late,
                "requested_at": _iso(loan.created_at),
            }
            for loan in borrowed
        ],
        "loans_lent": [
            {
                "item": loan.item.title,
                "status": loan.status,
                "due_on": loan.due_on.isoformat() if loan.due_on else None,
                "return_condition_note": loan.return_condition_note,
                "requested_at": _iso(loan.created_at),
            }
            for loan in lent
        ],
        "bookings": [
            {
                "item": b.item.title,
                "start": _iso(b.start),
                "end": _iso(b.end),
                "status": b.status,
                "purpose": b.purpose,
            }
            for b in bookings
        ],
        "swaps": [
            {
                "proposed_by_me": s.proposer_id == user.pk,
                "other_member": (s.recipient if s.proposer_id == user.pk else s.proposer).username,
                "wanted": [i.title for i in s.wanted.all()],
                "offered": [i.title for i in s.offered.all()],
                "status": s.status,
                "message": s.message,
                "proposed_at": _iso(s.created_at),
            }
            for s in swaps
        ],
        "urgent_requests": [
            {
                "kind": u.kind,
                "start": _iso(u.start),
                "end": _iso(u.end),
                "near": u.city_name,
                "note": u.note,
                "status": u.status,
            }
            for u in UrgentRequest.objects.filter(requester=user).order_by("pk")
        ],
    }


def ensure_no_item_out(user: User) -> None:
    """Refuse to delete the account of a member who holds a borrowed item or has lent one
    that has not come back (Conflict)."""
    if Loan.objects.filter(borrower=user, status__in=Loan.OUT).exists():
        raise Conflict(_("You still hold a borrowed item: return it before deleting your account."))
    if Loan.objects.filter(item__owner_user=user, status__in=Loan.OUT).exists():
        raise Conflict(
            _("One of your items is lent: record its return before deleting your account.")
        )


@transaction.atomic
def withdraw_member_lending(user: User) -> None:
    """Inside the deletion transaction: the member's items leave the library, their open
    requests and future bookings are cancelled, the notes they wrote are cleared and they
    stop looking after networks' equipment.
    Finished loans stay, pointing at the anonymised member, for the other side's history."""
    ensure_no_item_out(user)
    now = timezone.now()
    Item.objects.filter(owner_user=user).update(
        is_withdrawn=True, description="", photo="", updated_at=now
    )
    open_loans = Loan.objects.filter(status__in=Loan.OPEN).filter(
        borrower=user
    ) | Loan.objects.filter(status__in=Loan.OPEN, item__owner_user=user)
    Loan.objects.filter(pk__in=open_loans.values("pk")).update(
        status=Loan.Status.CANCELLED, updated_at=now
    )
    Loan.objects.filter(borrower=user).update(message="")
    LoanEvent.objects.filter(actor=user).update(note="")
    Booking.objects.filter(
        booked_by=user,
        status__in=(Booking.Status.PENDING, Booking.Status.APPROVED),
        start__gt=now,
    ).update(status=Booking.Status.CANCELLED)
    Booking.objects.filter(booked_by=user).update(purpose="")
    EquipmentManager.objects.filter(user=user).delete()
    Swap.objects.filter(Q(proposer=user) | Q(recipient=user), status=Swap.Status.PROPOSED).update(
        status=Swap.Status.CANCELLED, decided_at=now
    )
    Swap.objects.filter(proposer=user).update(message="")
    UrgentRequest.objects.filter(requester=user, status=UrgentRequest.Status.OPEN).update(
        status=UrgentRequest.Status.CANCELLED
    )
    UrgentRequest.objects.filter(requester=user).update(note="")
    UrgentOffer.objects.filter(offered_by=user).update(message="")
