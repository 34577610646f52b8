"""Wanted requests ("je cherche une copie de *La Jetée* sous-titrée en anglais") and the
offers found for them.

A request names a film of the catalogue, the formats and languages wished (none means any),
and who sees it: everyone, or the members of one network. It is open until its author says
a copy was found or withdraws it. A `Match` records that an offer of another app (a library
item, an availability entry: see `matching.py`) fits a request; one row per request and
offer, so an offer edited twice is found, and announced, once.

Formats and languages are stored as codes between spaces (" dvd blu_ray "), like the
catalogue's languages: a `contains " dvd "` lookup filters on one code on both engines.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contrechamp.networks.models import Network

NOTE_MAX = 2000


class Format(models.TextChoices):
    """The ways a film reaches a viewer that a member may look for."""

    DVD = "dvd", _("DVD")
    BLU_RAY = "blu_ray", _("Blu-ray")
    VHS = "vhs", _("VHS")
    LASERDISC = "laserdisc", _("LaserDisc")
    FILM_16 = "film_16", _("16 mm print")
    FILM_35 = "film_35", _("35 mm print")
    FILE = "file", _("Digital file")
    STREAMING = "streaming", _("Streaming")


def join_codes(codes: list[str]) -> str:
    return f" {' '.join(codes)} " if codes else ""


def split_codes(stored: str) -> list[str]:
    return stored.split()


class WantedRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FOUND = "found", _("Found")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wanted_requests"
    )
    film = models.ForeignKey(
        "films.Film",
        on_delete=models.CASCADE,
        related_name="wanted_requests",
        verbose_name=_("film"),
    )
    formats = models.CharField(_("formats"), max_length=200, blank=True)
    audio_languages = models.CharField(_("audio languages"), max_length=100, blank=True)
    subtitle_languages = models.CharField(_("subtitle languages"), max_length=100, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    # None: everyone sees the request; else only the active members of this network.
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wanted_requests",
        verbose_name=_("shown to"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The match that ended the search, when its author pointed at one.
    found_match = models.ForeignKey(
        "Match", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | (~Q(status="open") & Q(resolved_at__isnull=False)),
                name="wanted_resolved_when_closed",
            ),
            # One open request per member and film: a double submission cannot make two.
            models.UniqueConstraint(
                fields=["requester", "film"],
                condition=Q(status="open"),
                name="wanted_one_open_per_film",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "created_at", "id"], name="wanted_by_status"),
            models.Index(fields=["film", "status"], name="wanted_by_film"),
            models.Index(fields=["requester", "status"], name="wanted_by_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.film_id} · {self.requester_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("wanted:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def format_list(self) -> list[str]:
        return split_codes(self.formats)

    @property
    def format_labels(self) -> list[str]:
        labels = dict(Format.choices)
        return [str(labels[code]) for code in self.format_list if code in labels]

    @property
    def audio_language_list(self) -> list[str]:
        return split_codes(self.audio_languages)

    @property
    def subtitle_language_list(self) -> list[str]:
        return split_codes(self.subtitle_languages)


class Match(models.Model):
    """An offer of another app that fits a request, as it was when last seen: its title,
    link and what fits are kept so the request's page needs no other app's tables. An
    offer that no longer fits (withdrawn, changed) stays recorded but is no longer
    `is_current`: if it fits again, nobody is told twice."""

    request = models.ForeignKey(WantedRequest, on_delete=models.CASCADE, related_name="matches")
    source = models.CharField(max_length=30)
    offer_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    format = models.CharField(max_length=20, blank=True)
    audio_languages = models.CharField(max_length=100, blank=True)
    subtitle_languages = models.CharField(max_length=100, blank=True)
    where = models.CharField(max_length=300, blank=True)
    # Languages the offer does not state: the requester should ask before counting on it.
    languages_unstated = models.BooleanField(default=False)
    is_current = models.BooleanField(default=True)
    found_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-found_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["request", "source", "offer_id"], name="wanted_match_once"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["source", "offer_id"], name="wanted_match_by_offer"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} ← {self.source}:{self.offer_id}"

    @property
    def format_label(self) -> str:
        return str(dict(Format.choices).get(self.format, ""))

    @property
    def audio_language_list(self) -> list[str]:
        return split_codes(self.audio_languages)

    @property
    def subtitle_language_list(self) -> list[str]:
        return split_codes(self.subtitle_languages)
