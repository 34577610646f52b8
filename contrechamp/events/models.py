"""Events, their recurrence, the films they show with the rights to show them, RSVPs,
volunteer shifts, the shared rights-holders directory and members' calendar feeds.

Times are stored in UTC; `time_zone` is the IANA zone the organiser thinks in: recurrences
are expanded and times displayed in it, so the monthly night stays at 20:30 across
daylight-saving changes.
"""

from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.core.storage import PrivateStorage
from contrechamp.films.models import Film
from contrechamp.networks.models import Network
from contrechamp.venues.models import Venue


class EventSeries(models.Model):
    """A recurring event: its RFC 5545 rule and where the expansion starts.

    Each occurrence is an `Event` row (so it has its own RSVPs, capacity and films);
    `recurrence_id` ties it to its slot in the rule. An occurrence edited on its own is
    `is_detached`: editing the whole series leaves it alone. A cancelled occurrence stays
    as a cancelled row: it becomes an EXDATE in calendar feeds.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="event_series")
    # The RRULE value without its "RRULE:" prefix, always bounded by COUNT or UNTIL.
    rule = models.CharField(_("recurrence rule"), max_length=500)
    time_zone = models.CharField(max_length=64)
    first_starts_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.rule


class Event(models.Model):
    class Kind(models.TextChoices):
        SCREENING = "screening", _("Screening")
        OPEN_AIR_SCREENING = "open_air_screening", _("Open-air screening")
        CINE_DEBATE = "cine_debate", _("Ciné-débat")
        FESTIVAL = "festival", _("Festival")
        MARATHON = "marathon", _("Film marathon")
        WORKSHOP = "workshop", _("Workshop")
        WATCH_PARTY = "watch_party", _("Online watch party")
        SHOOT_MEETUP = "shoot_meetup", _("Shoot meetup")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can see it")
        MEMBERS = "members", _("Members of the network only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    venue = models.ForeignKey(
        Venue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("venue"),
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    # Copied from the venue, so that "near a city" is one indexed filter on events.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    accessibility_notes = models.TextField(_("accessibility"), max_length=2000, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # None: no limit. Counted over RSVPs that are "going".
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    # A festival's programme: its screenings point to it.
    festival = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme",
        verbose_name=_("festival"),
        db_index=False,  # event_festival_start below serves it, in date order
    )
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
        db_index=False,  # event_series_start below serves it, in date order
    )
    # The start the rule gave this occurrence (RFC 5545 RECURRENCE-ID), kept when moved.
    recurrence_id = models.DateTimeField(null=True, blank=True)
    is_detached = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["starts_at", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True) | Q(recurrence_id__isnull=False),
                name="event_occurrence_has_recurrence_id",
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=Q(series__isnull=False),
                name="event_one_occurrence_per_slot",
            ),
        ]
        indexes: ClassVar = [
            # The agenda walks events in date order and stops at a page: this index gives
            # the order, the filters (status, visibility, network) are checked on the way.
            models.Index(fields=["starts_at", "id"], name="event_agenda"),
            models.Index(fields=["network", "starts_at"], name="event_network_start"),
            models.Index(fields=["festival", "starts_at"], name="event_festival_start"),
            models.Index(fields=["series", "starts_at"], name="event_series_start"),
            models.Index(fields=["venue", "starts_at"], name="event_venue_start"),
            models.Index(fields=["latitude", "longitude", "starts_at"], name="event_lat_lon"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    def local_time_text(self, moment: datetime) -> str:
        """`moment` as the event's readers expect it: on the clocks of the event's zone, in
        the active language's format (notifications, newsletters)."""
        local = timezone.localtime(moment, ZoneInfo(self.time_zone))
        return formats.date_format(local, "DATETIME_FORMAT")


