"""Items lent, loans with their audit trail, and bookings of a network's equipment.

Rules about one row are database constraints: an item has exactly one owner (a member or
a network), an item is out with at most one borrower at a time, a booking ends after it
starts and (on PostgreSQL) two bookings that hold the same item never overlap (see the
`add_booking_exclusion` migration). Everything a person does goes through `services.py`.
"""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.networks.models import Network


class EquipmentManager(models.Model):
    """A member who looks after a network's items (approves bookings, checks them out and
    in) without being an admin. Network admins keep this list."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="equipment_managers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equipment_duties"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "user"], name="equipment_manager_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.network}"


class Item(models.Model):
    class Kind(models.TextChoices):
        DVD = "dvd", _("DVD")
        BLU_RAY = "blu_ray", _("Blu-ray")
        VHS = "vhs", _("VHS")
        LASERDISC = "laserdisc", _("LaserDisc")
        FILM_REEL = "film_reel", _("16/35 mm reel")
        POSTER = "poster", _("Poster")
        SOUNDTRACK = "soundtrack", _("Soundtrack")
        GLASSES_3D = "glasses_3d", _("3D glasses")
        BOOK = "book", _("Book")
        CAMERA = "camera", _("Camera")
        LENS = "lens", _("Lens")
        PROJECTOR = "projector", _("Projector")
        SCREEN = "screen", _("Screen")
        MICROPHONE = "microphone", _("Microphone")
        LIGHT = "light", _("Light")
        KIT = "kit", _("Kit (several items)")
        OTHER = "other", _("Other")

    class Condition(models.TextChoices):
        NEW = "new", _("As new")
        VERY_GOOD = "very_good", _("Very good")
        GOOD = "good", _("Good")
        WORN = "worn", _("Worn but working")
        DAMAGED = "damaged", _("Damaged")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        NETWORKS = "networks", _("Members of my networks")

    # Exactly one of the two owners is set (constraint below).
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lending_items",
    )
    owner_network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="lending_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    # The film on the disc, reel or poster, when there is one.
    film = models.ForeignKey(
        "films.Film",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_items",
        verbose_name=_("film"),
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    photo = models.ImageField(_("photo"), upload_to="lending/items/%Y/%m/", blank=True)
    deposit = models.DecimalField(
        _("deposit (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    # The pickup area: a city and its coordinates rounded to about a kilometre.
    city_name = models.CharField(_("pickup area"), max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()
    offers_loan = models.BooleanField(_("for loan"), default=True)
    offers_swap = models.BooleanField(_("for swap"), default=False)
    offers_gift = models.BooleanField(_("to give away"), default=False)
    visibility = models.CharField(
        _("who can see it"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    is_valuable = models.BooleanField(_("valuable"), default=False)
    # For a valuable item: how many loans a borrower must have returned on time.
    min_on_time_returns = models.PositiveSmallIntegerField(
        _("loans returned on time required"), default=0
    )
    is_out_of_order = models.BooleanField(_("out of order"), default=False)
    out_of_order_note = models.CharField(max_length=500, blank=True)
    # A kit bundles other items of the same network: booking the kit books its parts.
    parts = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="kits", verbose_name=_("parts")
    )
    is_withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    EQUIPMENT_KINDS = frozenset(
        {
            Kind.CAMERA,
            Kind.LENS,
            Kind.PROJECTOR,
            Kind.SCREEN,
            Kind.MICROPHONE,
            Kind.LIGHT,
            Kind.KIT,
        }
    )

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    Q(owner_user__isnull=False, owner_network__isnull=True)
                    | Q(owner_user__isnull=True, owner_network__isnull=False)
                ),
                name="item_one_owner",
            ),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="item_deposit_positive"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["latitude", "longitude"], name="item_lat_lon"),
            models.Index(fields=["kind", "created_at"], name="item_kind_created"),
            # The library's default order, newest first (read backwards).
            models.Index(fields=["created_at", "id"], name="item_newest"),
            # "A camera near Grenoble": the kind narrows, then the latitude range.
            models.Index(fields=["kind", "latitude", "longitude"], name="item_kind_lat_lon"),
            models.Index(fields=["owner_network", "kind"], name="item_network_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.is_bookable:
            return reverse("lending:equipment_detail", args=[self.pk])
        return reverse("lending:item_detail", args=[self.pk])

    @property
    def is_equipment(self) -> bool:
        return self.kind in self.EQUIPMENT_KINDS

    @property
    def is_bookable(self) -> bool:
        """A network's equipment is booked by time slot; everything else is lent."""
        return self.owner_network_id is not None and self.is_equipment

    @property
    def owner_name(self) -> str:
        if self.owner_network is not None:
            return self.owner_network.name
        assert self.owner_user is not None  # noqa: S101 - guaranteed by item_one_owner
        return self.owner_user.public_name


