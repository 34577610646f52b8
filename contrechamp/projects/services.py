"""Everything a person does with creative projects: the project and its team, role calls
and applications, availability for calls, shooting days and their call sheets, tasks and
shared files.

Each function takes the acting member first, checks permission before it changes
anything and runs in one transaction: a refusal (`PermissionDenied` or a `DomainError`)
leaves everything as it was. Writing needs the site's code of conduct accepted.

Accepting applications: the call's accepted people are counted while holding the
`RoleCall` row lock (`select_for_update`); on PostgreSQL a second acceptance for the last
place waits on that lock and then sees the first; on SQLite `serialised` queues writers.
So a call never has more accepted people than its number of people.

Notifications are recorded inside the transaction, in the recipient's language, and
emailed after it commits; search documents are reindexed after the commit.
"""

import secrets
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contrechamp.accounts import services as accounts
from contrechamp.accounts.models import Skill, User
from contrechamp.core import places, uploads
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.core.transactions import serialised
from contrechamp.networks.models import Membership, Network
from contrechamp.notifications.services import in_language_of, notify
from contrechamp.projects import permissions
from contrechamp.projects.models import (
    MAX_CALL_DAYS,
    MAX_FILE_BYTES,
    MAX_LINKS,
    MAX_PEOPLE_PER_CALL,
    PROJECT_QUOTA_BYTES,
    Application,
    AvailabilityPeriod,
    CallProfile,
    CallTime,
    Invitation,
    Project,
    RoleCall,
    SharedFile,
    ShootingDay,
    Task,
    TeamMember,
)
from contrechamp.search.services import reindex_on_commit

TITLE_MAX = 150
DESCRIPTION_MAX = 10000
ROLE_MAX = 120
REQUIREMENTS_MAX = 5000
MESSAGE_MAX = 3000
LINK_MAX = 500
PAY_MAX = 200
SCENES_MAX = 5000
NOTES_MAX = 5000
ADDRESS_MAX = 300
TASK_MAX = 200
CALL_NOTE_MAX = 200
SHARED_FILE_TYPES = uploads.VIDEOS + uploads.SOUNDS + uploads.DOCUMENTS + uploads.IMAGES
ACTING_SKILL = "acting"
EXTRAS_SKILL = "extras"


# --- Shared checks


def _ensure_can_write(actor: User) -> None:
    """A signed-in, open account that accepted the current code of conduct."""
    if not actor.is_authenticated or not actor.is_active or actor.is_deleted:
        raise PermissionDenied(_("Sign in to take part in projects."))
    accounts.ensure_code_of_conduct_accepted(actor)


