from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Venue(models.Model):
    """A place where films are shown: shared by every network, edited by members."""

    class Kind(models.TextChoices):
        INDEPENDENT_CINEMA = "independent_cinema", _("Independent cinema")
        MEDIATHEQUE = "mediatheque", _("Médiathèque")
        CINEMATHEQUE = "cinematheque", _("Cinémathèque")
        TOWN_HALL_ROOM = "town_hall_room", _("Room lent by a town hall")
        ASSOCIATION_ROOM = "association_room", _("Association or community room")
        OPEN_AIR = "open_air", _("Open-air site")
        OTHER = "other", _("Other place")

    name = models.CharField(_("name"), max_length=150)
    # `core.places.normalise(name + city)`: one venue per name in a town.
    dedupe_key = models.CharField(max_length=260, editable=False)
    name_normalised = models.CharField(max_length=150, editable=False, db_index=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city_name = models.CharField(_("city"), max_length=100)
    # The street's coordinates when known, else the city's from the gazetteer.
    latitude = models.FloatField()
    longitude = models.FloatField()
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    # Equipment on site, as facts an organiser filters on.
    has_dcp_projector = models.BooleanField(_("DCP digital projector"), default=False)
    has_35mm_projector = models.BooleanField(_("35 mm projector"), default=False)
    has_16mm_projector = models.BooleanField(_("16 mm projector"), default=False)
    has_video_projector = models.BooleanField(_("video projector"), default=False)
    has_sound_system = models.BooleanField(_("sound system"), default=False)
    equipment_notes = models.TextField(_("other equipment"), max_length=2000, blank=True)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.TextField(_("accessibility"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["name_normalised", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["dedupe_key"], name="venue_unique_name_in_city"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="venue_capacity_positive",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["latitude", "longitude"], name="venue_lat_lon"),
            models.Index(fields=["kind", "name_normalised"], name="venue_kind_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city_name})"

    def get_absolute_url(self) -> str:
        return reverse("venues:detail", args=[self.pk])
