from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see one field of a profile."""

    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    NETWORKS = "networks", _("Members of my networks")
    PRIVATE = "private", _("Only me")


class Skill(models.Model):
    """An entry of the shared skills taxonomy (acting, cinematography, projection…)."""

    slug = models.SlugField(max_length=60, unique=True)
    name_fr = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "slug"]

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
    skills = models.ManyToManyField(Skill, blank=True, related_name="members")
    equipment = models.TextField(_("equipment owned"), max_length=1000, blank=True)
    favourite_films = models.TextField(_("favourite films"), max_length=1000, blank=True)
    favourite_genres = models.CharField(_("favourite genres"), max_length=200, blank=True)
    offers_mentoring = models.BooleanField(_("I offer mentoring"), default=False)
    seeks_mentoring = models.BooleanField(_("I am looking for a mentor"), default=False)
    # Field group → Visibility value; groups not listed use DEFAULT_VISIBILITY.
    visibility = models.JSONField(default=dict, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

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
        indexes: ClassVar = [models.Index(fields=["latitude", "longitude"], name="user_lat_lon")]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def visibility_of(self, field_group: str) -> str:
        value = self.visibility.get(field_group)
        if value in Visibility.values:
            return str(value)
        return str(self.DEFAULT_VISIBILITY[field_group])