def _text(value: str, *, limit: int, label: str, required: bool = False) -> str:
    """The text stripped; refused (DomainError) when empty but required, too long, or
    holding a NUL character that no column can store."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("“%(field)s” cannot be empty.") % {"field": label})
    if len(value) > limit:
        raise DomainError(
            _("“%(field)s” is too long: at most %(limit)d characters.")
            % {"field": label, "limit": limit}
        )
    if "\x00" in value:
        raise DomainError(
            _("“%(field)s” contains a character that is not allowed.") % {"field": label}
        )
    return value


def _city(name: str) -> tuple[str, float | None, float | None]:
    """A city name from the gazetteer and its rounded coordinates ('' and None for none)."""
    name = _text(name, limit=100, label=_("City"))
    if not name:
        return "", None, None
    place = places.find_city(name)
    if place is None:
        raise DomainError(
            _("We do not know the city “%(city)s”: check its spelling.") % {"city": name}
        )
    latitude, longitude = places.approximate(place.latitude, place.longitude)
    return place.name, latitude, longitude


def _locked_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


# Paths under /projects/ that are pages of their own, not projects.
RESERVED_SLUGS = frozenset({"new", "mine", "call-sheets", "availability"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "projet"
    slug = base
    while slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


# --- Projects


@dataclass(frozen=True)
class ProjectDetails:
    """What the owner says about a project (the fields of its form)."""

    title: str
    kind: str
    description: str = ""
    city: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    status: str = Project.Status.DEVELOPMENT
    visibility: str = Project.Visibility.PUBLIC
    network: Network | None = None


def _apply_project(project: Project, details: ProjectDetails, actor: User) -> None:
    project.title = " ".join(
        _text(details.title, limit=TITLE_MAX, label=_("Title"), required=True).split()
    )
    if details.kind not in Project.Kind.values:
        raise DomainError(_("Choose a type of project from the list."))
    project.kind = details.kind
    project.description = _text(details.description, limit=DESCRIPTION_MAX, label=_("Description"))
    project.city_name, project.latitude, project.longitude = _city(details.city)
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        raise DomainError(_("The end date comes before the start date."))
    project.starts_on, project.ends_on = details.starts_on, details.ends_on
    if details.status not in Project.Status.values:
        raise DomainError(_("Choose a status from the list."))
    project.status = details.status
    if details.visibility not in Project.Visibility.values:
        raise DomainError(_("Choose who can see the project."))
    project.visibility = details.visibility
    if details.visibility == Project.Visibility.NETWORK:
        network = details.network
        if network is None:
            raise DomainError(_("Choose the network whose members can see the project."))
        is_member = Membership.objects.filter(
            network=network, user=actor, status=Membership.Status.ACTIVE
        ).exists()
        if not is_member and network.pk != project.network_id:
            raise DomainError(_("Choose one of your networks."))
        project.network = network
    else:
        project.network = None
    project.updated_at = timezone.now()


@transaction.atomic
def create_project(*, actor: User, details: ProjectDetails) -> Project:
    """Create a project; its owner joins the team as a manager."""
    _ensure_can_write(actor)
    project = Project(owner=actor)
    _apply_project(project, details, actor)
    project.slug = _unique_slug(project.title)
    project.save()
    TeamMember.objects.create(
        project=project, member=actor, role=_("Project lead"), is_manager=True
    )
    reindex_on_commit("projects", [project.pk])
    return project


@transaction.atomic
def update_project(*, actor: User, project: Project, details: ProjectDetails) -> Project:
    """Change what a manager says about the project (its slug stays: links keep working)."""
    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, project)
    project = _locked_project(project)
    _apply_project(project, details, actor)
    project.save()
    reindex_on_commit("projects", [project.pk])
    return project


# --- Team


def _open_account(user: User) -> User:
    fresh = User.objects.filter(pk=user.pk).first()
    if fresh is None or not fresh.is_active or fresh.is_deleted:
        raise Conflict(_("This member's account is closed."))
    return fresh


def _notify(recipient: User, *, kind: str, title: Any, url: str, actor: User | None) -> None:
    """Record one notification in the recipient's language (`title` is a callable
    building the text, so that it is translated inside their language)."""
    with in_language_of(recipient):
        notify(recipient=recipient, kind=kind, title=str(title()), url=url, actor=actor)


@transaction.atomic
def add_team_member(
    *,
    actor: User,
    project: Project,
    member: User,
    role: str = "",
    skill: Skill | None = None,
    is_manager: bool = False,
) -> TeamMember:
    """A manager adds a member to the team (once: a second time is refused)."""
    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, project)
    project = _locked_project(project)
    member = _open_account(member)
    role = _text(role, limit=ROLE_MAX, label=_("Role"))
    if TeamMember.objects.filter(project=project, member=member).exists():
        raise Conflict(_("%(name)s is already on the team.") % {"name": member.public_name})
    try:
        with transaction.atomic():
            row = TeamMember.objects.create(
                project=project, member=member, role=role, skill=skill, is_manager=is_manager
            )
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already on the team.") % {"name": member.public_name}
        ) from None
    permissions.forget_team_rows(project)
    _notify(
        member,
        kind="projects.team_joined",
        title=lambda: _("You joined the team of “%(project)s”") % {"project": project.title},
        url=project.get_absolute_url(),
        actor=actor,
    )
    return row


@transaction.atomic
def update_team_member(
    *, actor: User, row: TeamMember, role: str, skill: Skill | None, is_manager: bool
) -> TeamMember:
    """Change someone's role; the owner stays a manager whatever is asked."""
    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, row.project)
    row = (
        TeamMember.objects.select_for_update(of=("self",)).select_related("project").get(pk=row.pk)
    )
    row.role = _text(role, limit=ROLE_MAX, label=_("Role"))
    row.skill = skill
    row.is_manager = is_manager or row.member_id == row.project.owner_id
    row.save(update_fields=["role", "skill", "is_manager"])
    permissions.forget_team_rows(row.project)
    return row


