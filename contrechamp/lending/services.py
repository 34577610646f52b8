"""Everything a person does with items, loans, bookings, swaps and urgent requests.

Each function checks who is acting before it changes anything, runs in one transaction and
locks the rows whose state it reads (`select_for_update`): on PostgreSQL the row locks
serialise concurrent actions on one loan or item, on SQLite the IMMEDIATE transactions do.
Every step of a loan is appended to its audit trail (`LoanEvent`); notifications are
recorded in the same transaction and emailed after it commits.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.core.transactions import serialised
from contrechamp.films.models import Film
from contrechamp.lending import queries
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
from contrechamp.lending.permissions import (
    can_manage_network_items,
    ensure_can_manage_item,
    item_keepers,
)
from contrechamp.networks.models import Membership, Network, Role
from contrechamp.networks.permissions import ensure_can_act, ensure_role
from contrechamp.notifications.services import in_language_of, notify
from contrechamp.search.services import reindex_on_commit
from contrechamp.wanted import matching as wanted_matching

OFFER_HOLD = timedelta(hours=48)
REMINDER_DAYS_BEFORE = 2
MAX_LOAN_DAYS = 365
MAX_EXTENSION_DAYS = 90
MAX_BOOKING = timedelta(days=30)
MAX_BOOKING_AHEAD = timedelta(days=365)


def _locked_item(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _locked_loan(loan: Loan) -> Loan:
    """The loan and its item, locked item first: every loan service locks in that order
    (the waitlist and "one borrower at a time" are per item), so two of them acting on
    loans of one item queue up instead of deadlocking."""
    item_id = Loan.objects.filter(pk=loan.pk).values_list("item_id", flat=True).get()
    item = (
        Item.objects.select_for_update(of=("self",)).select_related("owner_network").get(pk=item_id)
    )
    locked = Loan.objects.select_for_update(of=("self",)).select_related("borrower").get(pk=loan.pk)
    locked.item = item
    return locked


def _record(loan: Loan, actor: User | None, action: str, note: str = "") -> None:
    LoanEvent.objects.create(loan=loan, actor=actor, action=action, note=note[:1000])


def _set_status(loan: Loan, status: str, *fields: str) -> None:
    loan.status = status
    loan.updated_at = timezone.now()
    loan.save(update_fields=["status", "updated_at", *fields])


def _overdue_title(item_title: str) -> str:
    return _("“%(title)s” is overdue") % {"title": item_title}


def _tell_keepers(
    item: Item, *, kind: str, title: Callable[[], str], url: str, actor: User | None
) -> None:
    """Notify the item's keepers; `title` is called in each keeper's language."""
    for keeper in item_keepers(item).select_related("notification_language"):
        with in_language_of(keeper):
            notify(recipient=keeper, kind=kind, title=title(), url=url, actor=actor)


# --- Items


@dataclass(frozen=True)
class ItemDetails:
    """What an owner says about an item (the fields of the item form)."""

    kind: str
    title: str
    place: places.Place
    description: str = ""
    condition: str = Item.Condition.GOOD
    deposit: Decimal = Decimal(0)
    offers_loan: bool = True
    offers_swap: bool = False
    offers_gift: bool = False
    visibility: str = Item.Visibility.PUBLIC
    is_valuable: bool = False
    min_on_time_returns: int = 0
    film: Film | None = None


def _apply(item: Item, details: ItemDetails) -> None:
    if not (details.offers_loan or details.offers_swap or details.offers_gift):
        raise DomainError(_("Offer the item for loan, swap or gift (at least one)."))
    if details.deposit < 0:
        raise DomainError(_("A deposit cannot be negative."))
    item.kind = details.kind
    item.film = details.film
    item.title = details.title.strip()[:200]
    item.description = details.description[:5000]
    item.condition = details.condition
    item.deposit = details.deposit
    item.city_name = details.place.name
    item.latitude, item.longitude = places.approximate(
        details.place.latitude, details.place.longitude
    )
    item.offers_loan = details.offers_loan
    item.offers_swap = details.offers_swap
    item.offers_gift = details.offers_gift
    item.visibility = details.visibility
    item.is_valuable = details.is_valuable
    item.min_on_time_returns = details.min_on_time_returns if details.is_valuable else 0
    item.updated_at = timezone.now()


def _set_parts(item: Item, parts: Iterable[Item]) -> None:
    chosen = list(parts)
    if not chosen:
        item.parts.clear()
        return
    if item.kind != Item.Kind.KIT or item.owner_network_id is None:
        raise DomainError(_("Only a network's kit can bundle other items."))
    for part in chosen:
        if part.owner_network_id != item.owner_network_id or part.pk == item.pk:
            raise DomainError(_("A kit can only bundle other items of the same network."))
        if part.kind == Item.Kind.KIT:
            raise DomainError(_("A kit cannot contain another kit."))
    item.parts.set(chosen)


@transaction.atomic
def create_item(
    *,
    actor: User,
    details: ItemDetails,
    owner_network: Network | None = None,
    photo: UploadedFile[Any] | None = None,
    parts: Iterable[Item] = (),
) -> Item:
    """List an item owned by the actor, or by a network the actor looks after
    (its admins and equipment managers)."""
    if not actor.is_authenticated or actor.is_deleted:
        raise PermissionDenied(_("Sign in to list an item."))
    if owner_network is not None and not can_manage_network_items(actor, owner_network):
        raise PermissionDenied(
            _("Only the admins and equipment managers of this network can list its items.")
        )
    item = Item(owner_user=None if owner_network else actor, owner_network=owner_network)
    _apply(item, details)
    if photo is not None:
        item.photo = photo
    item.save()
    _set_parts(item, parts)
    reindex_on_commit("items", [item.pk])
    wanted_matching.offers_changed_on_commit("library", [item.pk])
    return item


@transaction.atomic
def update_item(
    *,
    actor: User,
    item: Item,
    details: ItemDetails,
    photo: UploadedFile[Any] | None = None,
    parts: Iterable[Item] | None = None,
) -> Item:
    """Change what the owner says about an item (its owner cannot change)."""
    item = _locked_item(item)
    ensure_can_manage_item(actor, item)
    _apply(item, details)
    if photo is not None:
        item.photo = photo
    item.save()
    if parts is not None:
        _set_parts(item, parts)
    reindex_on_commit("items", [item.pk])
    wanted_matching.offers_changed_on_commit("library", [item.pk])
    return item


@transaction.atomic
def withdraw_item(*, actor: User, item: Item) -> Item:
    """Take an item out of the library; refused while it is out with a borrower.
    Pending requests and future bookings are cancelled and their authors told."""
    item = _locked_item(item)
    ensure_can_manage_item(actor, item)
    if item.loans.filter(status__in=Loan.OUT).exists():
        raise Conflict(_("This item is out with a borrower: record its return first."))
    for loan in item.loans.filter(status__in=Loan.OPEN).select_related("borrower"):
        _set_status(loan, Loan.Status.CANCELLED)
        _record(loan, actor, LoanEvent.Action.CANCELLED, _("The item was withdrawn."))
        with in_language_of(loan.borrower):
            notify(
                recipient=loan.borrower,
                kind="lending.loan_cancelled",
                title=_("“%(title)s” is no longer lent") % {"title": item.title},
                url=loan.get_absolute_url(),
                actor=actor,
            )
    _cancel_future_bookings(item, actor, reason=_("The item was withdrawn."))
    item.is_withdrawn = True
    item.updated_at = timezone.now()
    item.save(update_fields=["is_withdrawn", "updated_at"])
    reindex_on_commit("items", [item.pk])
    wanted_matching.offers_changed_on_commit("library", [item.pk])
    return item


@transaction.atomic
def set_out_of_order(*, actor: User, item: Item, out_of_order: bool, note: str = "") -> Item:
    """Mark equipment out of order (or working again). Out of order, it cannot be booked,
    and the holders of its future bookings (and of its kits') are warned."""
    item = _locked_item(item)
    ensure_can_manage_item(actor, item)
    item.is_out_of_order = out_of_order
    item.out_of_order_note = note[:500] if out_of_order else ""
    item.updated_at = timezone.now()
    item.save(update_fields=["is_out_of_order", "out_of_order_note", "updated_at"])
    wanted_matching.offers_changed_on_commit("library", [item.pk])
    if out_of_order:
        affected = (
            Booking.objects.filter(
                item=item,
                status__in=Booking.HOLDING,
                end__gt=timezone.now(),
            )
            .select_related("booked_by", "kit_booking__item")
            .order_by("start")
        )
        for booking in affected:
            head = booking.kit_booking or booking
            with in_language_of(booking.booked_by):
                notify(
                    recipient=booking.booked_by,
                    kind="lending.booking_out_of_order",
                    title=_("“%(title)s”, which you booked, is out of order")
                    % {"title": item.title},
                    body=note[:500],
                    url=head.get_absolute_url(),
                    actor=actor,
                )
    return item


@transaction.atomic
def add_equipment_manager(*, actor: User, network: Network, member: User) -> EquipmentManager:
    """A network admin lets a member look after the network's items."""
    ensure_role(actor, network, {Role.ADMIN})
    if not Membership.objects.filter(
        network=network, user=member, status=Membership.Status.ACTIVE
    ).exists():
        raise DomainError(_("Only a member of this network can look after its equipment."))
    manager, created = EquipmentManager.objects.get_or_create(
        network=network, user=member, defaults={"added_by": actor}
    )
    if not created:
        raise Conflict(_("This member already looks after the equipment."))
    return manager


@transaction.atomic
def remove_equipment_manager(*, actor: User, network: Network, member: User) -> None:
    ensure_role(actor, network, {Role.ADMIN})
    deleted, _rows = EquipmentManager.objects.filter(network=network, user=member).delete()
    if not deleted:
        raise Conflict(_("This member does not look after the equipment."))


# --- Loans


def _item_is_taken(item: Item, *, excluding: Loan | None = None) -> bool:
    """The item is out, promised, offered to someone, or others wait for it."""
    waiting = item.loans.filter(status__in=[*Loan.OUT, Loan.Status.OFFERED, Loan.Status.WAITLISTED])
    if excluding is not None:
        waiting = waiting.exclude(pk=excluding.pk)
    return waiting.exists()


@serialised
def request_loan(*, actor: User, item: Item, message: str = "") -> Loan:
    """Ask to borrow an item. While it is out (or others wait for it) the request joins
    the waitlist; a valuable item refuses borrowers below the owner's threshold."""
    if not actor.is_authenticated or actor.is_deleted:
        raise PermissionDenied(_("Sign in to borrow an item."))
    item = _locked_item(item)
    if not queries.visible_items(actor).filter(pk=item.pk).exists():
        raise PermissionDenied(_("This item is not shown to you."))
    if item.owner_user_id == actor.pk:
        raise DomainError(_("This is your own item: you cannot borrow it."))
    if item.is_withdrawn or not item.offers_loan:
        raise DomainError(_("This item is not offered for loan."))
    if item.is_bookable:
        raise DomainError(_("Book this equipment for a time slot instead."))
    if item.is_out_of_order:
        raise DomainError(_("This item is out of order."))
    if item.is_valuable:
        record = queries.track_record(actor)
        if record.on_time < item.min_on_time_returns:
            raise PermissionDenied(
                _(
                    "The owner lends this valuable item to members who returned at least "
                    "%(count)s loans on time; you have returned %(yours)s."
                )
                % {"count": item.min_on_time_returns, "yours": record.on_time}
            )
    if item.loans.filter(borrower=actor, status__in=Loan.OPEN).exists():
        raise Conflict(_("You already asked for this item."))
    queued = _item_is_taken(item)
    status = Loan.Status.WAITLISTED if queued else Loan.Status.REQUESTED
    loan = Loan.objects.create(item=item, borrower=actor, status=status, message=message[:1000])
    _record(loan, actor, LoanEvent.Action.WAITLISTED if queued else LoanEvent.Action.REQUESTED)
    _tell_keepers(
        item,
        kind="lending.loan_requested",
        title=lambda: (
            _("%(name)s asks to borrow “%(title)s”")
            % {"name": actor.public_name, "title": item.title}
        ),
        url=loan.get_absolute_url(),
        actor=actor,
    )
    return loan


@serialised
def accept_loan(*, actor: User, loan: Loan, pickup_note: str = "") -> Loan:
    """The owner says yes; other pending requests for the item move to its waitlist."""
    loan = _locked_loan(loan)
    ensure_can_manage_item(actor, loan.item)
    if loan.status != Loan.Status.REQUESTED:
        raise InvalidTransition(_("This request is not waiting for an answer."))
    if loan.item.loans.filter(status__in=[*Loan.OUT, Loan.Status.OFFERED]).exists():
        raise Conflict(_("This item is already promised to someone else."))
    loan.pickup_note = pickup_note[:500]
    _set_status(loan, Loan.Status.ACCEPTED, "pickup_note")
    _record(loan, actor, LoanEvent.Action.ACCEPTED, pickup_note)
    with in_language_of(loan.borrower):
        notify(
            recipient=loan.borrower,
            kind="lending.loan_accepted",
            title=_("You can borrow “%(title)s”") % {"title": loan.item.title},
            body=pickup_note,
            url=loan.get_absolute_url(),
            actor=actor,
        )
    others = loan.item.loans.filter(status=Loan.Status.REQUESTED).exclude(pk=loan.pk)
    for other in others.select_related("borrower"):
        _set_status(other, Loan.Status.WAITLISTED)
        _record(other, actor, LoanEvent.Action.WAITLISTED)
        with in_language_of(other.borrower):
            notify(
                recipient=other.borrower,
                kind="lending.loan_waitlisted",
                title=_("“%(title)s” is lent to someone else: you are on its waitlist")
                % {"title": loan.item.title},
                url=other.get_absolute_url(),
                actor=actor,
            )
    return loan


@serialised
def decline_loan(*, actor: User, loan: Loan, note: str = "") -> Loan:
    """The owner says no to a request, a waitlisted request or an open offer."""
    loan = _locked_loan(loan)
    ensure_can_manage_item(actor, loan.item)
    waiting = (Loan.Status.REQUESTED, Loan.Status.WAITLISTED, Loan.Status.OFFERED)
    if loan.status not in waiting:
        raise InvalidTransition(_("This request is not waiting for an answer."))
    was_offered = loan.status == Loan.Status.OFFERED
    _set_status(loan, Loan.Status.DECLINED)
    _record(loan, actor, LoanEvent.Action.DECLINED, note)
    with in_language_of(loan.borrower):
        notify(
            recipient=loan.borrower,
            kind="lending.loan_declined",
            title=_("Your request for “%(title)s” was declined") % {"title": loan.item.title},
            body=note,
            url=loan.get_absolute_url(),
            actor=actor,
        )
    if was_offered:
        _offer_next(loan.item)
    return loan


@serialised
def cancel_loan(*, actor: User, loan: Loan) -> Loan:
    """The borrower withdraws before the handover; a freed item goes to the waitlist."""
    loan = _locked_loan(loan)
    if loan.borrower_id != actor.pk:
        raise PermissionDenied(_("Only the borrower can cancel this request."))
    cancellable = (
        Loan.Status.REQUESTED,
        Loan.Status.WAITLISTED,
        Loan.Status.OFFERED,
        Loan.Status.ACCEPTED,
    )
    if loan.status not in cancellable:
        raise InvalidTransition(_("This loan can no longer be cancelled."))
    frees_item = loan.status in (Loan.Status.ACCEPTED, Loan.Status.OFFERED)
    _set_status(loan, Loan.Status.CANCELLED)
    _record(loan, actor, LoanEvent.Action.CANCELLED)
    _tell_keepers(
        loan.item,
        kind="lending.loan_cancelled",
        title=lambda: (
            _("%(name)s no longer needs “%(title)s”")
            % {"name": actor.public_name, "title": loan.item.title}
        ),
        url=loan.get_absolute_url(),
        actor=actor,
    )
    if frees_item:
        _offer_next(loan.item)
    return loan


def _check_due_on(due_on: date, *, after: date) -> None:
    if due_on <= after:
        raise DomainError(_("The return date must be after %(date)s.") % {"date": after})
    if due_on > timezone.localdate() + timedelta(days=MAX_LOAN_DAYS):
        raise DomainError(_("A loan lasts at most a year."))


@serialised
def hand_over(*, actor: User, loan: Loan, due_on: date, note: str = "") -> Loan:
    """The owner gives the item to the borrower, with the date it comes back."""
    loan = _locked_loan(loan)
    ensure_can_manage_item(actor, loan.item)
    if loan.status != Loan.Status.ACCEPTED:
        raise InvalidTransition(_("Only an accepted request can be handed over."))
    _check_due_on(due_on, after=timezone.localdate())
    loan.due_on = due_on
    loan.handed_over_at = timezone.now()
    _set_status(loan, Loan.Status.HANDED_OVER, "due_on", "handed_over_at")
    _record(loan, actor, LoanEvent.Action.HANDED_OVER, note)
    with in_language_of(loan.borrower):
        notify(
            recipient=loan.borrower,
            kind="lending.loan_handed_over",
            title=_("“%(title)s” is with you until %(date)s")
            % {"title": loan.item.title, "date": due_on},
            url=loan.get_absolute_url(),
            actor=actor,
        )
    return loan


@serialised
def request_extension(*, actor: User, loan: Loan, until: date, note: str = "") -> Loan:
    """The borrower asks to keep the item longer."""
    loan = _locked_loan(loan)
    if loan.borrower_id != actor.pk:
        raise PermissionDenied(_("Only the borrower can ask for more time."))
    if loan.status not in (Loan.Status.HANDED_OVER, Loan.Status.OVERDUE) or loan.due_on is None:
        raise InvalidTransition(_("Only an item you hold can be kept longer."))
    if loan.extension_requested_until is not None:
        raise Conflict(_("You already asked for more time; wait for the owner's answer."))
    if until <= loan.due_on:
        raise DomainError(_("Ask for a date after the current return date."))
    if until > loan.due_on + timedelta(days=MAX_EXTENSION_DAYS):
        raise DomainError(_("Ask for at most three more months."))
    loan.extension_requested_until = until
    loan.save(update_fields=["extension_requested_until"])
    _record(loan, actor, LoanEvent.Action.EXTENSION_REQUESTED, note)
    _tell_keepers(
        loan.item,
        kind="lending.extension_requested",
        title=lambda: (
            _("%(name)s asks to keep “%(title)s” until %(date)s")
            % {"name": actor.public_name, "title": loan.item.title, "date": until}
        ),
        url=loan.get_absolute_url(),
        actor=actor,
    )
    return loan


@serialised
def decide_extension(*, actor: User, loan: Loan, grant: bool, note: str = "") -> Loan:
    """The owner grants the extension (the due date moves) or declines it."""
    loan = _locked_loan(loan)
    ensure_can_manage_item(actor, loan.item)
    until = loan.extension_requested_until
    if until is None or loan.status not in (Loan.Status.HANDED_OVER, Loan.Status.OVERDUE):
        raise InvalidTransition(_("No extension is waiting for an answer."))
    loan.extension_requested_until = None
    fields = ["extension_requested_until"]
    if grant:
        loan.due_on = until
        fields.append("due_on")
        if loan.status == Loan.Status.OVERDUE and until >= timezone.localdate():
            loan.status = Loan.Status.HANDED_OVER
            loan.overdue_notice_sent_at = None
            fields += ["status", "overdue_notice_sent_at"]
    loan.save(update_fields=fields)
    action = LoanEvent.Action.EXTENSION_GRANTED if grant else LoanEvent.Action.EXTENSION_DECLINED
    _record(loan, actor, action, note)
    with in_language_of(loan.borrower):
        if grant:
            title = _("You can keep “%(title)s” until %(date)s") % {
                "title": loan.item.title,
                "date": until,
            }
        else:
            title = _("Please return “%(title)s” on %(date)s as agreed") % {
                "title": loan.item.title,
                "date": loan.due_on,
            }
        notify(
            recipient=loan.borrower,
            kind="lending.extension_decided",
            title=title,
            body=note,
            url=loan.get_absolute_url(),
            actor=actor,
        )
    return loan


@serialised
def record_return(*, actor: User, loan: Loan, condition_note: str = "") -> Loan:
    """The owner has the item back, notes its condition; the borrower's track record
    counts it on time or late, and the next person on the waitlist is offered it."""
    loan = _locked_loan(loan)
    ensure_can_manage_item(actor, loan.item)
    if loan.status not in (Loan.Status.HANDED_OVER, Loan.Status.OVERDUE):
        raise InvalidTransition(_("This item is not lent: there is nothing to return."))
    loan.returned_at = timezone.now()
    loan.returned_late = loan.due_on is not None and timezone.localdate() > loan.due_on
    loan.return_condition_note = condition_note[:1000]
    loan.extension_requested_until = None
    _set_status(
        loan,
        Loan.Status.RETURNED,
        "returned_at",
        "returned_late",
        "return_condition_note",
        "extension_requested_until",
    )
    _record(loan, actor, LoanEvent.Action.RETURNED, condition_note)
    with in_language_of(loan.borrower):
        notify(
            recipient=loan.borrower,
            kind="lending.loan_returned",
            title=_("Thank you: the return of “%(title)s” is recorded")
            % {"title": loan.item.title},
            body=condition_note,
            url=loan.get_absolute_url(),
            actor=actor,
        )
    _offer_next(loan.item)
    return loan


@serialised
def close_loan(*, actor: User, loan: Loan, note: str = "") -> Loan:
    """Either side closes a returned loan (the deposit, if any, is settled)."""
    loan = _locked_loan(loan)
    if loan.borrower_id != actor.pk:
        ensure_can_manage_item(actor, loan.item)
    if loan.status != Loan.Status.RETURNED:
        raise InvalidTransition(_("Only a returned loan can be closed."))
    _set_status(loan, Loan.Status.CLOSED)
    _record(loan, actor, LoanEvent.Action.CLOSED, note)
    return loan


@serialised
def declare_lost(*, actor: User, loan: Loan, note: str = "") -> Loan:
    """The owner records that a lent item will not come back; it leaves the library and
    those waiting for it are told."""
    loan = _locked_loan(loan)
    ensure_can_manage_item(actor, loan.item)
    if loan.status not in (Loan.Status.HANDED_OVER, Loan.Status.OVERDUE):
        raise InvalidTransition(_("Only a lent item can be declared lost."))
    _set_status(loan, Loan.Status.LOST)
    _record(loan, actor, LoanEvent.Action.LOST, note)
    waiting = loan.item.loans.filter(status__in=Loan.OPEN).select_related("borrower")
    for other in waiting:
        _set_status(other, Loan.Status.CANCELLED)
        _record(other, actor, LoanEvent.Action.CANCELLED, _("The item was lost."))
        with in_language_of(other.borrower):
            notify(
                recipient=other.borrower,
                kind="lending.loan_cancelled",
                title=_("“%(title)s” was lost: your request is cancelled")
                % {"title": loan.item.title},
                url=other.get_absolute_url(),
                actor=actor,
            )
    item = loan.item
    item.is_withdrawn = True
    item.save(update_fields=["is_withdrawn"])
    reindex_on_commit("items", [item.pk])
    wanted_matching.offers_changed_on_commit("library", [item.pk])
    return loan


def _offer_next(item: Item) -> Loan | None:
    """Offer a free item to the first person on its waitlist, for `OFFER_HOLD`.

    Call while holding the item's row lock."""
    if item.is_withdrawn or item.loans.filter(status__in=[*Loan.OUT, Loan.Status.OFFERED]).exists():
        return None
    loan = (
        item.loans.filter(status=Loan.Status.WAITLISTED)
        .select_related("borrower")
        .order_by("created_at", "pk")
        .first()
    )
    if loan is None:
        return None
    loan.offer_expires_at = timezone.now() + OFFER_HOLD
    _set_status(loan, Loan.Status.OFFERED, "offer_expires_at")
    _record(loan, None, LoanEvent.Action.OFFERED)
    with in_language_of(loan.borrower):
        notify(
            recipient=loan.borrower,
            kind="lending.loan_offered",
            title=_("“%(title)s” is free: it is yours if you confirm within 48 hours")
            % {"title": item.title},
            url=loan.get_absolute_url(),
        )
    return loan


@serialised
def claim_offer(*, actor: User, loan: Loan) -> Loan:
    """The borrower takes up the item offered from the waitlist: the loan is accepted."""
    loan = _locked_loan(loan)
    if loan.borrower_id != actor.pk:
        raise PermissionDenied(_("This offer is for someone else."))
    if loan.status != Loan.Status.OFFERED:
        raise InvalidTransition(_("This item is not offered to you."))
    if loan.offer_expires_at is not None and loan.offer_expires_at < timezone.now():
        raise InvalidTransition(_("This offer has expired."))
    loan.offer_expires_at = None
    _set_status(loan, Loan.Status.ACCEPTED, "offer_expires_at")
    _record(loan, actor, LoanEvent.Action.CLAIMED)
    _tell_keepers(
        loan.item,
        kind="lending.loan_claimed",
        title=lambda: (
            _("%(name)s confirmed they want “%(title)s”: arrange the handover")
            % {"name": actor.public_name, "title": loan.item.title}
        ),
        url=loan.get_absolute_url(),
        actor=actor,
    )
    return loan


# --- Periodic jobs: each works out from the data what is due and not yet done.


def expire_offers() -> int:
    """Offers past their time limit lapse, and the item is offered to the next person."""
    done = 0
    now = timezone.now()
    expired_ids = list(
        Loan.objects.filter(status=Loan.Status.OFFERED, offer_expires_at__lt=now).values_list(
            "pk", flat=True
        )
    )
    for loan_id in expired_ids:
        done += _expire_offer(loan_id, now)
    return done


@serialised
def _expire_offer(loan_id: int, now: datetime) -> int:
    loan = _locked_loan(Loan(pk=loan_id))
    if loan.status != Loan.Status.OFFERED or (
        loan.offer_expires_at is not None and loan.offer_expires_at >= now
    ):
        return 0
    _set_status(loan, Loan.Status.EXPIRED)
    _record(loan, None, LoanEvent.Action.EXPIRED)
    with in_language_of(loan.borrower):
        notify(
            recipient=loan.borrower,
            kind="lending.loan_offered",
            title=_("Your offer for “%(title)s” expired") % {"title": loan.item.title},
            url=loan.get_absolute_url(),
        )
    _offer_next(loan.item)
    return 1


@transaction.atomic
def send_due_reminders() -> int:
    """Remind borrowers two days before the return date, once per due date."""
    today = timezone.localdate()
    due = (
        Loan.objects.select_for_update(of=("self",))
        .filter(
            status=Loan.Status.HANDED_OVER,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=REMINDER_DAYS_BEFORE),
        )
        .select_related("item", "borrower")
    )
    sent = 0
    for loan in due:
        if loan.reminder_sent_for == loan.due_on:
            continue
        with in_language_of(loan.borrower):
            notify(
                recipient=loan.borrower,
                kind="lending.loan_due_soon",
                title=_("“%(title)s” goes back on %(date)s")
                % {"title": loan.item.title, "date": loan.due_on},
                url=loan.get_absolute_url(),
            )
        loan.reminder_sent_for = loan.due_on
        loan.save(update_fields=["reminder_sent_for"])
        sent += 1
    return sent


