"""Library, loans and equipment pages: find the object, check who asks, bind the form, call
a service. A service's refusal is shown beside the form or as a message on the page it
came from (DomainError), or as the designed 403 page (PermissionDenied)."""

from collections.abc import Callable
from typing import Any

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate_capped
from contrechamp.lending import queries, services
from contrechamp.lending.forms import (
    AcceptForm,
    BookingForm,
    ExtensionForm,
    HandOverForm,
    ItemForm,
    LoanRequestForm,
    ManagerForm,
    NoteForm,
    OutOfOrderForm,
    ReturnForm,
    SwapForm,
    UrgentOfferForm,
    UrgentRequestForm,
)
from contrechamp.lending.models import (
    Booking,
    EquipmentManager,
    Item,
    Loan,
    Swap,
    UrgentOffer,
    UrgentRequest,
)
from contrechamp.lending.permissions import can_manage_item, can_manage_network_items
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import ensure_role, standing

# --- Library


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """Browse and search the items one may see: by kind, text, network, distance, dates."""
    filters = queries.LibraryFilters.from_query(request.GET)
    page = paginate_capped(request, queries.search_library(request.user, filters))
    context = {
        "filters": filters,
        "page_obj": page,
        "kinds": Item.Kind.choices,
        "can_list": isinstance(request.user, User),
    }
    return render(request, "lending/library.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    networks = queries.networks_i_look_after(actor)
    form = ItemForm(posted_data(request), request.FILES or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(
                actor=actor,
                details=form.details(),
                owner_network=form.owner_network(),
                photo=form.cleaned_data.get("photo"),
                parts=form.cleaned_data.get("parts") or (),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your item is in the library."))
            return redirect(item)
    return render(request, "lending/item_form.html", {"form": form, "item": None})


def _visible_item(request: HttpRequest, pk: int) -> Item:
    return get_object_or_404(queries.item_page(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    item = _visible_item(request, pk)
    if not can_manage_item(actor, item):
        raise PermissionDenied(_("Only the owner of this item can change it."))
    networks = Network.objects.filter(pk=item.owner_network_id) if item.owner_network_id else None
    form = ItemForm(
        posted_data(request),
        request.FILES or None,
        initial=ItemForm.initial_for(item),
        networks=networks,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.update_item(
                actor=actor,
                item=item,
                details=form.details(),
                photo=form.cleaned_data.get("photo"),
                parts=form.cleaned_data.get("parts") if "parts" in form.fields else None,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The item is up to date."))
            return redirect(item)
    return render(request, "lending/item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    item = _visible_item(request, pk)
    try:
        services.withdraw_item(actor=actor, item=item)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(item)
    messages.success(request, _("The item has left the library."))
    return redirect("lending:library")


@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item, its owner's terms, and for a signed-in member the request form with their
    own track record (what a valuable item's owner will look at)."""
    item = _visible_item(request, pk)
    if item.is_bookable:
        return redirect(item)
    user = request.user
    form = LoanRequestForm(posted_data(request))
    if request.method == "POST":
        if not isinstance(user, User):
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        if form.is_valid():
            try:
                loan = services.request_loan(
                    actor=user, item=item, message=form.cleaned_data["message"]
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                if loan.status == Loan.Status.WAITLISTED:
                    messages.success(request, _("The item is out: you are on its waitlist."))
                else:
                    messages.success(request, _("Your request is sent to the owner."))
                return redirect(loan)
    context: dict[str, object] = {
        "item": item,
        "form": form,
        "manages": can_manage_item(user, item),
        "record": None,
        "my_loan": None,
        "is_out": item.loans.filter(status__in=Loan.OUT).exists(),
        "waiting": item.loans.filter(status=Loan.Status.WAITLISTED).count(),
    }
    if isinstance(user, User):
        context["record"] = queries.track_record(user)
        context["my_loan"] = item.loans.filter(borrower=user, status__in=Loan.OPEN).first()
        if (item.offers_swap or item.offers_gift) and item.owner_user_id not in (None, user.pk):
            context["swap_form"] = SwapForm(member=user)
    return render(request, "lending/item_detail.html", context)


@login_required
@require_POST
def swap_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a swap (or ask for a gift) from the item's page."""
    actor = signed_in_member(request)
    item = _visible_item(request, pk)
    form = SwapForm(request.POST, member=actor)
    if form.is_valid():
        try:
            swap = services.propose_swap(
                actor=actor,
                wanted=[item],
                offered=form.cleaned_data["offered"],
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your proposal is sent."))
            return redirect(swap)
    else:
        messages.error(request, _("Check the items you offer."))
    return redirect(item)


def _swap_for(request: HttpRequest, pk: int) -> Swap:
    member = signed_in_member(request)
    swap = get_object_or_404(queries.swaps_of(member).filter(pk=pk))
    return swap


@login_required
@require_GET
def swap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    swap = _swap_for(request, pk)
    context = {"swap": swap, "is_recipient": swap.recipient_id == request.user.pk}
    return render(request, "lending/swap_detail.html", context)


SWAP_ACTIONS: dict[str, tuple[Callable[[User, Swap], object], Promise]] = {
    "accept": (
        lambda actor, swap: services.accept_swap(actor=actor, swap=swap),
        gettext_lazy("Done: the items changed hands."),
    ),
    "decline": (
        lambda actor, swap: services.decline_swap(actor=actor, swap=swap),
        gettext_lazy("Proposal declined."),
    ),
    "cancel": (
        lambda actor, swap: services.cancel_swap(actor=actor, swap=swap),
        gettext_lazy("Proposal cancelled."),
    ),
}


@login_required
@require_POST
def swap_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in SWAP_ACTIONS:
        raise Http404
    swap = _swap_for(request, pk)
    run, done = SWAP_ACTIONS[action]
    try:
        run(signed_in_member(request), swap)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(done))
    return redirect(swap)


# --- Loans


@login_required
@require_GET
def loans(request: HttpRequest) -> HttpResponse:
    """My loans: what I borrow and what I lend (or look after), newest activity first."""
    member = signed_in_member(request)
    context = {
        "borrowed": queries.loans_as_borrower(member)[:50],
        "lent": queries.loans_as_lender(member)[:50],
        "record": queries.track_record(member),
        "swaps": queries.swaps_of(member)[:50],
    }
    return render(request, "lending/loans.html", context)


def _loan_for(request: HttpRequest, pk: int) -> tuple[Loan, bool]:
    """The loan, if the person is its borrower or looks after its item; and which side."""
    member = signed_in_member(request)
    loan = get_object_or_404(queries.loan_page(pk))
    manages = can_manage_item(member, loan.item)
    if loan.borrower_id != member.pk and not manages:
        raise Http404
    return loan, manages


@login_required
@require_GET
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan, manages = _loan_for(request, pk)
    context = {
        "loan": loan,
        "manages": manages,
        "is_borrower": loan.borrower_id == request.user.pk,
        "events": queries.loan_events(loan),
        "record": queries.track_record(loan.borrower) if manages else None,
        # One page holds several forms: distinct ids keep each label tied to its field.
        "accept_form": AcceptForm(auto_id="accept_%s"),
        "hand_over_form": HandOverForm(auto_id="handover_%s"),
        "extension_form": ExtensionForm(auto_id="extension_%s"),
        "return_form": ReturnForm(auto_id="return_%s"),
        "note_form": NoteForm(auto_id="decline_%s"),
    }
    return render(request, "lending/loan_detail.html", context)


LoanAction = Callable[[User, Loan, QueryDict], object]


def _with_form(
    form_class: type[AcceptForm | HandOverForm | ExtensionForm | ReturnForm | NoteForm],
    call: Callable[[User, Loan, dict[str, Any]], object],
) -> LoanAction:
    def run(actor: User, loan: Loan, data: QueryDict) -> object:
        form = form_class(data)
        if not form.is_valid():
            errors = "; ".join(str(e) for field in form.errors.values() for e in field)
            raise DomainError(errors)
        return call(actor, loan, form.cleaned_data)

    return run


LOAN_ACTIONS: dict[str, tuple[LoanAction, Promise]] = {
    "accept": (
        _with_form(
            AcceptForm,
            lambda actor, loan, data: services.accept_loan(
                actor=actor, loan=loan, pickup_note=str(data["pickup_note"])
            ),
        ),
        gettext_lazy("Request accepted."),
    ),
    "decline": (
        _with_form(
            NoteForm,
            lambda actor, loan, data: services.decline_loan(
                actor=actor, loan=loan, note=str(data["note"])
            ),
        ),
        gettext_lazy("Request declined."),
    ),
    "cancel": (
        lambda actor, loan, _data: services.cancel_loan(actor=actor, loan=loan),
        gettext_lazy("Request cancelled."),
    ),
    "claim": (
        lambda actor, loan, _data: services.claim_offer(actor=actor, loan=loan),
        gettext_lazy("It is yours: arrange the handover with the owner."),
    ),
    "hand-over": (
        _with_form(
            HandOverForm,
            lambda actor, loan, data: services.hand_over(
                actor=actor,
                loan=loan,
                due_on=data["due_on"],
                note=str(data["note"]),
            ),
        ),
        gettext_lazy("Handed over."),
    ),
    "extension": (
        _with_form(
            ExtensionForm,
            lambda actor, loan, data: services.request_extension(
                actor=actor,
                loan=loan,
                until=data["until"],
                note=str(data["note"]),
            ),
        ),
        gettext_lazy("Your request for more time is sent."),
    ),
    "grant-extension": (
        _with_form(
            NoteForm,
            lambda actor, loan, data: services.decide_extension(
                actor=actor, loan=loan, grant=True, note=str(data["note"])
            ),
        ),
        gettext_lazy("Extension granted."),
    ),
    "decline-extension": (
        _with_form(
            NoteForm,
            lambda actor, loan, data: services.decide_extension(
                actor=actor, loan=loan, grant=False, note=str(data["note"])
            ),
        ),
        gettext_lazy("Extension declined."),
    ),
    "return": (
        _with_form(
            ReturnForm,
            lambda actor, loan, data: services.record_return(
                actor=actor, loan=loan, condition_note=str(data["condition_note"])
            ),
        ),
        gettext_lazy("Return recorded."),
    ),
    "close": (
        lambda actor, loan, _data: services.close_loan(actor=actor, loan=loan),
        gettext_lazy("Loan closed."),
    ),
    "lost": (
        _with_form(
            NoteForm,
            lambda actor, loan, data: services.declare_lost(
                actor=actor, loan=loan, note=str(data["note"])
            ),
        ),
        gettext_lazy("The item is recorded as lost."),
    ),
}


def _run_step(
    request: HttpRequest, target: Any, run: Callable[..., object], done: Any
) -> HttpResponse:
    """Run one step of a loan or a booking; a refusal comes back as a message."""
    try:
        run(signed_in_member(request), target, request.POST)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(done))
    return redirect(target)


@login_required
@require_POST
def loan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of a loan, named in the URL; a refusal comes back as a message."""
    if action not in LOAN_ACTIONS:
        raise Http404
    loan, _manages = _loan_for(request, pk)
    return _run_step(request, loan, *LOAN_ACTIONS[action])


# --- Equipment


@require_GET
def equipment(request: HttpRequest) -> HttpResponse:
    """Networks' equipment one may see, with, for a member, their bookings and the ones
    awaiting their approval."""
    filters = queries.LibraryFilters.from_query(request.GET, equipment_only=True)
    page = paginate_capped(request, queries.search_library(request.user, filters))
    user = request.user
    context: dict[str, object] = {
        "filters": filters,
        "page_obj": page,
        "kinds": [(k, label) for k, label in Item.Kind.choices if k in Item.EQUIPMENT_KINDS],
        "mine": [],
        "to_approve": [],
    }
    if isinstance(user, User):
        context["mine"] = queries.bookings_of_member(user)[:20]
        context["to_approve"] = queries.bookings_to_approve(user)[:20]
    return render(request, "lending/equipment.html", context)


@require_http_methods(["GET", "POST"])
def equipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A piece of equipment, its calendar, and the booking form (a refused slot comes back
    beside the form with the next free slots)."""
    item = _visible_item(request, pk)
    if not item.is_bookable:
        return redirect(item)
    user = request.user
    form = BookingForm(posted_data(request))
    if request.method == "POST":
        if not isinstance(user, User):
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        if form.is_valid():
            try:
                booking = services.book_equipment(
                    actor=user,
                    item=item,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    purpose=form.cleaned_data["purpose"],
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                if booking.status == Booking.Status.APPROVED:
                    messages.success(request, _("Booked."))
                else:
                    messages.success(request, _("Booking sent to the equipment managers."))
                return redirect(booking)
    assert item.owner_network is not None  # noqa: S101 - bookable items belong to a network
    context = {
        "item": item,
        "form": form,
        "calendar": queries.bookings_of_item(item),
        "manages": can_manage_item(user, item),
        "can_book": standing(user, item.owner_network).can_act,
        "out_of_order_form": OutOfOrderForm(),
    }
    return render(request, "lending/equipment_detail.html", context)


@login_required
@require_POST
def equipment_out_of_order(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    item = _visible_item(request, pk)
    form = OutOfOrderForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    broken = request.POST.get("out_of_order") == "1"
    services.set_out_of_order(actor=actor, item=item, out_of_order=broken, note=note)
    if broken:
        messages.success(request, _("Marked out of order; the people who booked it are told."))
    else:
        messages.success(request, _("Marked as working again."))
    return redirect(item)


def _booking_for(request: HttpRequest, pk: int) -> tuple[Booking, bool]:
    member = signed_in_member(request)
    booking = get_object_or_404(queries.booking_page(pk))
    manages = can_manage_item(member, booking.item)
    if booking.booked_by_id != member.pk and not manages:
        raise Http404
    return booking, manages


@login_required
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking, manages = _booking_for(request, pk)
    context = {
        "booking": booking,
        "manages": manages,
        "parts": booking.part_bookings.select_related("item"),
        "checkout_form": NoteForm(auto_id="checkout_%s"),
    }
    return render(request, "lending/booking_detail.html", context)


def _note(data: QueryDict) -> str:
    form = NoteForm(data)
    return str(form.cleaned_data["note"]) if form.is_valid() else ""


BOOKING_ACTIONS: dict[str, tuple[Callable[[User, Booking, QueryDict], object], Promise]] = {
    "approve": (
        lambda actor, booking, _data: services.decide_booking(
            actor=actor, booking=booking, approve=True
        ),
        gettext_lazy("Booking approved."),
    ),
    "decline": (
        lambda actor, booking, _data: services.decide_booking(
            actor=actor, booking=booking, approve=False
        ),
        gettext_lazy("Booking declined."),
    ),
    "cancel": (
        lambda actor, booking, _data: services.cancel_booking(actor=actor, booking=booking),
        gettext_lazy("Booking cancelled."),
    ),
    "check-out": (
        lambda actor, booking, data: services.check_out(
            actor=actor, booking=booking, note=_note(data)
        ),
        gettext_lazy("Checked out."),
    ),
    "check-in": (
        lambda actor, booking, data: services.check_in(
            actor=actor, booking=booking, note=_note(data)
        ),
        gettext_lazy("Checked in."),
    ),
}


@login_required
@require_POST
def booking_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in BOOKING_ACTIONS:
        raise Http404
    booking, _manages = _booking_for(request, pk)
    return _run_step(request, booking, *BOOKING_ACTIONS[action])


@login_required
@require_GET
def bookings_ics(request: HttpRequest) -> HttpResponse:
    """The member's own bookings (not cancelled or declined) as an iCalendar feed."""
    member = signed_in_member(request)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Contrechamp//Equipment bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("My equipment bookings"))
    host = request.get_host()
    bookings = queries.bookings_of_member(member).filter(
        status__in=[*Booking.HOLDING, Booking.Status.RETURNED]
    )
    for booking in bookings[:500]:
        event = icalendar.Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add("summary", booking.item.title)
        event.add("description", f"{booking.get_status_display()} · {booking.purpose}".strip())
        event.add("url", request.build_absolute_uri(booking.get_absolute_url()))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bookings.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def equipment_managers(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's admins choose who looks after its equipment."""
    actor = signed_in_member(request)
    network = get_object_or_404(Network, slug=slug)
    ensure_role(actor, network, {"admin"})
    form = ManagerForm(posted_data(request))
    if request.method == "POST":
        if "remove" in request.POST:
            raw = request.POST.get("remove", "")
            member = (
                User.objects.filter(pk=int(raw)).first()
                if raw.isdigit() and len(raw) < 12
                else None
            )
            if member is not None:
                try:
                    services.remove_equipment_manager(actor=actor, network=network, member=member)
                except DomainError as error:
                    messages.error(request, str(error.message))
                else:
                    messages.success(request, _("Removed."))
            return redirect("lending:equipment_managers", slug=network.slug)
        if form.is_valid():
            try:
                services.add_equipment_manager(
                    actor=actor, network=network, member=form.cleaned_data["username"]
                )
            except DomainError as error:
                form.add_error("username", str(error.message))
            else:
                messages.success(request, _("This member now looks after the equipment."))
                return redirect("lending:equipment_managers", slug=network.slug)
    managers = EquipmentManager.objects.filter(network=network).select_related("user")
    context = {
        "network": network,
        "managers": managers,
        "form": form,
        "can_list": can_manage_network_items(actor, network),
    }
    return render(request, "lending/managers.html", context)


# --- Urgent requests


@login_required
@require_http_methods(["GET", "POST"])
def urgent_list(request: HttpRequest) -> HttpResponse:
    """Post an urgent request; see one's own."""
    member = signed_in_member(request)
    form = UrgentRequestForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            urgent = services.post_urgent_request(
                actor=member,
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                place=data["city"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Your request is posted; the holders of matching equipment are told.")
            )
            return redirect(urgent)
    context = {"form": form, "requests": queries.urgent_requests_for(member)[:20]}
    return render(request, "lending/urgent_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def urgent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request, its offers for the requester, and for the holders of matching
    equipment a form to offer theirs."""
    member = signed_in_member(request)
    urgent = get_object_or_404(UrgentRequest.objects.select_related("requester"), pk=pk)
    is_requester = urgent.requester_id == member.pk
    mine = queries.matching_equipment(urgent).filter(queries.looked_after_by(member))
    # Only the requester, the keepers of matching equipment and those who offered may read
    # it: its note and dates are no one else's business.
    if not (is_requester or mine.exists() or urgent.offers.filter(offered_by=member).exists()):
        raise Http404
    form = UrgentOfferForm(posted_data(request), items=mine)
    if request.method == "POST" and not is_requester and form.is_valid():
        try:
            services.offer_for_urgent_request(
                actor=member,
                request=urgent,
                item=form.cleaned_data["item"],
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your offer is sent."))
            return redirect(urgent)
    context = {
        "urgent": urgent,
        "is_requester": is_requester,
        "offers": queries.urgent_offers(urgent) if is_requester else [],
        "form": form if urgent.status == UrgentRequest.Status.OPEN and not is_requester else None,
        "has_matching": not is_requester and mine.exists(),
    }
    return render(request, "lending/urgent_detail.html", context)


@login_required
@require_POST
def urgent_accept(request: HttpRequest, pk: int) -> HttpResponse:
    member = signed_in_member(request)
    raw = request.POST.get("offer", "")
    offer = (
        UrgentOffer.objects.filter(request_id=pk, pk=int(raw)).first()
        if raw.isdigit() and len(raw) < 12
        else None
    )
    if offer is None:
        raise Http404
    try:
        services.accept_urgent_offer(actor=member, offer=offer)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Offer accepted: your request is closed."))
    return redirect("lending:urgent_detail", pk=pk)


@login_required
@require_POST
def urgent_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    member = signed_in_member(request)
    urgent = get_object_or_404(UrgentRequest, pk=pk)
    try:
        services.cancel_urgent_request(actor=member, request=urgent)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Request cancelled."))
    return redirect(urgent)