@transaction.atomic
def remove_team_member(*, actor: User, row: TeamMember) -> None:
    """A manager removes someone from the team, or a member leaves it. The owner stays."""
    _ensure_can_write(actor)
    project = row.project
    if row.member_id != actor.pk:
        permissions.ensure_can_manage(actor, project)
    if row.member_id == project.owner_id:
        raise Conflict(_("The owner of the project stays on its team."))
    CallTime.objects.filter(shooting_day__project=project, member_id=row.member_id).delete()
    TeamMember.objects.filter(pk=row.pk).delete()
    permissions.forget_team_rows(project)


# --- Role calls


@dataclass(frozen=True)
class CallDetails:
    """What a manager says about a role call (the fields of its form)."""

    kind: str
    title: str
    starts_on: date
    ends_on: date
    deadline: date
    skill: Skill | None = None
    requirements: str = ""
    people_needed: int = 1
    is_paid: bool = False
    pay_details: str = ""
    city: str = ""


def _apply_call(call: RoleCall, details: CallDetails, project: Project) -> None:
    if details.kind not in RoleCall.Kind.values:
        raise DomainError(_("Choose a role from the list."))
    call.kind = details.kind
    skill = details.skill
    if details.kind == RoleCall.Kind.ACTOR:
        skill = Skill.objects.filter(slug=ACTING_SKILL).first()
    elif details.kind == RoleCall.Kind.EXTRA:
        skill = Skill.objects.filter(slug=EXTRAS_SKILL).first()
    elif details.kind == RoleCall.Kind.CREW and skill is None:
        raise DomainError(_("Choose the skill this crew role needs."))
    call.skill = skill
    call.title = " ".join(
        _text(details.title, limit=TITLE_MAX, label=_("Title"), required=True).split()
    )
    call.requirements = _text(details.requirements, limit=REQUIREMENTS_MAX, label=_("Requirements"))
    if not 1 <= details.people_needed <= MAX_PEOPLE_PER_CALL:
        raise DomainError(_("Ask for between 1 and %(max)d people.") % {"max": MAX_PEOPLE_PER_CALL})
    call.people_needed = details.people_needed
    if details.ends_on < details.starts_on:
        raise DomainError(_("The last day comes before the first day."))
    if (details.ends_on - details.starts_on).days + 1 > MAX_CALL_DAYS:
        raise DomainError(
            _("A role call covers at most %(days)d days: post several calls.")
            % {"days": MAX_CALL_DAYS}
        )
    if details.deadline > details.ends_on:
        raise DomainError(_("The deadline to apply must come before the last day."))
    call.starts_on, call.ends_on, call.deadline = (
        details.starts_on,
        details.ends_on,
        details.deadline,
    )
    call.is_paid = details.is_paid
    call.pay_details = _text(details.pay_details, limit=PAY_MAX, label=_("Pay details"))
    if details.city.strip():
        call.city_name, call.latitude, call.longitude = _city(details.city)
    else:
        call.city_name, call.latitude, call.longitude = (
            project.city_name,
            project.latitude,
            project.longitude,
        )


@transaction.atomic
def create_call(*, actor: User, project: Project, details: CallDetails) -> RoleCall:
    """A manager posts a role call, open at once until its deadline."""
    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, project)
    if details.deadline < timezone.localdate():
        raise DomainError(_("The deadline to apply is already past."))
    call = RoleCall(project=project, created_by=actor)
    _apply_call(call, details, project)
    call.save()
    reindex_on_commit("projects", [project.pk])
    return call


@transaction.atomic
def update_call(*, actor: User, call: RoleCall, details: CallDetails) -> RoleCall:
    """Change a call; its number of people never goes below those already accepted."""
    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, call.project)
    project = call.project
    call = RoleCall.objects.select_for_update().get(pk=call.pk)
    _apply_call(call, details, project)
    accepted = call.applications.filter(status=Application.Status.ACCEPTED).count()
    if call.people_needed < accepted:
        raise Conflict(
            _("%(count)d people are already accepted: ask for at least as many.")
            % {"count": accepted}
        )
    call.save()
    reindex_on_commit("projects", [project.pk])
    return call


@transaction.atomic
def set_call_open(*, actor: User, call: RoleCall, is_open: bool) -> RoleCall:
    """Close a call (no more applications) or open it again; twice changes nothing."""
    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, call.project)
    status = RoleCall.Status.OPEN if is_open else RoleCall.Status.CLOSED
    RoleCall.objects.filter(pk=call.pk).update(status=status)
    call.status = status
    reindex_on_commit("projects", [call.project_id])
    return call