@transaction.atomic
def mark_overdue_loans() -> int:
    """Loans past their return date become overdue; borrower and owner are told once."""
    today = timezone.localdate()
    late = (
        Loan.objects.select_for_update(of=("self",))
        .filter(status=Loan.Status.HANDED_OVER, due_on__lt=today)
        .select_related("item", "borrower")
    )
    marked = 0
    for loan in late:
        loan.status = Loan.Status.OVERDUE
        loan.overdue_notice_sent_at = timezone.now()
        loan.save(update_fields=["status", "overdue_notice_sent_at"])
        _record(loan, None, LoanEvent.Action.OVERDUE)
        with in_language_of(loan.borrower):
            notify(
                recipient=loan.borrower,
                kind="lending.loan_overdue",
                title=_("“%(title)s” was due back on %(date)s")
                % {"title": loan.item.title, "date": loan.due_on},
                url=loan.get_absolute_url(),
            )
        _tell_keepers(
            loan.item,
            kind="lending.loan_overdue",
            title=functools.partial(_overdue_title, loan.item.title),
            url=loan.get_absolute_url(),
            actor=None,
        )
        marked += 1
    return marked


# --- Equipment bookings


def _check_slot(start: datetime, end: datetime) -> None:
    if end <= start:
        raise DomainError(_("The end must come after the start."))
    now = timezone.now()
    if start < now:
        raise DomainError(_("This slot has already begun: choose a time in the future."))
    if end - start > MAX_BOOKING:
        raise DomainError(_("A booking lasts at most 30 days."))
    if start > now + MAX_BOOKING_AHEAD:
        raise DomainError(_("Book at most a year ahead."))


