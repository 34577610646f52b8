"""The film catalogue: films, people and credits, where to see a film legally, and each
member's ratings and watchlist.

Rules about one row are database constraints (an external id is unique when set, a rating
is between half a star and five stars); everything a person does goes through `services.py`,
which also keeps the search index (`search.py`) in step with the rows.
"""

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An availability entry nobody confirmed for this long is shown as stale.
STALE_AFTER = timedelta(days=180)
FIRST_FILM_YEAR = 1870


class Genre(models.TextChoices):
    """A small fixed taxonomy: enough to browse, not a tagging system."""

    DRAMA = "drama", _("Drama")
    COMEDY = "comedy", _("Comedy")
    ROMANCE = "romance", _("Romance")
    THRILLER = "thriller", _("Thriller and crime")
    FILM_NOIR = "noir", _("Film noir")
    HORROR = "horror", _("Horror")
    FANTASY = "fantasy", _("Fantasy")
    SCIENCE_FICTION = "scifi", _("Science fiction")
    WESTERN = "western", _("Western")
    WAR = "war", _("War")
    ADVENTURE = "adventure", _("Adventure")
    HISTORY = "history", _("Historical")
    MUSICAL = "musical", _("Musical")
    ANIMATION = "animation", _("Animation")
    DOCUMENTARY = "documentary", _("Documentary")
    EXPERIMENTAL = "experimental", _("Experimental")
    SHORT = "short", _("Short film")
    FAMILY = "family", _("Family")


def join_codes(codes: list[str]) -> str:
    """Codes stored as " a b c ": a `contains " b "` lookup filters on one code the same
    way on SQLite and PostgreSQL (SQLite has no JSON containment lookup)."""
    return f" {' '.join(codes)} " if codes else ""