# --- Applications


def clean_links(links: list[str]) -> list[str]:
    """At most MAX_LINKS http(s) addresses, each at most LINK_MAX characters, no duplicate."""
    validate = URLValidator(schemes=["http", "https"])
    cleaned: list[str] = []
    for raw in links:
        link = (raw or "").strip()
        if not link:
            continue
        if len(link) > LINK_MAX:
            raise DomainError(
                _("A link is too long: at most %(limit)d characters.") % {"limit": LINK_MAX}
            )
        try:
            validate(link)
        except ValidationError:
            raise DomainError(
                _("“%(link)s” is not a web address (https://…).") % {"link": link[:80]}
            ) from None
        if link not in cleaned:
            cleaned.append(link)
    if len(cleaned) > MAX_LINKS:
        raise DomainError(_("Give at most %(count)d links.") % {"count": MAX_LINKS})
    return cleaned


@transaction.atomic
def apply(*, actor: User, call: RoleCall, message: str, links: list[str]) -> Application:
    """Apply to an open call of a project one can see: once per call."""
    _ensure_can_write(actor)
    call = RoleCall.objects.select_related("project").get(pk=call.pk)
    project = call.project
    permissions.ensure_can_view(actor, project)
    if not call.is_open:
        raise InvalidTransition(_("This role call is closed."))
    if TeamMember.objects.filter(project=project, member=actor).exists():
        raise Conflict(_("You are already on the team of this project."))
    message = _text(message, limit=MESSAGE_MAX, label=_("Message"), required=True)
    cleaned = clean_links(links)
    if Application.objects.filter(role_call=call, applicant=actor).exists():
        raise Conflict(_("You have already applied to this role call."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                role_call=call, applicant=actor, message=message, links=cleaned
            )
    except IntegrityError:
        raise Conflict(_("You have already applied to this role call.")) from None
    managers = User.objects.filter(
        project_roles__project=project, project_roles__is_manager=True
    ).order_by("pk")
    for manager in managers:
        _notify(
            manager,
            kind="projects.application_received",
            title=lambda: (
                _("%(name)s applies for “%(call)s”")
                % {"name": actor.public_name, "call": call.title}
            ),
            url=call.get_absolute_url(),
            actor=actor,
        )
    return application


def _accepted_count(call: RoleCall) -> int:
    return Application.objects.filter(role_call=call, status=Application.Status.ACCEPTED).count()


ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Application.Status.RECEIVED: (
        Application.Status.SHORTLISTED,
        Application.Status.ACCEPTED,
        Application.Status.DECLINED,
    ),
    Application.Status.SHORTLISTED: (Application.Status.ACCEPTED, Application.Status.DECLINED),
    Application.Status.ACCEPTED: (),
    Application.Status.DECLINED: (Application.Status.SHORTLISTED,),
}


@serialised
def decide_application(*, actor: User, application: Application, status: str) -> Application:
    """A manager shortlists, accepts or declines an application; the applicant is told.

    Accepting holds the call's row lock while counting the accepted people: never more
    than the call's number of people. The accepted applicant joins the team with the
    call's role (or keeps their place if already on it)."""
    _ensure_can_write(actor)
    call = RoleCall.objects.select_related("project").get(pk=application.role_call_id)
    project = call.project
    permissions.ensure_can_manage(actor, project)
    call = (
        RoleCall.objects.select_for_update(of=("self",))
        .select_related("project", "skill")
        .get(pk=call.pk)
    )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .get(pk=application.pk)
    )
    if status not in Application.Status.values or status == Application.Status.RECEIVED:
        raise DomainError(_("Shortlist, accept or decline: nothing else."))
    if status == application.status:
        return application
    if status not in ALLOWED_MOVES[application.status]:
        raise InvalidTransition(
            _("This application is already %(status)s.")
            % {"status": application.get_status_display().lower()}
        )
    applicant = application.applicant
    if status == Application.Status.ACCEPTED:
        if _accepted_count(call) >= call.people_needed:
            raise Conflict(
                _("All %(count)d places of this call are taken.") % {"count": call.people_needed}
            )
        _open_account(applicant)
        TeamMember.objects.get_or_create(
            project=project,
            member=applicant,
            defaults={"role": call.title[:ROLE_MAX], "skill": call.skill, "role_call": call},
        )
        permissions.forget_team_rows(project)
    application.status = status
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    titles: dict[str, Any] = {
        Application.Status.SHORTLISTED: lambda: (
            _("You are shortlisted for “%(call)s”") % {"call": call.title}
        ),
        Application.Status.ACCEPTED: lambda: (
            _("You are accepted for “%(call)s”: welcome aboard") % {"call": call.title}
        ),
        Application.Status.DECLINED: lambda: (
            _("Your application for “%(call)s” was not kept") % {"call": call.title}
        ),
    }
    _notify(
        applicant,
        kind="projects.application_decided",
        title=titles[status],
        url=call.get_absolute_url(),
        actor=actor,
    )
    return application