class RightsHolder(models.Model):
    """Who grants the right to show films: a directory shared by every network."""

    class Kind(models.TextChoices):
        DISTRIBUTOR = "distributor", _("Distributor")
        NON_THEATRICAL = "non_theatrical", _("Non-theatrical rights agency")
        CINEMATHEQUE = "cinematheque", _("Cinémathèque or archive")
        PRODUCER = "producer", _("Producer")
        DIRECTOR = "director", _("Director")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    name_normalised = models.CharField(max_length=150, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    how_to_request = models.TextField(_("how to request rights"), max_length=5000, blank=True)
    notes = models.TextField(_("notes shared with every network"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["name_normalised"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name_normalised"], name="rights_holder_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:rights_holder", args=[self.pk])


class Screening(models.Model):
    """A film shown at an event, and the record of the right to show it."""

    class RightsStatus(models.TextChoices):
        TO_REQUEST = "to_request", _("To request")
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        PUBLIC_DOMAIN = "public_domain", _("Public domain")
        # A showing to a private circle (members only, not advertised outside the group).
        PRIVATE_CIRCLE = "private_circle", _("Private circle")

    # Statuses that allow a public screening.
    CLEARED_FOR_PUBLIC: ClassVar = frozenset({RightsStatus.GRANTED, RightsStatus.PUBLIC_DOMAIN})

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="screenings")
    film = models.ForeignKey(Film, on_delete=models.PROTECT, related_name="screenings")
    position = models.PositiveSmallIntegerField(default=0)
    rights_holder = models.ForeignKey(
        RightsHolder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="screenings",
        verbose_name=_("rights holder"),
    )
    rights_status = models.CharField(
        _("rights"), max_length=20, choices=RightsStatus.choices, default=RightsStatus.TO_REQUEST
    )
    licence_reference = models.CharField(_("licence reference"), max_length=100, blank=True)
    fee = models.DecimalField(
        _("fee (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    rights_requested_on = models.DateField(_("requested on"), null=True, blank=True)
    rights_answered_on = models.DateField(_("answered on"), null=True, blank=True)
    rights_notes = models.TextField(_("notes"), max_length=5000, blank=True)
    rights_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rights_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["event", "position", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["event", "film"], name="screening_film_once_per_event"),
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gte=0), name="screening_fee_not_negative"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["film", "event"], name="screening_film_event"),
            models.Index(fields=["rights_status"], name="screening_rights_status"),
        ]

    def __str__(self) -> str:
        return f"{self.film} @ {self.event}"

    @property
    def cleared_for_public(self) -> bool:
        return self.rights_status in self.CLEARED_FOR_PUBLIC


def rights_document_path(document: "RightsDocument", filename: str) -> str:
    return f"rights/{document.screening.event_id}/{filename}"


class RightsDocument(models.Model):
    """A licence, contract or letter attached to a screening's rights record."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(
        upload_to=rights_document_path, storage=PrivateStorage(), max_length=300
    )
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Rsvp(models.Model):
    class Status(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Not going")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_rsvps"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Order of the waitlist: first come, first promoted.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["event", "member"], name="rsvp_one_per_member"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="rsvp_waitlist_has_time",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["event", "status", "waitlisted_at"], name="rsvp_event_status"),
            models.Index(fields=["member", "status"], name="rsvp_member_status"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.event} ({self.status})"


class Shift(models.Model):
    """A volunteer slot at an event: so many people for the welcome desk from 19:30."""

    class Role(models.TextChoices):
        WELCOME = "welcome", _("Welcome desk")
        PROJECTION = "projection", _("Projection")
        BAR = "bar", _("Bar")
        TIDYING = "tidying", _("Tidying up")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    label = models.CharField(_("details"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    slots = models.PositiveSmallIntegerField(_("volunteers needed"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["starts_at", "role", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(slots__gte=1), name="shift_slots_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} - {self.event}"


class ShiftSignup(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="shift_signup_once"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["volunteer", "shift"], name="shift_signup_volunteer"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} - {self.shift}"


class CalendarToken(models.Model):
    """The secret in a member's personal calendar address: calendar apps cannot sign in.

    Resetting it (a new token) makes the old address stop working."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.member}"
