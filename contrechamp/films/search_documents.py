"""What the site's one search finds in the catalogue: films and people (see
`contrechamp.search.registry`). `services.reindex_films` keeps both in step."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contrechamp.films.models import Credit, Film, Person
from contrechamp.search import registry

FILMS_SHOWN_PER_PERSON = 3


def film_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    """Every film is public: found by its titles, its year and its directors."""
    directors: dict[int, list[str]] = defaultdict(list)
    for film_id, name in (
        Credit.objects.filter(film_id__in=ids, role=Credit.Role.DIRECTOR)
        .order_by("order", "pk")
        .values_list("film_id", "person__name")
    ):
        directors[film_id].append(name)
    films = Film.objects.filter(pk__in=ids).only("pk", "title", "original_title", "year")
    for film in films:
        names = directors[film.pk]
        facts = [film.original_title] if film.shows_original_title else []
        facts += [str(film.year), ", ".join(names)]
        yield registry.Entry(
            object_id=film.pk,
            title=film.title,
            url=film.get_absolute_url(),
            words=[film.title, film.original_title, str(film.year), *names],
            text=" · ".join(fact for fact in facts if fact),
        )


def person_entries(ids: Sequence[int]) -> Iterable[registry.Entry]:
    """People credited in at least one film, shown with their latest films."""
    films: dict[int, list[str]] = defaultdict(list)
    for person_id, title, year in (
        Credit.objects.filter(person_id__in=ids)
        .order_by("person_id", "-film__year", "film_id")
        .values_list("person_id", "film__title", "film__year")
    ):
        if len(films[person_id]) < FILMS_SHOWN_PER_PERSON:
            films[person_id].append(f"{title} ({year})")
    for person in Person.objects.filter(pk__in=list(films)).only("pk", "name"):
        yield registry.Entry(
            object_id=person.pk,
            title=person.name,
            url=reverse("films:person", args=[person.pk]),
            words=[person.name],
            text=", ".join(films[person.pk]),
        )


def people_of_films(film_ids: Sequence[int]) -> Iterable[int]:
    return (
        Credit.objects.filter(film_id__in=film_ids)
        .values_list("person_id", flat=True)
        .distinct()
        .order_by()
    )


def register_search() -> None:
    registry.register(
        registry.Provider(
            kind="films",
            label=_("Films"),
            position=10,
            entries=film_entries,
            all_ids=lambda: Film.objects.values_list("pk", flat=True),
        )
    )
    registry.register(
        registry.Provider(
            kind="people",
            label=_("People"),
            position=20,
            entries=person_entries,
            all_ids=lambda: Person.objects.values_list("pk", flat=True),
            # A new film's credits add to its people's filmographies.
            follows={"films": people_of_films},
        )
    )