@transaction.atomic
def withdraw_application(*, actor: User, application: Application) -> None:
    """The applicant withdraws an application not accepted yet."""
    _ensure_can_write(actor)
    if application.applicant_id != actor.pk:
        raise PermissionDenied(_("Only the applicant can withdraw this application."))
    deleted, _rows = Application.objects.filter(
        pk=application.pk, status__in=[Application.Status.RECEIVED, Application.Status.SHORTLISTED]
    ).delete()
    if not deleted:
        raise InvalidTransition(_("An accepted or declined application stays on record."))


# --- Availability for role calls


@transaction.atomic
def set_call_profile(*, actor: User, open_to_calls: bool, travel_km: int) -> CallProfile:
    """Say whether one may be suggested for role calls, and how far one travels."""
    _ensure_can_write(actor)
    if not 1 <= travel_km <= 1000:
        raise DomainError(_("Give a distance between 1 and 1000 km."))
    try:
        with transaction.atomic():
            profile, _created = CallProfile.objects.select_for_update().get_or_create(member=actor)
    except IntegrityError:
        raise Conflict(_("Many people are acting at this very moment: please try again.")) from None
    profile.open_to_calls, profile.travel_km = open_to_calls, travel_km
    profile.updated_at = timezone.now()
    profile.save()
    return profile


@transaction.atomic
def add_availability(
    *, actor: User, starts_on: date, ends_on: date, note: str = ""
) -> AvailabilityPeriod:
    """Declare days one is available for shoots (both ends included)."""
    _ensure_can_write(actor)
    if ends_on < starts_on:
        raise DomainError(_("The last day comes before the first day."))
    if (ends_on - starts_on).days > 366:
        raise DomainError(_("Declare at most a year at a time."))
    if ends_on < timezone.localdate():
        raise DomainError(_("These days are already past."))
    if AvailabilityPeriod.objects.filter(member=actor).count() >= 50:
        raise Conflict(_("You already declared 50 periods: remove past ones first."))
    return AvailabilityPeriod.objects.create(
        member=actor,
        starts_on=starts_on,
        ends_on=ends_on,
        note=_text(note, limit=200, label=_("Note")),
    )


@transaction.atomic
def remove_availability(*, actor: User, period: AvailabilityPeriod) -> None:
    _ensure_can_write(actor)
    if period.member_id != actor.pk:
        raise PermissionDenied(_("Only its author can change this."))
    AvailabilityPeriod.objects.filter(pk=period.pk).delete()


@transaction.atomic
def invite_suggested(*, actor: User, call: RoleCall, members: list[User]) -> int:
    """Invite suggested members to apply: each is told once per call; returns how many
    were invited now. Only members the suggestions would propose may be invited."""
    from contrechamp.projects import matching

    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, call.project)
    if not call.is_open:
        raise InvalidTransition(_("This role call is closed."))
    allowed = {suggestion.member.pk for suggestion in matching.suggest(call)}
    wanted = [member for member in members if member.pk in allowed]
    if len(wanted) != len(members):
        raise DomainError(_("Invite only members suggested for this call."))
    already = set(
        Invitation.objects.filter(role_call=call, member__in=wanted).values_list(
            "member_id", flat=True
        )
    )
    fresh = [member for member in wanted if member.pk not in already]
    Invitation.objects.bulk_create(
        [Invitation(role_call=call, member=member, invited_by=actor) for member in fresh]
    )
    project = call.project
    for member in fresh:
        _notify(
            member,
            kind="projects.invited",
            title=lambda: (
                _("“%(project)s” looks for you: %(call)s")
                % {"project": project.title, "call": call.title}
            ),
            url=call.get_absolute_url(),
            actor=actor,
        )
    return len(fresh)


