"""The library: items the caller may see (by kind, words, network, film, distance and
free dates), an item's page, asking to borrow one, and the caller's loans. The same
queries and services as the library pages: an item shown to "members of my networks" is
hidden from everyone else, and a valuable item keeps its owner's track-record threshold."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from contrechamp.accounts.models import User
from contrechamp.api import auth
from contrechamp.api.errors import documented, unknown_city
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import (
    Day,
    FilmRef,
    Id,
    MemberRef,
    Message,
    as_query,
    first_item_links,
    listed,
    site_url,
)
from contrechamp.core import places
from contrechamp.lending import queries, services
from contrechamp.lending.models import Item, Loan

router = Router(tags=["Library"])

ItemKind = Annotated[Item.Kind, listed(Item.Kind)]
ItemCondition = Annotated[Item.Condition, listed(Item.Condition)]
ItemVisibility = Annotated[Item.Visibility, listed(Item.Visibility)]
LoanStatus = Annotated[Loan.Status, listed(Loan.Status)]


class OwnerOut(Schema):
    kind: Literal["member", "network"]
    name: str
    username: str | None = Field(description="The owner's username, for a member.")
    network: str | None = Field(description="The network's slug, for a network.")


def _owner(item: Item) -> OwnerOut:
    if item.owner_network is not None:
        network = item.owner_network
        return OwnerOut(kind="network", name=network.name, username=None, network=network.slug)
    assert item.owner_user is not None  # noqa: S101 - guaranteed by item_one_owner
    return OwnerOut(
        kind="member",
        name=item.owner_user.public_name,
        username=item.owner_user.username,
        network=None,
    )


class ItemOut(Schema):
    id: int
    title: str
    kind: ItemKind
    condition: ItemCondition
    owner: OwnerOut
    film: FilmRef | None
    pickup_area: str
    latitude: float
    longitude: float
    deposit: str = Field(description='In euros, as a decimal string ("20.00").')
    offers_loan: bool
    offers_swap: bool
    offers_gift: bool
    is_valuable: bool
    is_out_of_order: bool
    is_equipment: bool
    is_bookable: bool = Field(description="A network's equipment, booked by time slot.")
    photo_url: str | None
    distance_km: float | None = Field(description="From the city asked for with `near`.")
    url: str = Field(description="The item's page on the site.")

    @staticmethod
    def resolve_owner(obj: Item) -> OwnerOut:
        return _owner(obj)

    @staticmethod
    def resolve_pickup_area(obj: Item) -> str:
        return obj.city_name

    @staticmethod
    def resolve_deposit(obj: Item) -> str:
        return f"{obj.deposit:.2f}"

    @staticmethod
    def resolve_photo_url(obj: Item) -> str | None:
        return site_url(obj.photo.url) if obj.photo else None

    @staticmethod
    def resolve_distance_km(obj: Item) -> float | None:
        distance = getattr(obj, "distance_km", None)
        return round(distance, 1) if distance is not None else None

    @staticmethod
    def resolve_url(obj: Item) -> str:
        return site_url(obj.get_absolute_url())


class ItemRefOut(Schema):
    id: int
    title: str
    kind: ItemKind
    owner: OwnerOut

    @staticmethod
    def resolve_owner(obj: Item) -> OwnerOut:
        return _owner(obj)


class LoanOut(Schema):
    id: int
    item: ItemRefOut
    borrower: MemberRef
    status: LoanStatus
    message: str
    pickup_note: str
    due_on: date | None
    created_at: datetime
    updated_at: datetime
    url: str = Field(description="The loan's page on the site.")

    @staticmethod
    def resolve_url(obj: Loan) -> str:
        return site_url(obj.get_absolute_url())


class MyLoanOut(Schema):
    id: int
    status: LoanStatus
    due_on: date | None


class ItemDetailOut(ItemOut):
    description: str
    visibility: ItemVisibility
    min_on_time_returns: int = Field(
        description="For a valuable item: loans a borrower must have returned on time."
    )
    is_out: bool = Field(description="Lent out at the moment.")
    waiting: int = Field(description="People on the item's waitlist.")
    my_loan: MyLoanOut | None = Field(description="The caller's open loan of it, if any.")

    @staticmethod
    def resolve_is_out(obj: Item) -> bool:
        return obj.loans.filter(status__in=Loan.OUT).exists()

    @staticmethod
    def resolve_waiting(obj: Item) -> int:
        return obj.loans.filter(status=Loan.Status.WAITLISTED).count()

    @staticmethod
    def resolve_my_loan(obj: Item, context: dict[str, HttpRequest]) -> Loan | None:
        member = auth.caller(context["request"]).member
        if member is None:
            return None
        return obj.loans.filter(borrower=member, status__in=Loan.OPEN).first()


class LibraryQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the title or description.")
    kind: ItemKind | None = None
    network: str = Field("", max_length=140, description="Items of this network (slug).")
    film: int | None = Field(None, ge=1, le=10**11 - 1, description="Items of this film (id).")
    near: str = Field("", max_length=100, description="A city: the items around it.")
    km: int = Field(30, ge=1, le=500, description="The distance from `near`, in km.")
    from_: Day | None = Field(None, alias="from", description="Free from this day…")
    until: Day | None = Field(None, description="…until this day (inclusive).")


class LoanRequestIn(Schema):
    message: Message = Field("", description="A word for the owner.")


class MyLoansQuery(Schema):
    side: Literal["borrowing", "lending"] = Field(
        "borrowing",
        description="`borrowing`: what the caller borrows; `lending`: loans of the items "
        "they own or look after for a network.",
    )


def _visible_item(viewer: User | AnonymousUser, pk: int) -> Item:
    return get_object_or_404(queries.item_page(viewer, pk))


@router.get(
    "/library",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("id", "item_id", "get_item", "request_loan"),
    },
    response={200: Page[ItemOut], **documented(401, 422)},
)
def list_items(
    request: HttpRequest, filters: Query[LibraryQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Items the caller may see, newest first; with `near`, nearest first; with `from`
    (and `until`), only those neither lent, booked nor out of order on those days."""
    library = queries.LibraryFilters.from_query(as_query(filters.model_dump(by_alias=True)))
    if library.near_unknown:
        raise unknown_city(places.suggest_cities(library.near))
    return paginate(queries.search_library(auth.viewer(request), library), page)