def _overlap_conflict(items: list[Item], start: datetime, end: datetime) -> Conflict:
    slots = queries.next_free_slots(items, after=start, length=end - start)
    if slots:
        listed = "; ".join(
            _("%(start)s to %(end)s")
            % {
                "start": f"{timezone.localtime(s):%d/%m/%Y %H:%M}",
                "end": f"{timezone.localtime(e):%d/%m/%Y %H:%M}",
            }
            for s, e in slots
        )
        return Conflict(
            _("This slot is already booked. Next free slots: %(slots)s.") % {"slots": listed}
        )
    return Conflict(_("This slot is already booked."))


@serialised
def book_equipment(
    *, actor: User, item: Item, start: datetime, end: datetime, purpose: str = ""
) -> Booking:
    """Book a network's equipment (a kit books all its parts) for a future slot.

    Refused with `Conflict`, naming the next free slots, when any of the items is already
    held then. Two bookings never overlap: the check below runs under the items' row locks
    (PostgreSQL) or the IMMEDIATE transaction's write lock (SQLite), and PostgreSQL's
    exclusion constraint refuses an overlap whatever the code does. A booking by one of
    the network's equipment managers is approved at once."""
    item = Item.objects.select_related("owner_network").get(pk=item.pk)
    if not item.is_bookable or item.owner_network is None:
        raise DomainError(_("Only a network's equipment can be booked."))
    ensure_can_act(actor, item.owner_network)
    _check_slot(start, end)
    items = list(
        Item.objects.select_for_update()
        .filter(pk__in=[item.pk, *item.parts.values_list("pk", flat=True)])
        .order_by("pk")
    )
    for each in items:
        if each.is_withdrawn:
            raise DomainError(_("“%(title)s” is no longer lent.") % {"title": each.title})
        if each.is_out_of_order:
            raise DomainError(_("“%(title)s” is out of order.") % {"title": each.title})
    overlapping = Booking.objects.filter(
        item__in=items, status__in=Booking.HOLDING, start__lt=end, end__gt=start
    )
    if overlapping.exists():
        raise _overlap_conflict(items, start, end)
    manager = can_manage_network_items(actor, item.owner_network)
    status = Booking.Status.APPROVED if manager else Booking.Status.PENDING
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                item=item,
                booked_by=actor,
                start=start,
                end=end,
                status=status,
                purpose=purpose[:500],
                decided_by=actor if manager else None,
            )
            Booking.objects.bulk_create(
                Booking(
                    item=part,
                    booked_by=actor,
                    kit_booking=booking,
                    start=start,
                    end=end,
                    status=status,
                    decided_by=booking.decided_by,
                )
                for part in items
                if part.pk != item.pk
            )
    except IntegrityError:
        raise _overlap_conflict(items, start, end) from None
    if not manager:
        _tell_keepers(
            item,
            kind="lending.booking_requested",
            title=lambda: (
                _("%(name)s asks to book “%(title)s”")
                % {"name": actor.public_name, "title": item.title}
            ),
            url=booking.get_absolute_url(),
            actor=actor,
        )
    return booking


