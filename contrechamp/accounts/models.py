from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see one field of a profile."""

    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    NETWORKS = "networks", _("Members of my networks")
    PRIVATE = "private", _("Only me")


# The languages a member can say they speak: a short fixed list so that profiles can be
# searched by language. "fsl" is French Sign Language (ISO 639-3).
SPOKEN_LANGUAGES: tuple[tuple[str, str | Promise], ...] = (
    ("fr", _("French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("de", _("German")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("nl", _("Dutch")),
    ("ca", _("Catalan")),
    ("oc", _("Occitan")),
    ("br", _("Breton")),
    ("fsl", _("French Sign Language")),
)


class Skill(models.Model):
    """An entry of the shared skills taxonomy (acting, cinematography, projection…)."""

    slug = models.SlugField(max_length=60, unique=True)
    name_fr = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "slug"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class User(AbstractUser):
    """A member. The profile lives here too: one row, no join to show a name with a city."""

    PRIVACY_FIELDS: ClassVar = (
        "city",
        "languages",
        "bio",
        "skills",
        "equipment",
        "favourites",
        "mentoring",
    )

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    # Rounded to about a kilometre by the service that sets them: never an exact address.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="members", verbose_name=_("skills")
    )
    equipment = models.TextField(_("equipment owned"), max_length=1000, blank=True)
    favourite_films = models.TextField(_("favourite films"), max_length=1000, blank=True)
    favourite_genres = models.CharField(_("favourite genres"), max_length=200, blank=True)
    offers_mentoring = models.BooleanField(_("I offer mentoring"), default=False)
    seeks_mentoring = models.BooleanField(_("I am looking for a mentor"), default=False)
    # Field group → Visibility value; groups not listed use DEFAULT_VISIBILITY.
    visibility = models.JSONField(_("privacy"), default=dict, blank=True)
    # The version of the site's code of conduct last accepted (0: never) and when.
    code_of_conduct_version = models.PositiveSmallIntegerField(
        _("code of conduct version accepted"), default=0
    )
    code_of_conduct_accepted_at = models.DateTimeField(
        _("code of conduct accepted at"), null=True, blank=True
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    DEFAULT_VISIBILITY: ClassVar = {
        "city": Visibility.MEMBERS,
        "languages": Visibility.PUBLIC,
        "bio": Visibility.PUBLIC,
        "skills": Visibility.PUBLIC,
        "equipment": Visibility.NETWORKS,
        "favourites": Visibility.PUBLIC,
        "mentoring": Visibility.PUBLIC,
    }

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes: ClassVar = [models.Index(fields=["latitude", "longitude"], name="user_lat_lon")]
        constraints: ClassVar = [
            # A point has both coordinates or none: half a position would match no search.
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="user_coordinates_together",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.deleted_at is not None:
            return gettext("Former member")
        return self.display_name or self.username

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def visibility_of(self, field_group: str) -> str:
        value = self.visibility.get(field_group) if isinstance(self.visibility, dict) else None
        if value in Visibility.values:
            return str(value)
        return str(self.DEFAULT_VISIBILITY[field_group])

    def language_names(self) -> list[str]:
        """Names of the languages spoken, in the fixed list's order; unknown codes are skipped."""
        chosen = set(self.languages if isinstance(self.languages, list) else [])
        return [str(name) for code, name in SPOKEN_LANGUAGES if code in chosen]

    def favourite_film_titles(self) -> list[str]:
        """One title per line, as the member typed them."""
        return [line.strip() for line in self.favourite_films.splitlines() if line.strip()]
