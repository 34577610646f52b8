"""Networks (ciné-clubs, associations…), their members, roles, charters and role handovers.

Rules about one row live here as database constraints; everything a person does goes
through `services.py`, which keeps the cross-row rules (a network always has an admin, a
member acts only after accepting the current charter).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person is in a network. Being a member comes with an active `Membership`;
    the other roles are `RoleAssignment` rows, several per person if need be."""

    ADMIN = "admin", _("Admin")
    MODERATOR = "moderator", _("Moderator")
    ORGANISER = "organiser", _("Organiser")
    MEMBER = "member", _("Member")


ASSIGNABLE_ROLES = (Role.ADMIN, Role.MODERATOR, Role.ORGANISER)
# Roles that look after members: approve requests, invite.
MANAGER_ROLES = frozenset({Role.ADMIN, Role.MODERATOR, Role.ORGANISER})


class Network(models.Model):
    class Kind(models.TextChoices):
        CINE_CLUB = "cine_club", _("Ciné-club")
        ASSOCIATION = "association", _("Film association")
        STUDENT_CLUB = "student_club", _("Student club")
        MEDIATHEQUE = "mediatheque", _("Médiathèque")
        FESTIVAL = "festival", _("Festival")
        INDEPENDENT_CINEMA = "independent_cinema", _("Independent cinema")
        ONLINE_COMMUNITY = "online_community", _("Online community")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        ON_REQUEST = "request", _("On request: an organiser approves")
        INVITATION = "invitation", _("By invitation only")

    name = models.CharField(_("name"), max_length=120)
    # `core.places.normalise(name)`: the unique key that makes "Ciné-Club" and "cine club" one.
    name_normalised = models.CharField(max_length=120, editable=False)
    slug = models.SlugField(max_length=140, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    # The city's coordinates rounded to about a kilometre; none for an online-only network.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_online = models.BooleanField(_("online only"), default=False)
    website = models.URLField(_("website"), max_length=200, blank=True)
    join_policy = models.CharField(
        _("join policy"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    # The version members must have accepted; set by `services.publish_charter`.
    current_charter = models.ForeignKey(
        "CharterVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar = ["name_normalised"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name_normalised"], name="network_unique_name"),
            models.CheckConstraint(
                condition=(
                    Q(is_online=True, latitude__isnull=True, longitude__isnull=True)
                    | Q(is_online=False, latitude__isnull=False, longitude__isnull=False)
                ),
                name="network_city_or_online",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["latitude", "longitude"], name="network_lat_lon"),
            models.Index(fields=["kind", "name_normalised"], name="network_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:detail", args=[self.slug])


class Membership(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        PENDING = "pending", _("Request pending")
        INVITED = "invited", _("Invited")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    request_message = models.TextField(max_length=1000, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(status="active", joined_at__isnull=False) | ~Q(status="active"),
                name="membership_active_has_joined_at",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["network", "status", "joined_at"], name="membership_by_status"),
            models.Index(fields=["user", "status"], name="membership_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.network} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class RoleAssignment(models.Model):
    """Someone holds a role from `started_at` until `ended_at` (NULL while current).

    Rows are never deleted when a role ends: they are the network's history of who did what.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="role_assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-started_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["network", "user", "role"],
                condition=Q(ended_at__isnull=True),
                name="role_one_current_assignment",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in ASSIGNABLE_ROLES]),
                name="role_assignable",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["network", "role", "ended_at"], name="role_by_network"),
            models.Index(fields=["user", "ended_at"], name="role_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.network}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class RoleHandover(models.Model):
    """A role passed from one member to a successor, with what the successor needs to know."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="handovers")
    role = models.CharField(max_length=20, choices=Role.choices)
    ended_assignment = models.OneToOneField(
        RoleAssignment, on_delete=models.CASCADE, related_name="handover_out"
    )
    started_assignment = models.OneToOneField(
        RoleAssignment, on_delete=models.CASCADE, related_name="handover_in"
    )
    notes = models.TextField(_("handover notes"), max_length=10000)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_handovers_written",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.network} · {self.created_at:%Y-%m-%d}"


class CharterVersion(models.Model):
    """One published version of a network's charter (charte de bienveillance)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=20000)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "number"], name="charter_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.network} · v{self.number}"


class CharterAcceptance(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="charter_acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="charter_acceptances"
    )
    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "version"], name="charter_accepted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"