def _locked_booking(booking: Booking) -> Booking:
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("item__owner_network", "booked_by")
        .get(pk=booking.pk)
    )
    if locked.kit_booking_id is not None:
        raise DomainError(_("This booking is part of a kit's booking: act on the kit's."))
    return locked


def _move(booking: Booking, status: str, **fields: object) -> None:
    """Change a booking's status, and its parts' with it."""
    booking.status = status
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *fields])
    booking.part_bookings.update(status=status, **fields)


@serialised
def decide_booking(*, actor: User, booking: Booking, approve: bool) -> Booking:
    """An equipment manager approves or declines a pending booking."""
    booking = _locked_booking(booking)
    ensure_can_manage_item(actor, booking.item)
    if booking.status != Booking.Status.PENDING:
        raise InvalidTransition(_("This booking is not waiting for approval."))
    status = Booking.Status.APPROVED if approve else Booking.Status.DECLINED
    _move(booking, status, decided_by=actor)
    with in_language_of(booking.booked_by):
        if approve:
            title = _("Your booking of “%(title)s” is approved") % {"title": booking.item.title}
        else:
            title = _("Your booking of “%(title)s” was declined") % {"title": booking.item.title}
        notify(
            recipient=booking.booked_by,
            kind="lending.booking_decided",
            title=title,
            url=booking.get_absolute_url(),
            actor=actor,
        )
    return booking


