"""Reads shared by the lending pages (and later the API), with their joins set here so a
page's query count does not grow with the data."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.core import places
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
from contrechamp.lending.permissions import serving_managers
from contrechamp.networks.models import Membership, Network, Role, RoleAssignment

DEFAULT_KM = 30
MAX_KM = 500


def _my_network_ids(viewer: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
        "network_id"
    )


def visible_items(viewer: User | AnonymousUser) -> QuerySet[Item]:
    """Items in the library that this person may see: public ones, their own, and those
    shown to "members of my networks" when they share a network with the owner."""
    items = Item.objects.filter(is_withdrawn=False)
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return items.filter(visibility=Item.Visibility.PUBLIC)
    # The viewer's networks as a list of ids (a handful): the planner then checks each
    # owner's memberships through the (user, status) index instead of a nested subquery.
    mine = list(_my_network_ids(viewer).values_list("network_id", flat=True))
    owner_shares_a_network = Membership.objects.filter(
        user=OuterRef("owner_user"), status=Membership.Status.ACTIVE, network_id__in=mine
    )
    return items.filter(
        Q(visibility=Item.Visibility.PUBLIC)
        | Q(owner_user=viewer)
        | Q(owner_network__in=mine)
        | Exists(owner_shares_a_network)
    )


@dataclass(frozen=True)
class LibraryFilters:
    """What a library search asks for, read from the query string (bad values ignored)."""

    q: str = ""
    kind: str = ""
    network: str = ""
    film: int | None = None
    near: str = ""
    km: int = DEFAULT_KM
    available_from: date | None = None
    available_until: date | None = None
    equipment_only: bool = False
    place: places.Place | None = None
    near_unknown: bool = False

    @classmethod
    def from_query(cls, query: QueryDict, *, equipment_only: bool = False) -> "LibraryFilters":
        kind = query.get("kind", "")
        if kind not in Item.Kind.values:
            kind = ""
        try:
            km = min(max(int(query.get("km", DEFAULT_KM)), 1), MAX_KM)
        except ValueError:
            km = DEFAULT_KM
        near = query.get("near", "").strip()[:100]
        place = places.find_city(near) if near else None
        return cls(
            q=query.get("q", "").strip()[:100],
            kind=kind,
            network=query.get("network", "").strip()[:140],
            film=int(film)
            if (film := query.get("film", "")).isdigit() and len(film) < 12
            else None,
            near=near,
            km=km,
            available_from=_date(query.get("from", "")),
            available_until=_date(query.get("until", "")),
            equipment_only=equipment_only,
            place=place,
            near_unknown=bool(near) and place is None,
        )


def _date(value: str) -> date | None:
    """A date from the query string; nonsense and far-off years (which would overflow
    date arithmetic) are ignored."""
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return parsed if 2000 <= parsed.year <= 2200 else None


def search_library(viewer: User | AnonymousUser, filters: LibraryFilters) -> QuerySet[Item]:
    """Visible items matching the filters, nearest first when a city is given."""
    items = visible_items(viewer).select_related("owner_user", "owner_network", "film")
    if filters.equipment_only:
        items = items.filter(owner_network__isnull=False, kind__in=Item.EQUIPMENT_KINDS)
    if filters.q:
        items = items.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.network:
        items = items.filter(owner_network__slug=filters.network)
    if filters.film is not None:
        items = items.filter(film_id=filters.film)
    if filters.available_from is not None:
        until = filters.available_until or filters.available_from
        until = max(until, filters.available_from)
        start = timezone.make_aware(datetime.combine(filters.available_from, time.min))
        end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
        booked = Booking.objects.filter(
            item=OuterRef("pk"), status__in=Booking.HOLDING, start__lt=end, end__gt=start
        )
        out = Loan.objects.filter(item=OuterRef("pk"), status__in=Loan.OUT)
        items = items.filter(is_out_of_order=False).exclude(Exists(booked) | Exists(out))
    if filters.place is not None:
        return places.near(items, filters.place.latitude, filters.place.longitude, filters.km)
    return items.order_by("-created_at", "-pk")


def item_page(viewer: User | AnonymousUser, pk: int) -> QuerySet[Item]:
    return (
        visible_items(viewer)
        .filter(pk=pk)
        .select_related("owner_user", "owner_network", "film")
        .prefetch_related("parts", "kits")
    )


@dataclass(frozen=True)
class TrackRecord:
    on_time: int = 0
    late: int = 0
    lost: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.lost


def track_record(member: User) -> TrackRecord:
    """Loans the member borrowed and returned on time, late, or lost (one query)."""
    returned = Q(status__in=[Loan.Status.RETURNED, Loan.Status.CLOSED])
    counts = Loan.objects.filter(borrower=member).aggregate(
        on_time=Count("pk", filter=returned & Q(returned_late=False)),
        late=Count("pk", filter=returned & Q(returned_late=True)),
        lost=Count("pk", filter=Q(status=Loan.Status.LOST)),
    )
    return TrackRecord(on_time=counts["on_time"], late=counts["late"], lost=counts["lost"])


def loans_as_borrower(member: User) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(borrower=member)
        .select_related("item__owner_user", "item__owner_network")
        .order_by("-updated_at", "-pk")
    )


def loans_as_lender(member: User) -> QuerySet[Loan]:
    """Loans of items the member owns or looks after for a network."""
    # Through the items first: each side of the OR has its index on items, then the loans
    # of those items come from the (item, status) index instead of a scan of all loans.
    items = Item.objects.filter(looked_after_by(member)).values("pk")
    return (
        Loan.objects.filter(item__in=items)
        .select_related("item__owner_user", "item__owner_network", "borrower")
        .order_by("-updated_at", "-pk")
    )


def loan_page(pk: int) -> QuerySet[Loan]:
    return Loan.objects.filter(pk=pk).select_related(
        "item__owner_user", "item__owner_network", "borrower"
    )


def loan_events(loan: Loan) -> QuerySet[LoanEvent]:
    return loan.events.select_related("actor")


def bookings_of_item(item: Item, *, since: datetime | None = None) -> QuerySet[Booking]:
    """The item's holding bookings from `since` (now by default): its calendar."""
    since = since or timezone.now()
    return (
        Booking.objects.filter(item=item, status__in=Booking.HOLDING, end__gt=since)
        .select_related("booked_by", "kit_booking__item")
        .order_by("start", "pk")
    )


