"""Creative projects: the projects and open role calls the caller may see, applying to a
call, the managers' decisions on applications, and the call sheets of the caller's teams.
The same queries, permissions and services as the project pages: a team-only project is a
404 for anyone off its team."""

from datetime import date, datetime, time
from typing import Annotated, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from contrechamp.accounts.models import Skill, User
from contrechamp.api import auth
from contrechamp.api.errors import documented, unknown_city
from contrechamp.api.pagination import Page, PageParams, paginate
from contrechamp.api.schemas import (
    NO_NUL,
    Day,
    Id,
    MemberRef,
    Slug,
    as_query,
    first_item_links,
    listed,
    site_url,
)
from contrechamp.core import places
from contrechamp.projects import permissions, queries, services
from contrechamp.projects.models import (
    MAX_LINKS,
    MAX_PEOPLE_PER_CALL,
    Application,
    Project,
    RoleCall,
    ShootingDay,
)

router = Router(tags=["Creative projects"])

ProjectKind = Annotated[Project.Kind, listed(Project.Kind)]
ProjectStatus = Annotated[Project.Status, listed(Project.Status)]
ProjectVisibility = Annotated[Project.Visibility, listed(Project.Visibility)]
CallKind = Annotated[RoleCall.Kind, listed(RoleCall.Kind)]
ApplicationStatus = Annotated[Application.Status, listed(Application.Status)]


Title = Annotated[
    str, StringConstraints(min_length=1, max_length=services.TITLE_MAX, pattern=NO_NUL)
]
LongText = Annotated[str, StringConstraints(max_length=services.DESCRIPTION_MAX, pattern=NO_NUL)]
ShortText = Annotated[str, StringConstraints(max_length=services.REQUIREMENTS_MAX, pattern=NO_NUL)]
CityName = Annotated[str, StringConstraints(max_length=100, pattern=NO_NUL)]
PayText = Annotated[str, StringConstraints(max_length=services.PAY_MAX, pattern=NO_NUL)]
ApplicationText = Annotated[
    str, StringConstraints(min_length=1, max_length=services.MESSAGE_MAX, pattern=NO_NUL)
]
Link = Annotated[str, StringConstraints(max_length=services.LINK_MAX, pattern=NO_NUL)]


class ProjectOut(Schema):
    slug: str
    title: str
    kind: ProjectKind
    status: ProjectStatus
    visibility: ProjectVisibility
    city: str
    starts_on: date | None
    ends_on: date | None
    owner: MemberRef
    distance_km: float | None = Field(description="From the city asked for with `near`.")
    url: str = Field(description="The project's page on the site.")

    @staticmethod
    def resolve_city(obj: Project) -> str:
        return obj.city_name

    @staticmethod
    def resolve_distance_km(obj: Project) -> float | None:
        distance = getattr(obj, "distance_km", None)
        return round(distance, 1) if distance is not None else None

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return site_url(obj.get_absolute_url())


class CallOut(Schema):
    id: int
    project: str = Field(description="The project's slug.")
    kind: CallKind
    skill: str | None = Field(description="The skill's slug in the taxonomy.")
    title: str
    requirements: str
    people_needed: int
    starts_on: date
    ends_on: date
    deadline: date
    is_paid: bool
    pay_details: str
    city: str
    is_open: bool
    distance_km: float | None = Field(description="From the city asked for with `near`.")
    url: str = Field(description="The call's page on the site.")

    @staticmethod
    def resolve_project(obj: RoleCall) -> str:
        return obj.project.slug

    @staticmethod
    def resolve_skill(obj: RoleCall) -> str | None:
        return obj.skill.slug if obj.skill is not None else None

    @staticmethod
    def resolve_city(obj: RoleCall) -> str:
        return obj.city_name

    @staticmethod
    def resolve_distance_km(obj: RoleCall) -> float | None:
        distance = getattr(obj, "distance_km", None)
        return round(distance, 1) if distance is not None else None

    @staticmethod
    def resolve_url(obj: RoleCall) -> str:
        return site_url(obj.get_absolute_url())


class TeamMemberOut(Schema):
    member: MemberRef
    role: str
    is_manager: bool


class ProjectDetailOut(ProjectOut):
    description: str
    team: list[TeamMemberOut]
    calls: list[CallOut]

    @staticmethod
    def resolve_team(obj: Project) -> list[object]:
        return list(obj.team_rows)  # type: ignore[attr-defined]  # to_attr of queries.project_page

    @staticmethod
    def resolve_calls(obj: Project) -> list[object]:
        return [call for call in obj.calls if call.is_open]  # type: ignore[attr-defined]  # to_attr of queries.project_page


class ApplicationOut(Schema):
    id: int
    call_id: int
    applicant: MemberRef
    message: str
    links: list[str]
    status: ApplicationStatus
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_call_id(obj: Application) -> int:
        return obj.role_call_id


class CallTimeOut(Schema):
    member: MemberRef
    call_at: time
    note: str