@serialised
def cancel_booking(*, actor: User, booking: Booking) -> Booking:
    """The member who booked, or an equipment manager, frees the slot before checkout."""
    booking = _locked_booking(booking)
    if booking.booked_by_id != actor.pk:
        ensure_can_manage_item(actor, booking.item)
    if booking.status not in (Booking.Status.PENDING, Booking.Status.APPROVED):
        raise InvalidTransition(_("This booking can no longer be cancelled."))
    _move(booking, Booking.Status.CANCELLED)
    with in_language_of(booking.booked_by):
        notify(
            recipient=booking.booked_by,
            kind="lending.booking_decided",
            title=_("Your booking of “%(title)s” is cancelled") % {"title": booking.item.title},
            url=booking.get_absolute_url(),
            actor=actor,
        )
    return booking


@serialised
def check_out(*, actor: User, booking: Booking, note: str = "") -> Booking:
    """An equipment manager hands the booked equipment over, noting its condition."""
    booking = _locked_booking(booking)
    ensure_can_manage_item(actor, booking.item)
    if booking.status != Booking.Status.APPROVED:
        raise InvalidTransition(_("Only an approved booking can be checked out."))
    _move(booking, Booking.Status.CHECKED_OUT, checkout_note=note[:1000])
    return booking


@serialised
def check_in(*, actor: User, booking: Booking, note: str = "") -> Booking:
    """An equipment manager takes the equipment back, noting its condition."""
    booking = _locked_booking(booking)
    ensure_can_manage_item(actor, booking.item)
    if booking.status != Booking.Status.CHECKED_OUT:
        raise InvalidTransition(_("Only checked-out equipment can be checked in."))
    _move(booking, Booking.Status.RETURNED, checkin_note=note[:1000])
    return booking