def bookings_of_member(member: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(booked_by=member, kit_booking__isnull=True)
        .select_related("item__owner_network")
        .order_by("-start", "-pk")
    )


def bookings_to_approve(member: User) -> QuerySet[Booking]:
    """Pending bookings of equipment the member looks after (admin or equipment manager)."""
    items = Item.objects.filter(looked_after_by(member), owner_network__isnull=False)
    return (
        Booking.objects.filter(
            item__in=items.values("pk"),
            status=Booking.Status.PENDING,
            kit_booking__isnull=True,
        )
        .select_related("item__owner_network", "booked_by")
        .order_by("start", "pk")
    )


def booking_page(pk: int) -> QuerySet[Booking]:
    return Booking.objects.filter(pk=pk, kit_booking__isnull=True).select_related(
        "item__owner_network", "booked_by", "decided_by"
    )


def next_free_slots(
    items: Sequence[Item], *, after: datetime, length: timedelta, count: int = 3
) -> list[tuple[datetime, datetime]]:
    """The first `count` slots of `length`, from `after` on, when none of the items is
    held (one query over their holding bookings in the next 60 days)."""
    horizon = after + timedelta(days=60) + length
    busy = list(
        Booking.objects.filter(
            item__in=items, status__in=Booking.HOLDING, end__gt=after, start__lt=horizon
        )
        .order_by("start")
        .values_list("start", "end")
    )
    slots: list[tuple[datetime, datetime]] = []
    candidate = after
    for start, end in busy:
        if start >= candidate + length:
            slots.append((candidate, candidate + length))
            if len(slots) == count:
                return slots
        candidate = max(candidate, end)
    if len(slots) < count and candidate + length <= horizon:
        slots.append((candidate, candidate + length))
    return slots


