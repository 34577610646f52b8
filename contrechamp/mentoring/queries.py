"""Reads shared by the mentoring pages (and later the API), with their joins set here so
that a page's query count does not grow with the data."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from contrechamp.accounts.models import Skill, User
from contrechamp.core import places
from contrechamp.events.models import Event
from contrechamp.events.permissions import visible_events
from contrechamp.mentoring import matching
from contrechamp.mentoring.models import (
    ONLINE_FORMATS,
    AgeBracket,
    MentoringProfile,
    MentoringSession,
    Mentorship,
    SkillListing,
)

DEFAULT_KM = 30
MAX_KM = 500
QUERY_MAX = 100
HOME_ROWS = 6
# The workshops on the home page: those starting within this time.
WORKSHOPS_AHEAD = timedelta(days=180)
WORKSHOP_CHOICES = 100


def km_from(query: QueryDict) -> int:
    try:
        return min(max(int(query.get("km", DEFAULT_KM)), 1), MAX_KM)
    except ValueError:
        return DEFAULT_KM


def _text(query: QueryDict, name: str) -> str:
    return " ".join(query.get(name, "").split())[:QUERY_MAX]


@dataclass(frozen=True)
class ListingFilters:
    """What a search of offers or requests asks for, read from the query string (bad
    values are ignored): text, domain (a skill's slug), near a city within km, online."""

    q: str = ""
    skill: str = ""
    near: str = ""
    km: int = DEFAULT_KM
    online: bool = False
    place: places.Place | None = None
    near_unknown: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "ListingFilters":
        near = _text(query, "near")
        place = places.find_city(near) if near else None
        return cls(
            q=_text(query, "q"),
            skill=_text(query, "skill")[:60],
            near=near,
            km=km_from(query),
            online=query.get("online", "") == "1",
            place=place,
            near_unknown=bool(near) and place is None,
        )


def search_listings(kind: str, filters: ListingFilters) -> QuerySet[SkillListing]:
    """Open offers (or requests) matching the filters, nearest first near a city, else
    newest first."""
    listings = SkillListing.objects.filter(
        kind=kind, status=SkillListing.Status.OPEN
    ).select_related("author", "skill")
    if filters.q:
        listings = listings.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
        )
    if filters.skill:
        listings = listings.filter(skill__slug=filters.skill)
    if filters.online:
        listings = listings.filter(format__in=ONLINE_FORMATS)
    if filters.place is not None:
        return places.near(listings, filters.place.latitude, filters.place.longitude, filters.km)
    return listings.order_by("-created_at", "-pk")


def listing_page(pk: int, kind: str) -> SkillListing | None:
    return SkillListing.objects.filter(pk=pk, kind=kind).select_related("author", "skill").first()


def visible_workshop(viewer: User | AnonymousUser, listing: SkillListing) -> Event | None:
    """The workshop an offer points to, if the viewer may see it (one query, none when
    the offer points to none)."""
    if listing.workshop_id is None:
        return None
    return (
        visible_events(viewer)
        .filter(pk=listing.workshop_id, kind=Event.Kind.WORKSHOP)
        .select_related("network", "venue")
        .first()
    )


