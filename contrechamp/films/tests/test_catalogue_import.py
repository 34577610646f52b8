import copy
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contrechamp.films import imports, search, services
from contrechamp.films.models import Credit, Film, Person

pytestmark = pytest.mark.django_db

HEADER = (
    "title,original_title,year,directors,cast,countries,languages,genres,runtime,"
    "wikidata,imdb,tmdb\n"
)
GOOD = (
    HEADER
    + "Les Enfants du paradis,,1945,Marcel Carné,Arletty|Jean-Louis Barrault,FR,fr,"
    + "drama|romance,,,tt0037674,\n"
    + "Cléo de 5 à 7,,1962,Agnès Varda,Corinne Marchand,FR|IT,fr,drama,,,,\n"
    + "Vivre,Ikiru,1952,Akira Kurosawa,,JP,ja,drama,,,,\n"
)


def csv_import(text: str, actor=None) -> services.ImportReport:
    return services.import_catalogue_csv(actor=actor, data=text.encode())


def test_a_csv_import_creates_films_people_and_credits():
    report = csv_import(GOOD)

    assert report.applied
    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    enfants = Film.objects.get(title="Les Enfants du paradis")
    assert enfants.imdb_id == "tt0037674"
    assert enfants.country_list == ["FR"]
    assert enfants.genre_list == ["drama", "romance"]
    cast = enfants.credits.filter(role=Credit.Role.CAST).select_related("person").order_by("order")
    assert [c.person.name for c in cast] == ["Arletty", "Jean-Louis Barrault"]
    assert [f.title for f in search.matching_films("enfants paradis")] == ["Les Enfants du paradis"]


def test_running_the_same_import_twice_creates_nothing_more():
    csv_import(GOOD)

    again = csv_import(GOOD)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Film.objects.count() == 3
    assert Person.objects.count() == 6
    assert Credit.objects.count() == 6


def test_an_import_matches_on_normalised_title_and_year_and_fills_what_is_missing():
    csv_import(HEADER + "Les enfants du Paradis,,1945,,,,,,,,,\n")

    report = csv_import(GOOD)

    assert (report.created, report.updated) == (2, 1)
    film = Film.objects.get(year=1945)
    assert film.title == "Les enfants du Paradis"  # what was there is kept
    assert film.imdb_id == "tt0037674"
    assert film.credits.filter(role=Credit.Role.DIRECTOR).count() == 1


def test_an_import_matches_on_an_identifier_before_the_title():
    csv_import(HEADER + "Children of Paradise,,1945,,,,,,,,tt0037674,\n")

    report = csv_import(GOOD)

    assert report.updated == 1
    assert Film.objects.filter(year=1945).count() == 1


def test_same_title_with_different_years_makes_two_films():
    report = csv_import(
        HEADER + "Judex,,1916,Louis Feuillade,,,,,,,,\nJudex,,1963,Georges Franju,,,,,,,,\n"
    )

    assert report.created == 2


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Futur,,3000,,,,,,,,,", "The year must be between"),
        ("Sans année,,,,,,,,,,,", "The year must be a number"),
        (",,1950,,,,,,,,,", "The title is missing"),
        ("Film,,1950,,,France,,,,,,", "two-letter codes"),
        ("Film,,1950,,,,,opera,,,,", "Unknown genre"),
        ("Film,,1950,,,,,,-5,,,", "runtime"),
        ("Film,,1950,,,,,,,12345,,", "Wikidata id"),
        ("Film,,1950,,,,,,,,imdb,", "IMDb id"),
        ("Film,,1950,,,,,,,,,,extra cell", "more cells"),
    ],
)
def test_one_bad_row_and_nothing_is_imported(line, reason):
    report = csv_import(GOOD + line + "\n")

    assert not report.applied
    assert reason in " ".join(r.reason for r in report.rejected)
    assert Film.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_film_twice_in_the_same_file_is_rejected_with_its_line():
    report = csv_import(GOOD + "les enfants du paradis,,1945,,,,,,,,,\n")

    assert [r.line for r in report.rejected] == [5]
    assert "line 2" in report.rejected[0].reason
    assert Film.objects.count() == 0


def test_identifiers_naming_two_different_films_are_rejected():
    csv_import(GOOD + "Playtime,,1967,,,,,,,Q10,,\n")

    report = csv_import(HEADER + "Autre film,,1990,,,,,,,Q10,tt0037674,\n")

    assert not report.applied
    assert "two different films" in report.rejected[0].reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"title,directors\nFilm,Moi\n", "Missing columns: year"),
        (GOOD.encode("utf-16"), "UTF-8"),
        ("é".encode("latin-1") + b",1950\n", "UTF-8"),
        (b"", "Missing columns"),
        (b"PK\x03\x04\x00\x00", "not a CSV file"),
    ],
)
def test_an_unreadable_file_is_reported_as_a_whole(data, reason):
    report = services.import_catalogue_csv(actor=None, data=data)

    assert not report.applied
    assert report.rejected[0].line == 0
    assert reason in report.rejected[0].reason


def test_only_staff_import_into_the_catalogue(member, staff):
    with pytest.raises(PermissionDenied):
        csv_import(GOOD, actor=member)

    assert csv_import(GOOD, actor=staff).created == 3