def _cancel_future_bookings(item: Item, actor: User, *, reason: str) -> None:
    future = Booking.objects.filter(
        item=item,
        kit_booking__isnull=True,
        status__in=(Booking.Status.PENDING, Booking.Status.APPROVED),
        start__gt=timezone.now(),
    ).select_related("booked_by")
    for booking in future:
        _move(booking, Booking.Status.CANCELLED)
        with in_language_of(booking.booked_by):
            notify(
                recipient=booking.booked_by,
                kind="lending.booking_decided",
                title=_("Your booking of “%(title)s” is cancelled") % {"title": item.title},
                body=reason,
                url=booking.get_absolute_url(),
                actor=actor,
            )


# --- Swaps and gifts

MAX_SWAP_ITEMS = 10


@serialised
def propose_swap(
    *, actor: User, wanted: Iterable[Item], offered: Iterable[Item] = (), message: str = ""
) -> Swap:
    """Propose one's own items for another member's items offered for swap; with nothing
    offered, ask for items they give away. Proposing is the proposer's confirmation."""
    if not actor.is_authenticated or actor.is_deleted:
        raise PermissionDenied(_("Sign in to propose a swap."))
    wanted_ids = {item.pk for item in wanted}
    offered_ids = {item.pk for item in offered}
    if not wanted_ids:
        raise DomainError(_("Choose at least one item you would like."))
    if len(wanted_ids) > MAX_SWAP_ITEMS or len(offered_ids) > MAX_SWAP_ITEMS:
        raise DomainError(_("A swap holds at most ten items on each side."))
    wanted_items = list(queries.visible_items(actor).filter(pk__in=wanted_ids))
    if len(wanted_items) != len(wanted_ids):
        raise PermissionDenied(_("This item is not shown to you."))
    owners = {item.owner_user_id for item in wanted_items}
    if len(owners) != 1 or None in owners:
        raise DomainError(_("A swap is between two members: choose items of one member."))
    recipient_id = owners.pop()
    assert recipient_id is not None  # noqa: S101 - None was refused just above
    if recipient_id == actor.pk:
        raise DomainError(_("This is your own item: you cannot swap it with yourself."))
    for item in wanted_items:
        if offered_ids and not item.offers_swap:
            raise DomainError(_("“%(title)s” is not offered for swap.") % {"title": item.title})
        if not offered_ids and not item.offers_gift:
            raise DomainError(
                _("“%(title)s” is not given away: offer something in return.")
                % {"title": item.title}
            )
    offered_items = list(
        Item.objects.filter(pk__in=offered_ids, owner_user=actor, is_withdrawn=False)
    )
    if len(offered_items) != len(offered_ids):
        raise DomainError(_("You can only offer items of your own that are in the library."))
    swap = Swap.objects.create(proposer=actor, recipient_id=recipient_id, message=message[:1000])
    swap.wanted.set(wanted_items)
    swap.offered.set(offered_items)
    with in_language_of(swap.recipient):
        notify(
            recipient=swap.recipient,
            kind="lending.swap_proposed",
            title=(
                _("%(name)s proposes a swap") if offered_items else _("%(name)s asks for an item")
            )
            % {"name": actor.public_name},
            body=message[:500],
            url=swap.get_absolute_url(),
            actor=actor,
        )
    return swap