class EquipmentOut(Schema):
    item: str
    booked_by: MemberRef
    start: datetime
    end: datetime

    @staticmethod
    def resolve_item(obj: object) -> str:
        return str(obj.item.title)  # type: ignore[attr-defined]  # a lending Booking


class CallSheetOut(Schema):
    id: int
    date: date
    general_call: time
    wrap_at: time | None
    place: str
    scenes: list[str]
    notes: str
    is_published: bool
    calls: list[CallTimeOut]
    equipment: list[EquipmentOut]
    url: str = Field(description="The printable call sheet on the site.")

    @staticmethod
    def resolve_place(obj: ShootingDay) -> str:
        parts = [obj.venue.name if obj.venue is not None else "", obj.address]
        return ", ".join(part for part in parts if part)

    @staticmethod
    def resolve_scenes(obj: ShootingDay) -> list[str]:
        return obj.scene_list()

    @staticmethod
    def resolve_calls(obj: ShootingDay) -> list[object]:
        return list(obj.call_rows)  # type: ignore[attr-defined]  # to_attr of queries.call_sheet

    @staticmethod
    def resolve_equipment(obj: ShootingDay) -> list[object]:
        return list(obj.booking_rows)  # type: ignore[attr-defined]  # to_attr of queries.call_sheet

    @staticmethod
    def resolve_url(obj: ShootingDay) -> str:
        return site_url(obj.get_absolute_url())


class CallSheetRef(Schema):
    id: int
    date: date
    general_call: time
    is_published: bool


class ProjectsQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the title, description or city.")
    kind: ProjectKind | None = None
    status: ProjectStatus | None = None
    near: str = Field("", max_length=100, description="A city: the projects around it.")
    km: int = Field(50, ge=1, le=500, description="The distance from `near`, in km.")


class CallsQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the call or its project.")
    kind: CallKind | None = None
    skill: str = Field("", max_length=60, description="A skill's slug.")
    paid: Literal["yes", "no", ""] = Field("", description="Paid calls, or volunteer ones.")
    near: str = Field("", max_length=100, description="A city: the calls around it.")
    km: int = Field(50, ge=1, le=500, description="The distance from `near`, in km.")


class ProjectIn(Schema):
    title: Title
    kind: ProjectKind
    description: LongText = ""
    city: CityName = Field("", description="A city of the gazetteer, or empty.")
    starts_on: Day | None = None
    ends_on: Day | None = None
    status: ProjectStatus = Project.Status.DEVELOPMENT
    visibility: Literal["public", "team"] = Field(
        "public", description="Network visibility is chosen on the site."
    )


class CallIn(Schema):
    kind: CallKind
    title: Title
    skill: str | None = Field(None, max_length=60, description="A skill's slug (crew calls).")
    requirements: ShortText = ""
    people_needed: int = Field(1, ge=1, le=MAX_PEOPLE_PER_CALL)
    starts_on: Day
    ends_on: Day
    deadline: Day
    is_paid: bool = False
    pay_details: PayText = ""
    city: CityName = Field("", description="Empty: the project's city.")


class ApplicationIn(Schema):
    message: ApplicationText
    links: list[Link] = Field(default_factory=list, max_length=MAX_LINKS)


class DecisionIn(Schema):
    status: Literal["shortlisted", "accepted", "declined"]


def _visible_project(viewer: User | AnonymousUser, slug: str) -> Project:
    project = queries.project_page(slug)
    if project is None or not permissions.can_view(viewer, project):
        raise Http404
    return project


def _visible_call(viewer: User | AnonymousUser, slug: str, call_id: int) -> RoleCall:
    call = queries.call_page(slug, call_id)
    if call is None or not permissions.can_view(viewer, call.project):
        raise Http404
    return call