def test_the_shipped_catalogue_loads_and_loads_again_without_duplicates():
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    count = Film.objects.count()
    call_command("load_catalogue", stdout=out)

    assert count >= 500
    assert Film.objects.count() == count
    assert "0 added" in out.getvalue().splitlines()[-1]
    assert search.matching_films("enfants paradis")[0].title == "Les Enfants du paradis"
    assert [f.title for f in search.matching_films("cleo")] == ["Cléo de 5 à 7"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_a_catalogue_report_never_an_exception(data):
    parsed = imports.parse_catalogue_csv(data)

    assert isinstance(parsed.rows, list)
    assert all(r.reason for r in parsed.rejections)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('abc,"|\n\r 19é0Q-tx')), max_size=400))
def test_any_csv_like_text_gives_a_report(text):
    imports.parse_catalogue_csv((HEADER + text).encode())


# -- Wikidata entity JSON ------------------------------------------------------------


def entity(qid="Q1217366", **claims) -> dict:
    return {
        "type": "item",
        "id": qid,
        "labels": {
            "fr": {"language": "fr", "value": "Les Enfants du paradis"},
            "en": {"language": "en", "value": "Children of Paradise"},
        },
        "claims": {
            prop: [
                {
                    "mainsnak": {
                        "snaktype": "value",
                        "property": prop,
                        "datavalue": {"value": value, "type": "x"},
                    },
                    "type": "statement",
                    "rank": "normal",
                }
                for value in values
            ]
            for prop, values in claims.items()
        },
    }


ENTITY = entity(
    P577=[
        {"time": "+1945-03-09T00:00:00Z", "precision": 11, "calendarmodel": "x"},
        {"time": "+1946-02-15T00:00:00Z", "precision": 11, "calendarmodel": "x"},
    ],
    P495=[{"entity-type": "item", "numeric-id": 142, "id": "Q142"}],
    P2047=[{"amount": "+190", "unit": "http://www.wikidata.org/entity/Q7727"}],
    P345=["tt0037674"],
    P57=[{"entity-type": "item", "numeric-id": 51544, "id": "Q51544"}],
)


def wikidata(document: dict) -> bytes:
    return json.dumps(document).encode()


def test_a_wikidata_entity_gives_a_film_with_its_facts():
    report = services.import_wikidata(actor=None, data=wikidata({"entities": {"Q1217366": ENTITY}}))

    assert report.created == 1
    film = Film.objects.get()
    assert (film.title, film.original_title, film.year) == (
        "Les Enfants du paradis",
        "Children of Paradise",
        1945,
    )
    assert film.country_list == ["FR"]
    assert film.runtime_minutes == 190
    assert (film.wikidata_id, film.imdb_id) == ("Q1217366", "tt0037674")


def test_a_wikidata_director_is_linked_when_the_person_is_known_by_id():
    Person.objects.create(name="Marcel Carné", name_normalised="marcel carne", wikidata_id="Q51544")

    services.import_wikidata(actor=None, data=wikidata({"entities": {"Q1217366": ENTITY}}))

    assert Film.objects.get().credits.get().person.name == "Marcel Carné"


def test_a_wikidata_import_completes_the_film_imported_from_csv():
    csv_import(HEADER + "Les Enfants du paradis,,1945,Marcel Carné,,,,,,,,\n")

    report = services.import_wikidata(actor=None, data=wikidata({"entities": {"Q1217366": ENTITY}}))
    again = services.import_wikidata(actor=None, data=wikidata({"entities": {"Q1217366": ENTITY}}))

    assert (report.created, report.updated, again.unchanged) == (0, 1, 1)
    assert Film.objects.get().wikidata_id == "Q1217366"


@pytest.mark.parametrize(
    "document",
    [
        {"entities": {"Q1": entity("Q1")}},  # no publication date
        {"entities": {"Q1": "text"}},
        {"entities": []},
        [],
    ],
)
def test_a_wikidata_document_without_what_we_need_is_rejected(document):
    report = services.import_wikidata(actor=None, data=wikidata(document))

    assert not report.applied
    assert Film.objects.count() == 0


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_a_wikidata_report(data):
    imports.parse_wikidata(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(
    claims=st.dictionaries(st.sampled_from(["P577", "P495", "P2047", "P345", "P57"]), json_values)
)
def test_any_json_shape_gives_a_wikidata_report(claims):
    document = {
        "entities": {"Q5": {"id": "Q5", "labels": {"fr": {"value": "Titre"}}, "claims": claims}}
    }
    imports.parse_wikidata(json.dumps(document).encode())


def test_deeply_nested_json_is_rejected_not_crashed():
    parsed = imports.parse_wikidata(b"[" * 100000 + b"]" * 100000)

    assert parsed.rejections


def test_a_nul_character_in_a_wikidata_label_is_dropped():
    document = {"entities": {"Q1217366": copy.deepcopy(ENTITY)}}
    document["entities"]["Q1217366"]["labels"]["fr"]["value"] = "Les Enfants\u0000 du paradis"

    services.import_wikidata(actor=None, data=wikidata(document))

    assert Film.objects.get().title == "Les Enfants du paradis"