# --- Shooting days and call sheets


@dataclass(frozen=True)
class DayDetails:
    """What a manager writes on a call sheet (the fields of its form)."""

    date: date
    general_call: time
    address: str = ""
    venue: Any = None
    wrap_at: time | None = None
    scenes: str = ""
    notes: str = ""


def _apply_day(day: ShootingDay, details: DayDetails) -> None:
    day.date = details.date
    day.general_call = details.general_call
    day.wrap_at = details.wrap_at
    day.venue = details.venue
    day.address = _text(details.address, limit=ADDRESS_MAX, label=_("Place or address"))
    if day.venue is None and not day.address:
        raise DomainError(_("Say where the shoot happens: a venue or an address."))
    day.scenes = _text(details.scenes, limit=SCENES_MAX, label=_("Scenes to shoot"))
    day.notes = _text(details.notes, limit=NOTES_MAX, label=_("Notes"))
    day.updated_at = timezone.now()


@transaction.atomic
def create_shooting_day(*, actor: User, project: Project, details: DayDetails) -> ShootingDay:
    """A manager prepares a shooting day; the team sees it once published."""
    _ensure_can_write(actor)
    permissions.ensure_can_manage(actor, project)
    day = ShootingDay(project=project)
    _apply_day(day, details)
    day.save()
    return day


def _locked_day(actor: User, day: ShootingDay) -> ShootingDay:
    """The day under its row lock, after checking that the actor manages its project."""
    project = Project.objects.get(pk=day.project_id)
    permissions.ensure_can_manage(actor, project)
    return (
        ShootingDay.objects.select_for_update(of=("self",)).select_related("project").get(pk=day.pk)
    )


@transaction.atomic
def update_shooting_day(*, actor: User, day: ShootingDay, details: DayDetails) -> ShootingDay:
    _ensure_can_write(actor)
    day = _locked_day(actor, day)
    _apply_day(day, details)
    day.save()
    return day


@transaction.atomic
def delete_shooting_day(*, actor: User, day: ShootingDay) -> None:
    _ensure_can_write(actor)
    day = _locked_day(actor, day)
    day.delete()


@transaction.atomic
def set_call_time(
    *, actor: User, day: ShootingDay, member: User, call_at: time | None, note: str = ""
) -> CallTime | None:
    """Call a team member at a time on that day (None: no longer called)."""
    _ensure_can_write(actor)
    day = _locked_day(actor, day)
    if not TeamMember.objects.filter(project=day.project, member=member).exists():
        raise DomainError(_("Only members of the team can be called."))
    if call_at is None:
        CallTime.objects.filter(shooting_day=day, member=member).delete()
        return None
    row, _created = CallTime.objects.update_or_create(
        shooting_day=day,
        member=member,
        defaults={"call_at": call_at, "note": _text(note, limit=CALL_NOTE_MAX, label=_("Note"))},
    )
    day.updated_at = timezone.now()
    day.save(update_fields=["updated_at"])
    return row


def bookable_for_day(day: ShootingDay) -> Any:
    """Bookings of the team's members (not declined or cancelled) that cover part of the
    day: what the call sheet may list as equipment."""
    from contrechamp.lending.models import Booking

    return bookings_for(day.project, day.date).filter(
        status__in=[*Booking.HOLDING, Booking.Status.RETURNED]
    )


def bookings_for(project: Project, day: date) -> Any:
    import datetime as dt

    from contrechamp.lending.models import Booking

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=1)
    team = TeamMember.objects.filter(project=project).values("member_id")
    return (
        Booking.objects.filter(booked_by__in=team, start__lt=end, end__gt=start)
        .select_related("item", "booked_by")
        .order_by("start", "pk")
    )


@transaction.atomic
def set_day_equipment(*, actor: User, day: ShootingDay, booking_ids: list[int]) -> ShootingDay:
    """List on the call sheet equipment the team booked from the lending app for that day
    (booking stays in the lending app)."""
    _ensure_can_write(actor)
    day = _locked_day(actor, day)
    bookings = list(bookable_for_day(day).filter(pk__in=booking_ids))
    if len(bookings) != len(set(booking_ids)):
        raise DomainError(_("Choose bookings of the team that cover this day."))
    day.bookings.set(bookings)
    day.updated_at = timezone.now()
    day.save(update_fields=["updated_at"])
    return day