def _locked_swap(swap: Swap) -> Swap:
    return (
        Swap.objects.select_for_update(of=("self",))
        .select_related("proposer", "recipient")
        .get(pk=swap.pk)
    )


@serialised
def accept_swap(*, actor: User, swap: Swap) -> Swap:
    """The owner of the wanted items accepts: every item of both sides changes hands in
    one transaction, or none does (Conflict) when one has changed hands, left the library
    or is out on loan since the proposal. Other proposals for these items are cancelled."""
    # Lock the items first, always in the same order, then the swap: an accept of another
    # swap sharing an item waits on the items before it locks its own swap row, so the
    # cancellation of stale proposals below never waits on a lock held by a waiter.
    wanted_ids = set(swap.wanted.values_list("pk", flat=True))
    offered_ids = set(swap.offered.values_list("pk", flat=True))
    items = list(
        Item.objects.select_for_update().filter(pk__in=wanted_ids | offered_ids).order_by("pk")
    )
    swap = _locked_swap(swap)
    if swap.recipient_id != actor.pk:
        raise PermissionDenied(_("Only the owner of the items asked for can accept."))
    if swap.status != Swap.Status.PROPOSED:
        raise InvalidTransition(_("This swap is no longer waiting for an answer."))
    out = set(
        Loan.objects.filter(item__in=items, status__in=Loan.OUT).values_list("item_id", flat=True)
    )
    for item in items:
        expected_owner = swap.recipient_id if item.pk in wanted_ids else swap.proposer_id
        if item.owner_user_id != expected_owner or item.is_withdrawn or item.pk in out:
            raise Conflict(
                _("“%(title)s” is no longer available: this swap cannot happen.")
                % {"title": item.title}
            )
    now = timezone.now()
    for item in items:
        item.owner_user_id = swap.proposer_id if item.pk in wanted_ids else swap.recipient_id
        item.updated_at = now
    Item.objects.bulk_update(items, ["owner_user", "updated_at"])
    swap.status = Swap.Status.COMPLETED
    swap.decided_at = now
    swap.save(update_fields=["status", "decided_at"])
    with in_language_of(swap.proposer):
        notify(
            recipient=swap.proposer,
            kind="lending.swap_decided",
            title=_("%(name)s accepted: the items are yours") % {"name": actor.public_name},
            url=swap.get_absolute_url(),
            actor=actor,
        )
    stale = (
        Swap.objects.filter(status=Swap.Status.PROPOSED)
        .filter(Q(wanted__in=items) | Q(offered__in=items))
        .exclude(pk=swap.pk)
        .distinct()
        .select_related("proposer")
    )
    for other in stale:
        other.status = Swap.Status.CANCELLED
        other.decided_at = now
        other.save(update_fields=["status", "decided_at"])
        with in_language_of(other.proposer):
            notify(
                recipient=other.proposer,
                kind="lending.swap_decided",
                title=_("An item of your swap proposal changed hands: the proposal is cancelled"),
                url=other.get_absolute_url(),
            )
    waiting = Loan.objects.filter(item__in=items, status__in=Loan.OPEN)
    for loan in waiting:
        _set_status(loan, Loan.Status.CANCELLED)
        _record(loan, actor, LoanEvent.Action.CANCELLED, _("The item changed hands."))
    reindex_on_commit("items", [item.pk for item in items])
    wanted_matching.offers_changed_on_commit("library", [item.pk for item in items])
    return swap


