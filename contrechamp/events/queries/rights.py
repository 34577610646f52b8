"""Reads for the rights pages and the rights panel of an event page, with their joins set
here so that a page's query count does not grow with the number of screenings."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.core.places import normalise
from contrechamp.events.models import Event, RightsDocument, RightsHolder, Screening
from contrechamp.events.permissions import can_organise, visible_events
from contrechamp.networks.models import Network

QUERY_MAX = 100
HOLDER_RECENT_SCREENINGS = 10

# Screenings whose rights are not settled: still to request, awaiting an answer, refused,
# or shown to a private circle at an event advertised to the public (which its licence
# forbids). A private circle at a members-only event is settled.
STILL_MISSING_RIGHTS = Q(
    rights_status__in=[
        Screening.RightsStatus.TO_REQUEST,
        Screening.RightsStatus.REQUESTED,
        Screening.RightsStatus.REFUSED,
    ]
) | Q(
    rights_status=Screening.RightsStatus.PRIVATE_CIRCLE, event__visibility=Event.Visibility.PUBLIC
)


# --- The directory


@dataclass(frozen=True)
class HolderFilters:
    q: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "HolderFilters":
        """Filters from a query string; unknown values are ignored, not refused."""
        kind = query.get("kind", "")
        return cls(
            q=" ".join(query.get("q", "").split())[:QUERY_MAX],
            kind=kind if kind in RightsHolder.Kind.values else "",
        )


def search_holders(filters: HolderFilters) -> QuerySet[RightsHolder]:
    """Holders whose name holds every word of `q` (accents and case aside), by name."""
    holders = RightsHolder.objects.select_related("updated_by").order_by("name_normalised")
    for word in normalise(filters.q).split():
        holders = holders.filter(name_normalised__contains=word)
    if filters.kind:
        holders = holders.filter(kind=filters.kind)
    return holders


def holder_page() -> QuerySet[RightsHolder]:
    """Holders with who added and last changed them (use `get_object_or_404`)."""
    return RightsHolder.objects.select_related("created_by", "updated_by")


@dataclass(frozen=True)
class HolderRecord:
    """What a holder's rights were recorded for, among the events the viewer may see."""

    count: int
    recent: tuple[Screening, ...]


def holder_record(*, holder: RightsHolder, viewer: User | AnonymousUser) -> HolderRecord:
    """How many screenings named this holder, and the latest ones, counting only events
    the viewer may see (a members-only event of another network stays hidden). Two
    queries whatever the numbers."""
    screenings = Screening.objects.filter(rights_holder=holder, event__in=visible_events(viewer))
    recent = screenings.select_related("film", "event").order_by("-event__starts_at", "-pk")[
        :HOLDER_RECENT_SCREENINGS
    ]
    return HolderRecord(count=screenings.count(), recent=tuple(recent))


# --- The rights of an event


@dataclass(frozen=True)
class ScreeningRights:
    """One film of the event with the record of the right to show it."""

    screening: Screening
    documents: tuple[RightsDocument, ...]

    @property
    def cleared_for_public(self) -> bool:
        return self.screening.cleared_for_public

    @property
    def licence_missing(self) -> bool:
        """Granted, but the licence reference is not written down yet."""
        return (
            self.screening.rights_status == Screening.RightsStatus.GRANTED
            and not self.screening.licence_reference
        )


@dataclass(frozen=True)
class RightsPanel:
    """The rights of every film of an event, for its organisers."""

    event: Event
    screenings: tuple[ScreeningRights, ...]
    # The screenings that block a public showing (not granted, not in the public domain).
    missing: tuple[ScreeningRights, ...]

    @property
    def warns(self) -> bool:
        """A public event, still to take place, shows films whose rights are missing."""
        return self.event.is_public and not self.event.is_cancelled and bool(self.missing)


def screenings_with_rights(event: Event) -> QuerySet[Screening]:
    """The event's screenings in programme order, with film, holder, who recorded the
    rights and the documents (each with its uploader): two queries in all."""
    return (
        Screening.objects.filter(event=event)
        .select_related("film", "rights_holder", "rights_updated_by")
        .prefetch_related(
            Prefetch("documents", queryset=RightsDocument.objects.select_related("uploaded_by"))
        )
        .order_by("position", "pk")
    )


def rights_panel(*, event: Event, viewer: User | AnonymousUser) -> RightsPanel | None:
    """The rights panel of an event page; None unless the viewer organises the event's
    network (licences, fees and contracts are the organisers' business)."""
    if not can_organise(viewer, event.network):
        return None
    rows = tuple(
        ScreeningRights(screening=screening, documents=tuple(screening.documents.all()))
        for screening in screenings_with_rights(event)
    )
    return RightsPanel(
        event=event,
        screenings=rows,
        missing=tuple(row for row in rows if not row.cleared_for_public),
    )


def screening_page(*, event_id: int, screening_id: int) -> QuerySet[Screening]:
    """The screening of that event with its event, network, film and holder (use
    `get_object_or_404`)."""
    return Screening.objects.filter(pk=screening_id, event_id=event_id).select_related(
        "event__network", "film", "rights_holder", "rights_updated_by"
    )


def screening_documents(screening: Screening) -> QuerySet[RightsDocument]:
    return screening.documents.select_related("uploaded_by").order_by("uploaded_at", "pk")


def document_page() -> QuerySet[RightsDocument]:
    """Documents with their screening, event and network, to check who may read them."""
    return RightsDocument.objects.select_related("screening__event__network")


# --- The checklist of a network


def rights_checklist(network: Network) -> QuerySet[Event]:
    """The network's events still to come (not cancelled, not yet ended) that show at least
    one film whose rights are still missing, soonest first, each with those screenings in
    `missing_screenings`. Paginate it: three queries per page."""
    missing = Screening.objects.filter(STILL_MISSING_RIGHTS)
    return (
        Event.objects.filter(network=network, ends_at__gt=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
        .filter(Exists(missing.filter(event=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "screenings",
                queryset=missing.select_related("film", "rights_holder").order_by("position", "pk"),
                to_attr="missing_screenings",
            )
        )
        .order_by("starts_at", "pk")
    )