@transaction.atomic
def publish_call_sheet(*, actor: User, day: ShootingDay) -> ShootingDay:
    """Send the call sheet to the team: each person called hears about it (in the app and
    by email); publishing again after a change tells them again."""
    _ensure_can_write(actor)
    day = _locked_day(actor, day)
    day.published_at = timezone.now()
    day.save(update_fields=["published_at"])
    called = User.objects.filter(shoot_calls__shooting_day=day).order_by("pk")
    for member in called:
        _notify(
            member,
            kind="projects.call_sheet",
            title=lambda: (
                _("Call sheet for %(date)s: “%(project)s”")
                % {"date": day.date.strftime("%d/%m/%Y"), "project": day.project.title}
            ),
            url=day.get_absolute_url(),
            actor=actor,
        )
    return day


# --- Tasks


@transaction.atomic
def add_task(
    *,
    actor: User,
    project: Project,
    title: str,
    assignee: User | None = None,
    due_on: date | None = None,
) -> Task:
    """Any member of the team adds a task, possibly for another member of the team."""
    _ensure_can_write(actor)
    permissions.ensure_team_member(actor, project)
    if assignee is not None and not permissions.is_team_member(assignee, project):
        raise DomainError(_("Assign the task to a member of the team."))
    task = Task.objects.create(
        project=project,
        title=" ".join(_text(title, limit=TASK_MAX, label=_("Task"), required=True).split()),
        assignee=assignee,
        due_on=due_on,
        created_by=actor,
    )
    if assignee is not None:
        _notify(
            assignee,
            kind="projects.task_assigned",
            title=lambda: (
                _("New task on “%(project)s”: %(task)s")
                % {"project": project.title, "task": task.title}
            ),
            url=project.get_absolute_url(),
            actor=actor,
        )
    return task


@transaction.atomic
def set_task_done(*, actor: User, task: Task, done: bool) -> Task:
    _ensure_can_write(actor)
    permissions.ensure_team_member(actor, task.project)
    task.done_at = timezone.now() if done else None
    Task.objects.filter(pk=task.pk).update(done_at=task.done_at)
    return task


@transaction.atomic
def delete_task(*, actor: User, task: Task) -> None:
    _ensure_can_write(actor)
    if task.created_by_id != actor.pk:
        permissions.ensure_can_manage(actor, task.project)
    Task.objects.filter(pk=task.pk).delete()


# --- Shared files


@transaction.atomic
def share_file(*, actor: User, project: Project, upload: UploadedFile[Any]) -> SharedFile:
    """A member of the team shares a file (rushes, sound, document, still) within the size
    limit and the project's quota, checked under the project's row lock."""
    _ensure_can_write(actor)
    permissions.ensure_team_member(actor, project)
    file_type = uploads.check_upload(upload, accepted=SHARED_FILE_TYPES, max_bytes=MAX_FILE_BYTES)
    project = _locked_project(project)
    used = SharedFile.objects.filter(project=project).aggregate(total=Sum("size"))["total"] or 0
    size = upload.size or 0
    if used + size > PROJECT_QUOTA_BYTES:
        raise Conflict(
            _("The project's files would exceed %(gigabytes)s GB: remove some first.")
            % {"gigabytes": f"{PROJECT_QUOTA_BYTES / 1024**3:g}"}
        )
    shared = SharedFile(
        project=project,
        name=uploads.readable_name(upload.name, file_type, max_length=200),
        content_type=file_type.content_type,
        size=size,
        uploaded_by=actor,
    )
    shared.file.save(uploads.random_name(file_type), upload, save=False)
    stored = shared.file.name or ""
    try:
        shared.save()
    except Exception:
        shared.file.storage.delete(stored)
        raise
    return shared


@transaction.atomic
def delete_file(*, actor: User, shared: SharedFile) -> None:
    """Who shared the file, or a manager, removes it; the stored file goes after commit."""
    _ensure_can_write(actor)
    if shared.uploaded_by_id != actor.pk:
        permissions.ensure_can_manage(actor, shared.project)
    storage, name = shared.file.storage, shared.file.name or ""
    SharedFile.objects.filter(pk=shared.pk).delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