@router.get(
    "/projects",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("slug", "slug", "get_project"),
    },
    response={200: Page[ProjectOut], **documented(401, 422)},
)
def list_projects(
    request: HttpRequest, filters: Query[ProjectsQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Projects the caller may see, newest first; with `near`, nearest first."""
    found = queries.Filters.from_query(as_query(filters.model_dump()))
    if found.near_unknown:
        raise unknown_city(places.suggest_cities(found.near))
    return paginate(queries.search_projects(auth.viewer(request), found), page)


@router.post(
    "/projects",
    auth=auth.WRITE,
    response={201: ProjectOut, **documented(400, 401, 403, 422)},
)
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[Project]:
    """Start a project: the caller owns it and runs its team."""
    actor = auth.member(request)
    details = services.ProjectDetails(**payload.model_dump())
    project = services.create_project(actor=actor, details=details)
    return Status(201, project)


@router.get(
    "/projects/{slug}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: ProjectDetailOut, **documented(401, 404, 422)},
)
def get_project(request: HttpRequest, slug: Slug) -> Project:
    """A project, its team and its open role calls; 404 when it is not shown to the caller."""
    return _visible_project(auth.viewer(request), slug)


@router.post(
    "/projects/{slug}/calls",
    auth=auth.WRITE,
    response={201: CallOut, **documented(400, 401, 403, 404, 422)},
)
def create_call(request: HttpRequest, slug: Slug, payload: CallIn) -> Status[RoleCall]:
    """Post a role call (managers of the project)."""
    actor = auth.member(request)
    project = _visible_project(actor, slug)
    data = payload.model_dump()
    skill_slug = data.pop("skill")
    skill = Skill.objects.filter(slug=skill_slug).first() if skill_slug else None
    call = services.create_call(
        actor=actor, project=project, details=services.CallDetails(**data, skill=skill)
    )
    return Status(201, call)


@router.get(
    "/calls",
    auth=auth.PUBLIC,
    openapi_extra={
        **auth.OPTIONAL_AUTH,
        **first_item_links("project", "slug", "get_project"),
    },
    response={200: Page[CallOut], **documented(401, 422)},
)
def list_calls(
    request: HttpRequest, filters: Query[CallsQuery], page: Query[PageParams]
) -> dict[str, object]:
    """Open role calls of the projects the caller may see, closest deadline first; with
    `near`, nearest first."""
    found = queries.Filters.from_query(as_query(filters.model_dump()))
    if found.near_unknown:
        raise unknown_city(places.suggest_cities(found.near))
    return paginate(queries.open_calls(auth.viewer(request), found), page)


@router.get(
    "/projects/{slug}/calls/{call_id}",
    auth=auth.PUBLIC,
    openapi_extra=auth.OPTIONAL_AUTH,
    response={200: CallOut, **documented(401, 404, 422)},
)
def get_call(request: HttpRequest, slug: Slug, call_id: Id) -> RoleCall:
    """A role call; 404 when its project is not shown to the caller."""
    return _visible_call(auth.viewer(request), slug, call_id)


@router.post(
    "/projects/{slug}/calls/{call_id}/applications",
    auth=auth.WRITE,
    response={201: ApplicationOut, **documented(400, 401, 403, 404, 409, 422)},
)
def apply(
    request: HttpRequest, slug: Slug, call_id: Id, payload: ApplicationIn
) -> Status[Application]:
    """Apply to an open call with a message and links (http or https, at most five).
    Applying twice is refused (409)."""
    actor = auth.member(request)
    call = _visible_call(actor, slug, call_id)
    application = services.apply(
        actor=actor, call=call, message=payload.message, links=payload.links
    )
    return Status(201, application)


@router.get(
    "/projects/{slug}/calls/{call_id}/applications",
    auth=auth.MEMBERS,
    response={200: list[ApplicationOut], **documented(401, 403, 404, 422)},
)
def list_applications(request: HttpRequest, slug: Slug, call_id: Id) -> list[Application]:
    """The call's applications, oldest first (managers of the project)."""
    actor = auth.member(request)
    call = _visible_call(actor, slug, call_id)
    permissions.ensure_can_manage(actor, call.project)
    return list(queries.applications_of(call))


@router.post(
    "/projects/{slug}/calls/{call_id}/applications/{application_id}/status",
    auth=auth.WRITE,
    response={200: ApplicationOut, **documented(400, 401, 403, 404, 409, 422)},
)
def decide(
    request: HttpRequest, slug: Slug, call_id: Id, application_id: Id, payload: DecisionIn
) -> Application:
    """Shortlist, accept or decline an application (managers); the applicant is told.
    Accepting adds them to the team, never beyond the call's number of people (409)."""
    actor = auth.member(request)
    call = _visible_call(actor, slug, call_id)
    application = call.applications.filter(pk=application_id).first()
    if application is None:
        raise Http404
    decided = services.decide_application(
        actor=actor, application=application, status=payload.status
    )
    return queries.applications_of(call).get(pk=decided.pk)


@router.get(
    "/me/applications",
    auth=auth.MEMBERS,
    response={200: list[ApplicationOut], **documented(401)},
)
def my_applications(request: HttpRequest) -> list[Application]:
    """The caller's applications, newest first (the last hundred)."""
    member = auth.member(request)
    return list(queries.my_applications(member))


@router.get(
    "/projects/{slug}/call-sheets",
    auth=auth.MEMBERS,
    response={200: list[CallSheetRef], **documented(401, 403, 404, 422)},
)
def list_call_sheets(request: HttpRequest, slug: Slug) -> list[ShootingDay]:
    """The project's shooting days (its team: published ones; managers: all)."""
    actor = auth.member(request)
    project = _visible_project(actor, slug)
    permissions.ensure_team_member(actor, project)
    published_only = not permissions.can_manage(actor, project)
    return list(queries.shooting_days(project, published_only=published_only))


@router.get(
    "/projects/{slug}/call-sheets/{day_id}",
    auth=auth.MEMBERS,
    response={200: CallSheetOut, **documented(401, 403, 404, 422)},
)
def get_call_sheet(request: HttpRequest, slug: Slug, day_id: Id) -> ShootingDay:
    """A call sheet: the day, the place, who is called when, the scenes and equipment."""
    actor = auth.member(request)
    project = _visible_project(actor, slug)
    permissions.ensure_team_member(actor, project)
    day = queries.call_sheet(project, day_id)
    if day is None or (not day.is_published and not permissions.can_manage(actor, project)):
        raise Http404
    return day