@serialised
def decline_swap(*, actor: User, swap: Swap) -> Swap:
    swap = _locked_swap(swap)
    if swap.recipient_id != actor.pk:
        raise PermissionDenied(_("Only the owner of the items asked for can decline."))
    if swap.status != Swap.Status.PROPOSED:
        raise InvalidTransition(_("This swap is no longer waiting for an answer."))
    swap.status = Swap.Status.DECLINED
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    with in_language_of(swap.proposer):
        notify(
            recipient=swap.proposer,
            kind="lending.swap_decided",
            title=_("%(name)s declined your proposal") % {"name": actor.public_name},
            url=swap.get_absolute_url(),
            actor=actor,
        )
    return swap


@serialised
def cancel_swap(*, actor: User, swap: Swap) -> Swap:
    swap = _locked_swap(swap)
    if swap.proposer_id != actor.pk:
        raise PermissionDenied(_("Only the member who proposed it can cancel it."))
    if swap.status != Swap.Status.PROPOSED:
        raise InvalidTransition(_("This swap is no longer waiting for an answer."))
    swap.status = Swap.Status.CANCELLED
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    return swap


# --- Urgent requests


@transaction.atomic
def post_urgent_request(
    *,
    actor: User,
    kind: str,
    start: datetime,
    end: datetime,
    place: places.Place,
    note: str = "",
) -> UrgentRequest:
    """Ask for equipment of a kind for given dates near a place; the holders of matching
    free equipment within 50 km are told at once."""
    if not actor.is_authenticated or actor.is_deleted:
        raise PermissionDenied(_("Sign in to ask for equipment."))
    if kind not in Item.EQUIPMENT_KINDS:
        raise DomainError(_("Choose a kind of equipment."))
    _check_slot(start, end)
    latitude, longitude = places.approximate(place.latitude, place.longitude)
    request = UrgentRequest.objects.create(
        requester=actor,
        kind=kind,
        start=start,
        end=end,
        city_name=place.name,
        latitude=latitude,
        longitude=longitude,
        note=note[:1000],
    )
    matches = list(queries.matching_equipment(request)[:50])
    for keeper in queries.keepers_of(matches):
        notify(
            recipient=keeper,
            kind="lending.urgent_request",
            title=_("Urgent: %(name)s needs a %(kind)s near %(city)s")
            % {
                "name": actor.public_name,
                "kind": request.get_kind_display().lower(),
                "city": request.city_name,
            },
            body=request.note,
            url=request.get_absolute_url(),
            actor=actor,
        )
    return request


@transaction.atomic
def offer_for_urgent_request(
    *, actor: User, request: UrgentRequest, item: Item, message: str = ""
) -> UrgentOffer:
    """Someone who looks after a matching item offers it."""
    request = (
        UrgentRequest.objects.select_for_update().select_related("requester").get(pk=request.pk)
    )
    item = Item.objects.select_related("owner_network").get(pk=item.pk)
    ensure_can_manage_item(actor, item)
    if request.status != UrgentRequest.Status.OPEN:
        raise InvalidTransition(_("This request is closed."))
    if not queries.matching_equipment(request).filter(pk=item.pk).exists():
        raise DomainError(_("This item does not match the request or is not free then."))
    offer, created = UrgentOffer.objects.get_or_create(
        request=request, item=item, defaults={"offered_by": actor, "message": message[:1000]}
    )
    if not created:
        raise Conflict(_("This item is already offered."))
    with in_language_of(request.requester):
        notify(
            recipient=request.requester,
            kind="lending.urgent_offer",
            title=_("%(name)s offers “%(title)s”")
            % {"name": actor.public_name, "title": item.title},
            body=message,
            url=request.get_absolute_url(),
            actor=actor,
        )
    return offer


@serialised
def accept_urgent_offer(*, actor: User, offer: UrgentOffer) -> UrgentOffer:
    """The requester takes one offer: the request closes, the other offers are thanked."""
    request = UrgentRequest.objects.select_for_update().get(pk=offer.request_id)
    if request.requester_id != actor.pk:
        raise PermissionDenied(_("Only the member who asked can accept an offer."))
    if request.status != UrgentRequest.Status.OPEN:
        raise InvalidTransition(_("This request is closed."))
    offer = UrgentOffer.objects.select_related("item", "offered_by").get(pk=offer.pk)
    if offer.request_id != request.pk or offer.status != UrgentOffer.Status.OFFERED:
        raise InvalidTransition(_("This offer is no longer open."))
    request.status = UrgentRequest.Status.FULFILLED
    request.save(update_fields=["status"])
    offer.status = UrgentOffer.Status.ACCEPTED
    offer.save(update_fields=["status"])
    with in_language_of(offer.offered_by):
        notify(
            recipient=offer.offered_by,
            kind="lending.urgent_offer",
            title=_("%(name)s accepts your “%(title)s”: arrange the pickup")
            % {"name": actor.public_name, "title": offer.item.title},
            url=request.get_absolute_url(),
            actor=actor,
        )
    others = request.offers.filter(status=UrgentOffer.Status.OFFERED).select_related("offered_by")
    for other in others:
        other.status = UrgentOffer.Status.NOT_NEEDED
        other.save(update_fields=["status"])
        with in_language_of(other.offered_by):
            notify(
                recipient=other.offered_by,
                kind="lending.urgent_offer",
                title=_("Thank you: %(name)s found equipment elsewhere")
                % {"name": actor.public_name},
                url=request.get_absolute_url(),
                actor=actor,
            )
    return offer


@transaction.atomic
def cancel_urgent_request(*, actor: User, request: UrgentRequest) -> UrgentRequest:
    request = UrgentRequest.objects.select_for_update().get(pk=request.pk)
    if request.requester_id != actor.pk:
        raise PermissionDenied(_("Only the member who asked can cancel the request."))
    if request.status != UrgentRequest.Status.OPEN:
        raise InvalidTransition(_("This request is closed."))
    request.status = UrgentRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    request.offers.filter(status=UrgentOffer.Status.OFFERED).update(
        status=UrgentOffer.Status.NOT_NEEDED
    )
    return request
