"""Reads shared by the projects pages and the API, with their joins set here so that a
page's query count does not grow with the data."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.projects.models import (
    Application,
    AvailabilityPeriod,
    CallProfile,
    CallTime,
    Project,
    RoleCall,
    SharedFile,
    ShootingDay,
    Task,
    TeamMember,
)
from contrechamp.projects.permissions import visible_projects

DEFAULT_KM = 50
MAX_KM = 500
QUERY_MAX = 100
MY_ROWS = 100
CALL_SHEETS_AHEAD = timedelta(days=14)


def _text(query: QueryDict, name: str) -> str:
    return " ".join(query.get(name, "").split())[:QUERY_MAX]


def _km(query: QueryDict) -> int:
    try:
        return min(max(int(query.get("km", DEFAULT_KM)), 1), MAX_KM)
    except ValueError:
        return DEFAULT_KM


@dataclass(frozen=True)
class Filters:
    """A search of projects or role calls, read from the query string (bad values are
    ignored): words, kind, status (projects) or skill and paid (calls), near a city."""

    q: str = ""
    kind: str = ""
    status: str = ""
    skill: str = ""
    paid: str = ""
    near: str = ""
    km: int = DEFAULT_KM
    place: places.Place | None = None
    near_unknown: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "Filters":
        near = _text(query, "near")
        place = places.find_city(near) if near else None
        return cls(
            q=_text(query, "q"),
            kind=_text(query, "kind")[:30],
            status=_text(query, "status")[:30],
            skill=_text(query, "skill")[:60],
            paid=query.get("paid", "") if query.get("paid", "") in ("yes", "no") else "",
            near=near,
            km=_km(query),
            place=place,
            near_unknown=bool(near) and place is None,
        )


def search_projects(viewer: User | AnonymousUser, filters: Filters) -> QuerySet[Project]:
    """Projects the viewer may see, matching the filters; nearest first near a city."""
    # A correlated count, worked out for the rows of the page only (a join and GROUP BY
    # would aggregate the calls of every visible project first).
    open_calls_of = (
        RoleCall.objects.filter(
            project=OuterRef("pk"),
            status=RoleCall.Status.OPEN,
            deadline__gte=timezone.localdate(),
        )
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    projects = (
        Project.objects.filter(visible_projects(viewer))
        .select_related("owner")
        .annotate(open_call_count=Coalesce(Subquery(open_calls_of), 0))
    )
    if filters.q:
        projects = projects.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(city_name__icontains=filters.q)
        )
    if filters.kind in Project.Kind.values:
        projects = projects.filter(kind=filters.kind)
    if filters.status in Project.Status.values:
        projects = projects.filter(status=filters.status)
    if filters.place is not None:
        return places.near(projects, filters.place.latitude, filters.place.longitude, filters.km)
    return projects.order_by("-created_at", "-pk")


def open_calls(viewer: User | AnonymousUser, filters: Filters) -> QuerySet[RoleCall]:
    """Open role calls (deadline not past) of projects the viewer may see."""
    visible = Project.objects.filter(visible_projects(viewer)).values("pk")
    calls = RoleCall.objects.filter(
        status=RoleCall.Status.OPEN,
        deadline__gte=timezone.localdate(),
        project__in=visible,
    ).select_related("project", "skill")
    if filters.q:
        calls = calls.filter(
            Q(title__icontains=filters.q)
            | Q(requirements__icontains=filters.q)
            | Q(project__title__icontains=filters.q)
        )
    if filters.kind in RoleCall.Kind.values:
        calls = calls.filter(kind=filters.kind)
    if filters.skill:
        calls = calls.filter(skill__slug=filters.skill)
    if filters.paid:
        calls = calls.filter(is_paid=filters.paid == "yes")
    if filters.place is not None:
        return places.near(calls, filters.place.latitude, filters.place.longitude, filters.km)
    return calls.order_by("deadline", "pk")


def project_page(slug: str) -> Project | None:
    """A project with its team (members and skills) and its calls, in a fixed number of
    queries."""
    team = TeamMember.objects.select_related("member", "skill")
    calls = RoleCall.objects.select_related("skill").annotate(
        accepted_count=Count(
            "applications", filter=Q(applications__status=Application.Status.ACCEPTED)
        )
    )
    return (
        Project.objects.filter(slug=slug)
        .select_related("owner", "network")
        .prefetch_related(
            Prefetch("team", queryset=team, to_attr="team_rows"),
            Prefetch("role_calls", queryset=calls.order_by("deadline", "pk"), to_attr="calls"),
        )
        .first()
    )


def call_page(slug: str, pk: int) -> RoleCall | None:
    return (
        RoleCall.objects.filter(pk=pk, project__slug=slug)
        .select_related("project__owner", "project__network", "skill")
        .annotate(
            accepted_count=Count(
                "applications", filter=Q(applications__status=Application.Status.ACCEPTED)
            )
        )
        .first()
    )


def applications_of(call: RoleCall) -> QuerySet[Application]:
    return call.applications.select_related("applicant").order_by("created_at", "pk")


def application_of(call: RoleCall, member: User | AnonymousUser) -> Application | None:
    if not isinstance(member, User):
        return None
    return Application.objects.filter(role_call=call, applicant=member).first()


def my_applications(member: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=member)
        .select_related("role_call__project", "applicant")
        .order_by("-created_at", "-pk")[:MY_ROWS]
    )


def my_projects(member: User) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.filter(member=member)
        .select_related("project")
        .order_by("-project__created_at", "-pk")[:MY_ROWS]
    )


def call_profile(member: User) -> CallProfile | None:
    return CallProfile.objects.filter(member=member).first()


def availability_of(member: User) -> QuerySet[AvailabilityPeriod]:
    return AvailabilityPeriod.objects.filter(
        member=member, ends_on__gte=timezone.localdate()
    ).order_by("starts_on", "pk")


def shooting_days(project: Project, *, published_only: bool) -> QuerySet[ShootingDay]:
    days = ShootingDay.objects.filter(project=project).order_by("date", "general_call", "pk")
    if published_only:
        days = days.filter(published_at__isnull=False)
    return days.select_related("venue")


def call_sheet(project: Project, pk: int) -> ShootingDay | None:
    """A shooting day with everything its call sheet shows, in a fixed number of queries."""
    calls = CallTime.objects.select_related("member").order_by("call_at", "pk")
    return (
        ShootingDay.objects.filter(project=project, pk=pk)
        .select_related("venue", "project")
        .prefetch_related(
            Prefetch("calls", queryset=calls, to_attr="call_rows"),
            Prefetch("bookings", queryset=_bookings(), to_attr="booking_rows"),
        )
        .first()
    )


def _bookings() -> QuerySet:  # type: ignore[type-arg]
    from contrechamp.lending.models import Booking

    return Booking.objects.select_related("item", "booked_by").order_by("start", "pk")


def with_team_roles(day: ShootingDay) -> ShootingDay:
    """Set `team_role` on each person called (their role on the team), in one query."""
    roles = dict(
        TeamMember.objects.filter(project_id=day.project_id).values_list("member_id", "role")
    )
    for row in day.call_rows:  # type: ignore[attr-defined]  # to_attr of call_sheet()
        row.team_role = roles.get(row.member_id, "")
    return day


def my_call_sheets(member: User) -> QuerySet[ShootingDay]:
    """Published shooting days from today to two weeks ahead where the member is called:
    what the offline copy keeps."""
    today = timezone.localdate()
    return (
        ShootingDay.objects.filter(
            calls__member=member,
            published_at__isnull=False,
            date__gte=today,
            date__lte=today + CALL_SHEETS_AHEAD,
        )
        .select_related("project", "venue")
        .order_by("date", "general_call", "pk")
    )


def tasks_of(project: Project) -> QuerySet[Task]:
    return Task.objects.filter(project=project).select_related("assignee")


def files_of(project: Project) -> QuerySet[SharedFile]:
    return SharedFile.objects.filter(project=project).select_related("uploaded_by")