def workshop_choices(member: User, current_id: int | None = None) -> QuerySet[Event]:
    """Published workshops to come that the member may see and point an offer to,
    soonest first (and the one already chosen, even if it has passed)."""
    upcoming = Q(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
    if current_id is not None:
        upcoming |= Q(pk=current_id)
    ids = (
        visible_events(member)
        .filter(upcoming, kind=Event.Kind.WORKSHOP)
        .order_by("starts_at", "pk")
        .values("pk")[:WORKSHOP_CHOICES]
    )
    return Event.objects.filter(pk__in=ids).select_related("network").order_by("starts_at", "pk")


def listings_of(member: User) -> QuerySet[SkillListing]:
    return (
        SkillListing.objects.filter(author=member)
        .select_related("skill")
        .order_by("status", "-updated_at", "-pk")
    )


def profile_of(member: User) -> MentoringProfile | None:
    """The member's mentoring profile with its domains (three queries at most)."""
    return (
        MentoringProfile.objects.filter(user=member)
        .select_related("user")
        .prefetch_related("mentor_skills", "learning_skills")
        .first()
    )


# --- Mentors


@dataclass(frozen=True)
class MentorFilters:
    """A mentor search: name or text, domain, near a city within km, online, and age
    bracket (which only finds mentors who opted in to be matched by it)."""

    q: str = ""
    skill: str = ""
    near: str = ""
    km: int = DEFAULT_KM
    online: bool = False
    age: str = ""
    place: places.Place | None = None
    near_unknown: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "MentorFilters":
        near = _text(query, "near")
        place = places.find_city(near) if near else None
        age = query.get("age", "")
        return cls(
            q=_text(query, "q"),
            skill=_text(query, "skill")[:60],
            near=near,
            km=km_from(query),
            online=query.get("online", "") == "1",
            age=age if age in AgeBracket.values else "",
            place=place,
            near_unknown=bool(near) and place is None,
        )


def search_mentors(viewer: User, filters: MentorFilters) -> QuerySet[MentoringProfile]:
    """Mentors who take mentees now (see `matching.available_mentors`), with their
    member and domains loaded; nearest first near a city, else most recently updated."""
    mentors = (
        matching.available_mentors()
        .exclude(user=viewer)
        .select_related("user")
        .prefetch_related(
            Prefetch("mentor_skills", queryset=Skill.objects.order_by("position", "slug"))
        )
    )
    if filters.q:
        mentors = mentors.filter(
            Q(user__display_name__icontains=filters.q)
            | Q(user__username__icontains=filters.q)
            | Q(introduction__icontains=filters.q)
        )
    if filters.skill:
        mentors = mentors.filter(
            pk__in=MentoringProfile.mentor_skills.through.objects.filter(
                skill__slug=filters.skill
            ).values("mentoringprofile_id")
        )
    if filters.online:
        mentors = mentors.filter(format__in=ONLINE_FORMATS)
    if filters.age:
        mentors = mentors.filter(match_by_age=True, age_bracket=filters.age)
    if filters.place is not None:
        return places.near(mentors, filters.place.latitude, filters.place.longitude, filters.km)
    return mentors.order_by("-updated_at", "-pk")


def mentor_page(username: str) -> MentoringProfile | None:
    """A listed mentor's profile, whether or not they have room now; None otherwise."""
    return (
        matching.listed_mentors()
        .filter(user__username=username)
        .select_related("user")
        .prefetch_related(
            Prefetch("mentor_skills", queryset=Skill.objects.order_by("position", "slug"))
        )
        .first()
    )


# --- Mentorships


def _with_people(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    return mentorships.select_related("mentor", "mentee", "skill")


def mentorships_of(member: User) -> QuerySet[Mentorship]:
    """Every mentorship the member takes part in, either side, latest activity first."""
    return _with_people(Mentorship.objects.filter(Q(mentor=member) | Q(mentee=member))).order_by(
        "-updated_at", "-pk"
    )


def mentorship_page(pk: int) -> Mentorship | None:
    return (
        _with_people(Mentorship.objects.filter(pk=pk)).select_related("listing", "ended_by").first()
    )


def sessions_of(mentorship: Mentorship) -> QuerySet[MentoringSession]:
    return mentorship.sessions.select_related("logged_by").order_by("-held_on", "-pk")


def open_pair(mentor: User, mentee: User) -> Mentorship | None:
    """A request waiting or a mentorship under way between the two, if any."""
    return Mentorship.objects.filter(
        mentor=mentor, mentee=mentee, status__in=Mentorship.OPEN
    ).first()


# --- Home


@dataclass(frozen=True)
class Home:
    place: places.Place | None
    offers: list[SkillListing]
    requests: list[SkillListing]
    workshops: list[Event]
    suggestions: list[matching.Suggestion]
    profile: MentoringProfile | None


def home_place(viewer: User | AnonymousUser, near: str) -> places.Place | None:
    """The city the home page is about: the one asked for, else the member's own."""
    if near:
        return places.find_city(near)
    if isinstance(viewer, User) and viewer.city_name:
        return places.find_city(viewer.city_name)
    return None


def _nearest(
    rows: QuerySet[SkillListing], place: places.Place | None, km: int
) -> list[SkillListing]:
    if place is None:
        return list(rows.order_by("-created_at", "-pk")[:HOME_ROWS])
    near = places.near(rows.filter(latitude__isnull=False), place.latitude, place.longitude, km)
    found = list(near[:HOME_ROWS])
    if len(found) < HOME_ROWS:
        # Online ones complete the list: they are near everyone.
        online = rows.filter(format__in=ONLINE_FORMATS).exclude(pk__in=[r.pk for r in found])
        found += list(online.order_by("-created_at", "-pk")[: HOME_ROWS - len(found)])
    return found


def upcoming_workshops(
    viewer: User | AnonymousUser, place: places.Place | None, km: int
) -> list[Event]:
    """Published workshops the viewer may see, starting within six months, near the
    place when there is one (nearest first), else soonest first."""
    now = timezone.now()
    workshops = (
        visible_events(viewer)
        .filter(
            kind=Event.Kind.WORKSHOP,
            status=Event.Status.PUBLISHED,
            starts_at__gte=now,
            starts_at__lte=now + WORKSHOPS_AHEAD,
        )
        .select_related("network", "venue")
    )
    if place is not None:
        workshops = places.near(workshops, place.latitude, place.longitude, km)
    else:
        workshops = workshops.order_by("starts_at", "pk")
    return list(workshops[:HOME_ROWS])


def home(viewer: User | AnonymousUser, place: places.Place | None, km: int) -> Home:
    """What the mentoring home shows: offers, open requests and workshops near the place
    (online offers and requests complete the lists), and for a member who looks for a
    mentor, the mentors suggested for them."""
    listings = SkillListing.objects.filter(status=SkillListing.Status.OPEN).select_related(
        "author", "skill"
    )
    if isinstance(viewer, User):
        listings = listings.exclude(author=viewer)
    profile = profile_of(viewer) if isinstance(viewer, User) else None
    suggestions: list[matching.Suggestion] = []
    if profile is not None and isinstance(viewer, User) and viewer.seeks_mentoring:
        suggestions = matching.suggest(matching.need_of_member(viewer, profile), limit=HOME_ROWS)
    return Home(
        place=place,
        offers=_nearest(listings.filter(kind=SkillListing.Kind.OFFER), place, km),
        requests=_nearest(listings.filter(kind=SkillListing.Kind.REQUEST), place, km),
        workshops=upcoming_workshops(viewer, place, km),
        suggestions=suggestions,
        profile=profile,
    )
