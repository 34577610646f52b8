"""Skill offers and requests, mentoring profiles, mentorships and their sessions log.

Everything here is free of charge: no price field exists, by design. A member has at most
one mentoring profile, which says what they can pass on (as a mentor: domains, capacity,
availability) and what they want to learn (as a mentee); the "I offer / I look for
mentoring" flags themselves stay on the member's profile (`accounts.User`), where the
privacy setting "mentoring" governs who sees them.

A mentorship is one row from the first request to its end: proposed (by the mentee, or
by a mentor answering an open request), then accepted or declined by the other side,
active, ended. Rules about one row are database constraints: one open mentorship (asked
or active) per pair of members, sessions belong to a mentorship. The capacity of a mentor
(how many mentees at once) is checked by the services while they hold the mentor
profile's row lock.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import Skill

MAX_CAPACITY = 20


class Format(models.TextChoices):
    """Where the learning happens."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BOTH = "both", _("In person or online")


IN_PERSON_FORMATS = (Format.IN_PERSON, Format.BOTH)
ONLINE_FORMATS = (Format.ONLINE, Format.BOTH)


class Level(models.TextChoices):
    ALL = "all", _("All levels")
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class AgeBracket(models.TextChoices):
    """An optional, private statement: shown to nobody but its owner, usable only as a
    filter in mentor search (and only for mentors who opted in to it)."""

    UNDER_25 = "under_25", _("Under 25")
    FROM_25_TO_39 = "25_39", _("25 to 39")
    FROM_40_TO_59 = "40_59", _("40 to 59")
    FROM_60 = "60_plus", _("60 and over")


class SkillListing(models.Model):
    """An offer ("I can introduce you to 35 mm projection") or a request ("I want to learn
    to programme a ciné-club"), in one domain of the shared skills taxonomy, in a city
    (coordinates rounded to about a kilometre) or online, always free of charge."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_listings"
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="listings", verbose_name=_("domain")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.ALL)
    format = models.CharField(
        _("where"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    # Required for in person (constraint below), rounded to about a kilometre.
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # An offer may point to a workshop (an event of kind "workshop") where it happens.
    workshop = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="skill_offers",
        verbose_name=_("workshop"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="skill_listing_coordinates_together",
            ),
            models.CheckConstraint(
                condition=Q(format="online") | Q(latitude__isnull=False),
                name="skill_listing_in_person_has_place",
            ),
            models.CheckConstraint(
                condition=Q(kind="offer") | Q(workshop__isnull=True),
                name="skill_listing_workshop_on_offers",
            ),
        ]
        indexes: ClassVar = [
            # The lists walk open listings of one kind, newest first, or one domain's.
            models.Index(fields=["kind", "status", "created_at"], name="listing_newest"),
            models.Index(fields=["kind", "status", "skill", "created_at"], name="listing_skill"),
            models.Index(fields=["latitude", "longitude"], name="listing_lat_lon"),
            models.Index(fields=["author", "kind"], name="listing_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        name = "offer_detail" if self.kind == self.Kind.OFFER else "request_detail"
        return reverse(f"mentoring:{name}", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_offer(self) -> bool:
        return self.kind == self.Kind.OFFER

    @property
    def online_possible(self) -> bool:
        return self.format in ONLINE_FORMATS


class MentoringProfile(models.Model):
    """What a member says for mentoring: as a mentor (domains, capacity, availability)
    and as a mentee (domains they want to learn, goals). Languages, city and format serve
    both. The age bracket is private: no page shows it to anyone but its owner."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_profile"
    )
    # As a mentor.
    mentor_skills = models.ManyToManyField(
        Skill, blank=True, related_name="mentor_profiles", verbose_name=_("domains I mentor in")
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees at once"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    accepting = models.BooleanField(_("I accept new mentees"), default=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    introduction = models.TextField(_("what I can pass on"), max_length=2000, blank=True)
    # As a mentee.
    learning_skills = models.ManyToManyField(
        Skill,
        blank=True,
        related_name="learner_profiles",
        verbose_name=_("domains I want to learn"),
    )
    learning_goals = models.TextField(_("what I want to learn"), max_length=2000, blank=True)
    # Both.
    format = models.CharField(
        _("where"), max_length=10, choices=Format.choices, default=Format.BOTH
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    age_bracket = models.CharField(
        _("age bracket"), max_length=10, choices=AgeBracket.choices, blank=True
    )
    # Only mentors who opt in appear in results filtered by age bracket.
    match_by_age = models.BooleanField(_("match me by age bracket"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="mentoring_profile_coordinates_together",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY),
                name="mentoring_profile_capacity_range",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["latitude", "longitude"], name="mentoring_profile_lat_lon"),
            # The mentor search's default order, most recently updated first.
            models.Index(fields=["updated_at", "id"], name="mentoring_profile_recent"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def online_possible(self) -> bool:
        return self.format in ONLINE_FORMATS

    @property
    def in_person_possible(self) -> bool:
        return self.format in IN_PERSON_FORMATS and self.latitude is not None


class Mentorship(models.Model):
    """From the request to the end: who mentors whom, in which domain, towards which
    goals, when the check-in is due and how it ended."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked")
        ACTIVE = "active", _("Under way")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    class Side(models.TextChoices):
        MENTEE = "mentee", _("the mentee")
        MENTOR = "mentor", _("the mentor")

    OPEN = (Status.REQUESTED, Status.ACTIVE)

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_given"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_received"
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="mentorships", verbose_name=_("domain")
    )
    # The offer or request it came from, if any.
    listing = models.ForeignKey(
        SkillListing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorships",
    )
    proposed_by = models.CharField(max_length=10, choices=Side.choices, default=Side.MENTEE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    goals = models.TextField(_("goals"), max_length=2000, blank=True)
    decline_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Both are asked "how is it going, do you continue?" once, at this time.
    check_in_due_at = models.DateTimeField(null=True, blank=True)
    check_in_sent_at = models.DateTimeField(null=True, blank=True)
    mentor_continues_at = models.DateTimeField(null=True, blank=True)
    mentee_continues_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    thanks_note = models.CharField(_("thanks"), max_length=1000, blank=True)

    class Meta:
        ordering: ClassVar = ["-updated_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="mentorship_not_with_oneself"
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status__in=["requested", "active"]),
                name="mentorship_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(started_at__isnull=False),
                name="mentorship_active_has_start",
            ),
        ]
        indexes: ClassVar = [
            # Capacity counts a mentor's active mentorships; lists go by member and status.
            models.Index(fields=["mentor", "status"], name="mentorship_by_mentor"),
            models.Index(fields=["mentee", "status"], name="mentorship_by_mentee"),
            models.Index(fields=["status", "check_in_due_at"], name="mentorship_check_in"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentorship", args=[self.pk])

    def is_party(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.mentor_id, self.mentee_id)

    def other_party_id(self, user_id: int) -> int:
        return self.mentee_id if user_id == self.mentor_id else self.mentor_id

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def proposer_id(self) -> int:
        return self.mentee_id if self.proposed_by == self.Side.MENTEE else self.mentor_id

    @property
    def answerer_id(self) -> int:
        return self.mentor_id if self.proposed_by == self.Side.MENTEE else self.mentee_id


class MentoringSession(models.Model):
    """One session of a mentorship, logged by either party; only the two of them can read
    or add to the log."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    note = models.CharField(_("short note"), max_length=500)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-held_on", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["mentorship", "held_on"], name="mentoring_session_by_date"),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship_id} · {self.held_on}"
