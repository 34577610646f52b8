"""Creative projects, their team, role calls and applications, and shoot coordination.

A project (a short film, a documentary…) belongs to its owner, who is always a managing
member of its team. Who sees a project is its `visibility`: everyone, the members of one
network, or the team only. Role calls ask for people (an actor, ten extras, a sound
recordist); members apply once per call; accepting an application adds the applicant to
the team, never beyond the call's number of people (checked under the call's row lock).

Members say whether they are open to role calls and when they are available
(`CallProfile`, `AvailabilityPeriod`): suggestions for a call only ever come from there.

Shoot coordination: shooting days with their call sheet (per-person call times, scenes,
equipment booked from the lending app), the task list and the files shared by the team
(rushes, sound), kept in private storage and handed out by a permission-checking view.
"""

from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import Skill
from contrechamp.core.storage import PrivateStorage

MAX_PEOPLE_PER_CALL = 200
MAX_CALL_DAYS = 92
MAX_LINKS = 5
MEGABYTE = 1024 * 1024
MAX_FILE_BYTES = 200 * MEGABYTE
PROJECT_QUOTA_BYTES = 5 * 1024 * MEGABYTE


class Project(models.Model):
    class Kind(models.TextChoices):
        SHORT_FILM = "short_film", _("Short film")
        DOCUMENTARY = "documentary", _("Documentary")
        CLIP = "clip", _("Music video")
        SCREENING_PROGRAMME = "screening_programme", _("Screening programme")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DEVELOPMENT = "development", _("In development")
        PRE_PRODUCTION = "pre_production", _("Pre-production")
        SHOOTING = "shooting", _("Shooting")
        POST_PRODUCTION = "post_production", _("Post-production")
        FINISHED = "finished", _("Finished")
        ABANDONED = "abandoned", _("Abandoned")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        NETWORK = "network", _("Members of one network")
        TEAM = "team", _("The team only")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DEVELOPMENT
    )
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Set when, and only when, visibility is "network" (constraint below).
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("network"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_projects"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="project_coordinates_together",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(visibility="network") | Q(network__isnull=False),
                name="project_network_visibility_has_network",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["visibility", "created_at"], name="project_visible_newest"),
            models.Index(fields=["latitude", "longitude"], name="project_lat_lon"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.slug])

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class TeamMember(models.Model):
    """A person on a project's team, with the role they hold there. Managers (the owner
    always, and whoever the owner makes one) manage the team, calls and call sheets."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_roles"
    )
    role = models.CharField(_("role"), max_length=120, blank=True)
    skill = models.ForeignKey(
        Skill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skill"),
    )
    is_manager = models.BooleanField(_("manages the project"), default=False)
    # The role call the person joined through, if any: counts against its number of people.
    role_call = models.ForeignKey(
        "RoleCall", on_delete=models.SET_NULL, null=True, blank=True, related_name="recruits"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-is_manager", "joined_at", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["project", "member"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.role})"


class RoleCall(models.Model):
    """A call for people: actors, extras, a crew skill of the taxonomy, or volunteers."""

    class Kind(models.TextChoices):
        ACTOR = "actor", _("Actor")
        EXTRA = "extra", _("Extra")
        CREW = "crew", _("Crew")
        VOLUNTEER = "volunteer", _("Volunteer")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="role_calls")
    kind = models.CharField(_("role"), max_length=12, choices=Kind.choices)
    # Required for crew calls (constraint below); for actors and extras it is the
    # taxonomy's acting / extras entry, set by the service, so matching is one rule.
    skill = models.ForeignKey(
        Skill,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_calls",
        verbose_name=_("skill"),
    )
    title = models.CharField(_("title"), max_length=150)
    requirements = models.TextField(_("requirements"), max_length=5000, blank=True)
    people_needed = models.PositiveSmallIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE_PER_CALL)],
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    is_paid = models.BooleanField(_("paid"), default=False)
    pay_details = models.CharField(_("pay details"), max_length=200, blank=True)
    deadline = models.DateField(_("apply before"))
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["deadline", "pk"]
        verbose_name = _("role call")
        verbose_name_plural = _("role calls")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="role_call_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind="crew") | Q(skill__isnull=False),
                name="role_call_crew_has_skill",
            ),
            models.CheckConstraint(
                condition=Q(people_needed__gte=1) & Q(people_needed__lte=MAX_PEOPLE_PER_CALL),
                name="role_call_people_needed_range",
            ),
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="role_call_coordinates_together",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "deadline"], name="role_call_open"),
            models.Index(fields=["latitude", "longitude"], name="role_call_lat_lon"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:call_detail", args=[self.project.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.deadline >= timezone.localdate()

    @property
    def days(self) -> list[date]:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + timedelta(days=offset) for offset in range(count)]


class Application(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    role_call = models.ForeignKey(RoleCall, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_applications"
    )
    message = models.TextField(_("message"), max_length=3000)
    # Up to MAX_LINKS http(s) URLs (showreel, portfolio), validated by the service.
    links = models.JSONField(_("links"), default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["role_call", "applicant"], name="application_once_per_call"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["applicant", "created_at"], name="application_applicant"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.role_call}"


class Invitation(models.Model):
    """A suggested member the project's managers invited to apply: at most once per call."""

    role_call = models.ForeignKey(RoleCall, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["role_call", "member"], name="invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ← {self.role_call}"


class CallProfile(models.Model):
    """A member's switch "open to role calls". Without it, or switched off, nobody
    suggests them for a call."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_profile"
    )
    open_to_calls = models.BooleanField(_("open to role calls"), default=False)
    travel_km = models.PositiveIntegerField(
        _("how far I can travel (km)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["open_to_calls"], name="call_profile_open")]

    def __str__(self) -> str:
        return str(self.member)


class AvailabilityPeriod(models.Model):
    """Days a member is available for shoots (both ends included)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_periods"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["starts_on", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="availability_ends_after_start"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["member", "starts_on", "ends_on"], name="availability_member"),
            models.Index(fields=["starts_on", "ends_on"], name="availability_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} to {self.ends_on}"


class ShootingDay(models.Model):
    """One day of shooting and its call sheet, seen by the team once published."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shooting_days")
    date = models.DateField(_("date"))
    venue = models.ForeignKey(
        "venues.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue"),
    )
    address = models.CharField(_("place or address"), max_length=300, blank=True)
    general_call = models.TimeField(_("general call time"))
    wrap_at = models.TimeField(_("expected wrap"), null=True, blank=True)
    # One scene per line, as the manager types them.
    scenes = models.TextField(_("scenes to shoot"), max_length=5000, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    bookings = models.ManyToManyField(
        "lending.Booking", blank=True, related_name="shooting_days", verbose_name=_("equipment")
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["date", "general_call", "pk"]
        verbose_name = _("shooting day")
        verbose_name_plural = _("shooting days")
        indexes: ClassVar = [models.Index(fields=["project", "date"], name="shooting_day_date")]

    def __str__(self) -> str:
        return f"{self.project} — {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("projects:call_sheet", args=[self.project.slug, self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def scene_list(self) -> list[str]:
        return [line.strip() for line in self.scenes.splitlines() if line.strip()]


class CallTime(models.Model):
    """When one person is called on a shooting day (may differ from the general call)."""

    shooting_day = models.ForeignKey(ShootingDay, on_delete=models.CASCADE, related_name="calls")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shoot_calls"
    )
    call_at = models.TimeField(_("call time"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["call_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shooting_day", "member"], name="call_time_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.call_at}"


class Task(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_tasks",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = [
            F("done_at").asc(nulls_first=True),
            F("due_on").asc(nulls_last=True),
            "pk",
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


def shared_file_path(shared: "SharedFile", filename: str) -> str:
    return f"projects/{shared.project_id}/{filename}"


class SharedFile(models.Model):
    """Rushes, sound, documents and stills shared by a project's team."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=shared_file_path, storage=PrivateStorage(), max_length=300)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-uploaded_at", "-pk"]
        verbose_name = _("shared file")
        verbose_name_plural = _("shared files")

    def __str__(self) -> str:
        return self.name