class Loan(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Offered to you")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        HANDED_OVER = "handed_over", _("Handed over")
        OVERDUE = "overdue", _("Overdue")
        RETURNED = "returned", _("Returned")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Offer expired")
        LOST = "lost", _("Lost")

    # The item is with (or promised to) this borrower.
    OUT = (Status.ACCEPTED, Status.HANDED_OVER, Status.OVERDUE)
    # Still asking or holding: one such loan per borrower and item.
    OPEN = (Status.REQUESTED, Status.WAITLISTED, Status.OFFERED, *OUT)

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="loans")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="borrowings"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(max_length=1000, blank=True)
    pickup_note = models.CharField(max_length=500, blank=True)
    due_on = models.DateField(null=True, blank=True)
    extension_requested_until = models.DateField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_late = models.BooleanField(default=False)
    return_condition_note = models.CharField(max_length=1000, blank=True)
    # What the periodic jobs already sent, so that running them again sends nothing twice.
    reminder_sent_for = models.DateField(null=True, blank=True)
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["accepted", "handed_over", "overdue"]),
                name="loan_one_out_per_item",
            ),
            models.UniqueConstraint(
                fields=["item", "borrower"],
                condition=Q(
                    status__in=[
                        "requested",
                        "waitlisted",
                        "offered",
                        "accepted",
                        "handed_over",
                        "overdue",
                    ]
                ),
                name="loan_one_open_per_borrower",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["borrower", "status"], name="loan_by_borrower"),
            models.Index(fields=["item", "status", "created_at"], name="loan_by_item"),
            models.Index(fields=["status", "due_on"], name="loan_by_due"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.borrower} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("lending:loan_detail", args=[self.pk])


class LoanEvent(models.Model):
    """One step of a loan's life: who did what, when, with what note. Never edited."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("asked to borrow it")
        WAITLISTED = "waitlisted", _("joined the waitlist")
        OFFERED = "offered", _("was offered the item")
        CLAIMED = "claimed", _("took up the offer")
        EXPIRED = "expired", _("let the offer expire")
        ACCEPTED = "accepted", _("accepted the request")
        DECLINED = "declined", _("declined the request")
        HANDED_OVER = "handed_over", _("handed it over")
        EXTENSION_REQUESTED = "extension_requested", _("asked for more time")
        EXTENSION_GRANTED = "extension_granted", _("granted more time")
        EXTENSION_DECLINED = "extension_declined", _("declined more time")
        OVERDUE = "overdue", _("became overdue")
        RETURNED = "returned", _("recorded the return")
        CLOSED = "closed", _("closed the loan")
        CANCELLED = "cancelled", _("cancelled")
        LOST = "lost", _("declared it lost")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="events")
    # None when the periodic jobs did it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.loan_id} · {self.action}"


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        CHECKED_OUT = "checked_out", _("Checked out")
        RETURNED = "returned", _("Checked in")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    # These hold the item for their time range: no two of them may overlap.
    HOLDING = (Status.PENDING, Status.APPROVED, Status.CHECKED_OUT)

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equipment_bookings"
    )
    # A part's booking made by booking its kit follows the kit's booking.
    kit_booking = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="part_bookings"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    purpose = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checkout_note = models.CharField(max_length=1000, blank=True)
    checkin_note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["start", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_ends"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["item", "status", "start"], name="booking_by_item"),
            models.Index(fields=["booked_by", "start"], name="booking_by_member"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("lending:booking_detail", args=[self.pk])

    @property
    def is_holding(self) -> bool:
        return self.status in self.HOLDING


class Swap(models.Model):
    """A proposal of items for items between two members; with nothing offered in
    return, a request for items given away. The items change hands when the owner of the
    wanted items accepts (the proposer confirmed by proposing)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        COMPLETED = "completed", _("Done: the items changed hands")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="swaps_proposed"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="swaps_received"
    )
    offered = models.ManyToManyField(Item, blank=True, related_name="swaps_offering")
    wanted = models.ManyToManyField(Item, related_name="swaps_wanting")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    message = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["proposer", "status"], name="swap_by_proposer"),
            models.Index(fields=["recipient", "status"], name="swap_by_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.proposer} ⇄ {self.recipient} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("lending:swap_detail", args=[self.pk])


class UrgentRequest(models.Model):
    """ "My camera broke before Saturday's shoot": a member asks for equipment of a kind,
    for dates, near a place; the holders of matching free equipment are told and offer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="urgent_requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Item.Kind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    city_name = models.CharField(max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()
    note = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="urgent_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} · {self.kind} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("lending:urgent_detail", args=[self.pk])


class UrgentOffer(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        NOT_NEEDED = "not_needed", _("Not needed")

    request = models.ForeignKey(UrgentRequest, on_delete=models.CASCADE, related_name="offers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="urgent_offers")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["request", "item"], name="urgent_offer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.item}"