def networks_i_look_after(member: User) -> QuerySet[Network]:
    """Networks whose items the member may list: as admin or equipment manager."""
    return (
        Network.objects.filter(
            Q(
                role_assignments__user=member,
                role_assignments__role=Role.ADMIN,
                role_assignments__ended_at__isnull=True,
            )
            | Q(equipment_managers__user=member),
            memberships__user=member,
            memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("name_normalised")
    )


def swaps_of(member: User) -> QuerySet[Swap]:
    """Swaps the member proposed or was asked for, with their items."""
    return (
        Swap.objects.filter(Q(proposer=member) | Q(recipient=member))
        .select_related("proposer", "recipient")
        .prefetch_related("wanted", "offered")
        .order_by("-created_at", "-pk")
    )


URGENT_RADIUS_KM = 50


def free_between(items: QuerySet[Item], start: datetime, end: datetime) -> QuerySet[Item]:
    """Items neither out of order, nor out on loan, nor held by a booking in [start, end)."""
    booked = Booking.objects.filter(
        item=OuterRef("pk"), status__in=Booking.HOLDING, start__lt=end, end__gt=start
    )
    out = Loan.objects.filter(item=OuterRef("pk"), status__in=Loan.OUT)
    return items.filter(is_out_of_order=False).exclude(Exists(booked) | Exists(out))


def matching_equipment(request: UrgentRequest) -> QuerySet[Item]:
    """Equipment of the kind asked for, within 50 km, free on those dates, that the
    requester may see and does not own; nearest first."""
    candidates = visible_items(request.requester).filter(kind=request.kind)
    candidates = candidates.exclude(owner_user=request.requester)
    candidates = free_between(candidates, request.start, request.end)
    return places.near(
        candidates.select_related("owner_user", "owner_network"),
        request.latitude,
        request.longitude,
        URGENT_RADIUS_KM,
    )


def looked_after_by(member: User) -> Q:
    """Items the member owns or looks after for a network (admin or equipment manager).

    The networks are read first (two small indexed queries) and passed as a list of ids:
    with subqueries in an OR, PostgreSQL misjudges how many items match and scans."""
    admin_of = RoleAssignment.objects.filter(
        user=member, role=Role.ADMIN, ended_at__isnull=True
    ).values_list("network_id", flat=True)
    managed = EquipmentManager.objects.filter(
        user=member,
        network__memberships__user=member,
        network__memberships__status=Membership.Status.ACTIVE,
    ).values_list("network_id", flat=True)
    networks = {*admin_of, *managed}
    if not networks:
        return Q(owner_user=member)
    return Q(owner_user=member) | Q(owner_network_id__in=sorted(networks))


def keepers_of(items: Sequence[Item]) -> QuerySet[User]:
    """Everyone who hears about these items (owners; networks' admins and equipment
    managers), each once, in one query."""
    owners = {item.owner_user_id for item in items if item.owner_user_id is not None}
    networks = {item.owner_network_id for item in items if item.owner_network_id is not None}
    return User.objects.filter(
        Q(pk__in=owners)
        | Q(
            network_roles__network_id__in=networks,
            network_roles__role=Role.ADMIN,
            network_roles__ended_at__isnull=True,
        )
        | serving_managers(networks)
    ).distinct()


def urgent_requests_for(member: User) -> QuerySet[UrgentRequest]:
    """The member's own urgent requests, newest first."""
    return UrgentRequest.objects.filter(requester=member).order_by("-created_at", "-pk")


def urgent_offers(request: UrgentRequest) -> QuerySet[UrgentOffer]:
    return request.offers.select_related("item__owner_network", "offered_by")