@router.get(
    "/library/{item_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: ItemDetailOut, **documented(401, 404, 422)},
)
def get_item(request: HttpRequest, item_id: Id) -> Item:
    """An item and its owner's terms; 404 when it is not shown to the caller."""
    return _visible_item(auth.viewer(request), item_id)


@router.post(
    "/library/{item_id}/loans",
    auth=auth.WRITE,
    response={201: LoanOut, **documented(400, 401, 403, 404, 409, 422)},
)
def request_loan(request: HttpRequest, item_id: Id, payload: LoanRequestIn) -> Status[Loan]:
    """Ask to borrow the item. While it is out, or others wait for it, the request joins
    its waitlist (`waitlisted`). A valuable item refuses (403) a borrower with fewer loans
    returned on time than its owner asks."""
    actor = auth.member(request)
    item = _visible_item(actor, item_id)
    loan = services.request_loan(actor=actor, item=item, message=payload.message)
    return Status(201, loan)


@router.get(
    "/me/loans",
    auth=auth.MEMBERS,
    response={200: Page[LoanOut], **documented(401, 422)},
)
def my_loans(
    request: HttpRequest, filters: Query[MyLoansQuery], page: Query[PageParams]
) -> dict[str, object]:
    """The caller's loans, latest activity first."""
    member = auth.member(request)
    if filters.side == "lending":
        loans = queries.loans_as_lender(member)
    else:
        loans = queries.loans_as_borrower(member).select_related("borrower")
    return paginate(loans, page)