def split_codes(stored: str) -> list[str]:
    return stored.split()


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # `core.places.normalise(name)`: matching on import ignores case and accents.
    name_normalised = models.CharField(max_length=200, db_index=True, editable=False)
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ("name_normalised",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="films_person_wikidata_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Film(models.Model):
    title = models.CharField(_("French title"), max_length=300)
    original_title = models.CharField(_("original title"), max_length=300, blank=True)
    original_title_normalised = models.CharField(max_length=300, blank=True, editable=False)
    # `core.places.normalise(title)`: with the year, the key imports match on.
    title_normalised = models.CharField(max_length=300, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    runtime_minutes = models.PositiveSmallIntegerField(
        _("runtime (minutes)"), null=True, blank=True
    )
    synopsis = models.TextField(_("synopsis"), max_length=10000, blank=True)
    countries = models.CharField(_("countries"), max_length=200, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    genres = models.CharField(_("genres"), max_length=200, blank=True)
    poster = models.ImageField(_("poster"), upload_to="films/posters/", blank=True)
    poster_thumbnail = models.ImageField(upload_to="films/thumbnails/", blank=True, editable=False)
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    imdb_id = models.CharField(_("IMDb id"), max_length=20, blank=True)
    tmdb_id = models.CharField(_("TMDB id"), max_length=20, blank=True)
    # Titles, original title and directors' names, normalised and lightly stemmed: what
    # both search engines index (see `search.py`).
    search_text = models.TextField(blank=True, editable=False)
    people = models.ManyToManyField(Person, through="Credit", related_name="films")
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
        ordering = ("title_normalised", "year")
        indexes: ClassVar = [
            models.Index(fields=["title_normalised", "year"], name="films_film_title_year"),
            models.Index(
                fields=["original_title_normalised", "year"], name="films_film_original_year"
            ),
            models.Index(fields=["year"], name="films_film_year"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="films_film_wikidata_unique",
            ),
            models.UniqueConstraint(
                fields=["imdb_id"], condition=~Q(imdb_id=""), name="films_film_imdb_unique"
            ),
            models.UniqueConstraint(
                fields=["tmdb_id"], condition=~Q(tmdb_id=""), name="films_film_tmdb_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_FILM_YEAR), name="films_film_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("films:detail", args=[self.pk])

    @property
    def country_list(self) -> list[str]:
        return split_codes(self.countries)

    @property
    def language_list(self) -> list[str]:
        return split_codes(self.languages)

    @property
    def genre_list(self) -> list[str]:
        return split_codes(self.genres)

    @property
    def genre_labels(self) -> list[str]:
        return [str(Genre(code).label) for code in self.genre_list if code in Genre.values]

    @property
    def shows_original_title(self) -> bool:
        return bool(self.original_title) and self.original_title != self.title


class Credit(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        CAST = "cast", _("Cast")

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices)
    # Billing order within the role: the first director, the lead actor.
    order = models.PositiveSmallIntegerField(default=0)
    character = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("role", "order", "pk")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["film", "person", "role"], name="films_credit_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.film_id} ({self.role})"


class Availability(models.Model):
    """One legal way to see a film: a platform, a library, a cinema, a copy to borrow."""

    class Kind(models.TextChoices):
        VOD = "vod", _("Video on demand")
        TV_REPLAY = "tv_replay", _("TV replay")
        MEDIATHEQUE = "mediatheque", _("Médiathèque")
        CINEMATHEQUE = "cinematheque", _("Cinémathèque")
        INDEPENDENT_CINEMA = "independent_cinema", _("Independent cinema")
        COMMUNITY_COPY = "community_copy", _("Copy in the community library")
        PURCHASE = "purchase", _("Physical purchase")
        PUBLIC_DOMAIN = "public_domain", _("Public domain, online")

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="availabilities")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    place = models.CharField(_("place or service"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # ISO 3166 code of where it can be seen ("FR"); empty means anywhere.
    territory = models.CharField(_("territory"), max_length=2, blank=True)
    audio_languages = models.CharField(_("audio languages"), max_length=100, blank=True)
    subtitle_languages = models.CharField(_("subtitle languages"), max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)
    last_verified_at = models.DateTimeField(default=timezone.now)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when someone says it no longer holds; a later confirmation clears it.
    reported_outdated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-last_verified_at", "pk")
        verbose_name_plural = "availabilities"
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(place="", url=""), name="films_availability_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.place or self.url}"

    @property
    def is_stale(self) -> bool:
        return (
            self.reported_outdated_at is not None
            or timezone.now() - self.last_verified_at > STALE_AFTER
        )

    @property
    def audio_language_list(self) -> list[str]:
        return split_codes(self.audio_languages)

    @property
    def subtitle_language_list(self) -> list[str]:
        return split_codes(self.subtitle_languages)


class Rating(models.Model):
    """A member's rating, in half stars: 1 is half a star, 10 is five stars."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="film_ratings"
    )
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="ratings")
    half_stars = models.PositiveSmallIntegerField()
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "film"], name="films_rating_one_per_film"),
            models.CheckConstraint(
                condition=Q(half_stars__gte=1, half_stars__lte=10),
                name="films_rating_half_stars_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} rates {self.film_id}: {self.stars}"

    @property
    def stars(self) -> float:
        return self.half_stars / 2


class WatchlistEntry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist"
    )
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-added_at", "-pk")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "film"], name="films_watchlist_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} wants to see {self.film_id}"


class Recommendation(models.Model):
    """A member recommends a film, saying why, to everyone, to one network or to one member.

    Who may see it is decided in the query (`queries.visible_recommendations`): a
    recommendation to a network is invisible outside it.
    """

    class Tag(models.TextChoices):
        HIDDEN_GEM = "hidden_gem", _("Hidden gem")
        RELEASE = "release", _("Release not to miss")
        CLASSIC = "classic", _("Classic")
        CINE_CLUB = "cine_club", _("Good for a ciné-club screening")
        DEBATE = "debate", _("Sparks a debate")
        FIRST_FILM = "first_film", _("A first film")
        FAMILY = "family", _("For the whole family")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        NETWORK = "network", _("One of my networks")
        MEMBER = "member", _("One member")

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="recommendations")
    # Kept when the author deletes their account: the account is anonymised, not removed.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="film_recommendations"
    )
    why = models.TextField(_("why"), max_length=5000)
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    audience = models.CharField(_("for"), max_length=10, choices=Audience.choices)
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="film_recommendations",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="film_recommendations_received",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    Q(audience="public", network__isnull=True, recipient__isnull=True)
                    | Q(audience="network", network__isnull=False, recipient__isnull=True)
                    | Q(audience="member", network__isnull=True, recipient__isnull=False)
                ),
                name="films_recommendation_audience_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} recommends {self.film_id}"

    @property
    def tag_list(self) -> list[str]:
        return split_codes(self.tags)

    @property
    def tag_labels(self) -> list[str]:
        return [str(self.Tag(code).label) for code in self.tag_list if code in self.Tag.values]


class Reaction(models.Model):
    """What closes the loop: "thank you", "I watched it because of you". One of each per
    member and recommendation; reacting again takes it back."""

    class Kind(models.TextChoices):
        THANKS = "thanks", _("Thank you")
        WATCHED = "watched", _("Watched it because of you")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reactions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="film_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recommendation", "user", "kind"], name="films_reaction_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.recommendation_id}"


class FilmNeighbour(models.Model):
    """Item-to-item similarity from the community's ratings, recomputed by
    `discovery.recompute_neighbours` (a background task and a periodic job) and, film by
    film, after new ratings. `support` is how many members liked both films."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="neighbours")
    neighbour = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    support = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["film", "neighbour"], name="films_neighbour_once"),
        ]

    def __str__(self) -> str:
        return f"{self.film_id} ~ {self.neighbour_id}: {self.similarity:.3f}"


class FilmList(models.Model):
    """An ordered list of films with notes: a member's own (anyone may read it), or shared
    by a network (its members read and edit it; nobody else sees it)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="film_lists"
    )
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="film_lists",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("title", "pk")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("films:list_detail", args=[self.pk])


class FilmListItem(models.Model):
    film_list = models.ForeignKey(FilmList, on_delete=models.CASCADE, related_name="items")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    note = models.TextField(_("note"), max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("position", "pk")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["film_list", "film"], name="films_list_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.film_list_id} #{self.position}: {self.film_id}"
