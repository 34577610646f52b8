import io
import zipfile

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from contrechamp.films import imports, services
from contrechamp.films.models import Rating, WatchlistEntry

pytestmark = pytest.mark.django_db

RATINGS = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-01-05,Ikiru,1952,https://boxd.it/1a,4.5\n"
    "2024-01-06,Cléo de 5 à 7,1962,https://boxd.it/1b,5\n"
    "2024-01-07,Some Film Not Here,2011,https://boxd.it/1c,2\n"
)
WATCHLIST = (
    "Date,Name,Year,Letterboxd URI\n"
    "2024-02-01,Les Enfants du paradis,1945,https://boxd.it/2a\n"
    "2024-02-02,They Shoot Horses Don't They?,1969,https://boxd.it/2b\n"
)
WATCHED = (
    "Date,Name,Year,Letterboxd URI\n2024-03-01,Les Enfants du paradis,1945,https://boxd.it/2a\n"
)
DIARY = (
    "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
    "2024-04-01,Ikiru,1952,https://boxd.it/d1,3,Yes,,2024-03-30\n"
)


def export_zip(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{name}.csv", text)
        archive.writestr("profile.csv", "Date Joined,Username\n2020-01-01,nora\n")
    return buffer.getvalue()


def stars_of(user) -> dict[str, float]:
    return {r.film.title: r.stars for r in Rating.objects.filter(user=user).select_related("film")}


def test_ratings_csv_fills_the_members_ratings_by_original_or_french_title(member, classics):
    report = services.import_letterboxd(actor=member, filename="ratings.csv", data=RATINGS.encode())

    assert report.applied
    assert stars_of(member) == {"Vivre": 4.5, "Cléo de 5 à 7": 5.0}
    assert report.not_found == ["Some Film Not Here (2011)"]


def test_the_zip_fills_ratings_and_watchlist_and_a_later_diary_rating_wins(member, classics):
    data = export_zip(ratings=RATINGS, watchlist=WATCHLIST, diary=DIARY)

    report = services.import_letterboxd(actor=member, filename="letterboxd-nora.zip", data=data)

    assert report.applied
    assert stars_of(member) == {"Vivre": 3.0, "Cléo de 5 à 7": 5.0}
    watchlist = WatchlistEntry.objects.filter(user=member).select_related("film")
    # Punctuation does not matter: "Horses Don't" matches "Horses, Don't".
    assert {e.film.title for e in watchlist} == {
        "Les Enfants du paradis",
        "On achève bien les chevaux",
    }


def test_a_watched_film_leaves_the_watchlist(member, classics):
    services.import_letterboxd(actor=member, filename="watchlist.csv", data=WATCHLIST.encode())

    services.import_letterboxd(actor=member, filename="watched.csv", data=WATCHED.encode())

    left = WatchlistEntry.objects.filter(user=member).select_related("film")
    assert [e.film.title for e in left] == ["On achève bien les chevaux"]


def test_importing_the_same_export_twice_changes_nothing(member, classics):
    data = export_zip(ratings=RATINGS, watchlist=WATCHLIST)
    services.import_letterboxd(actor=member, filename="export.zip", data=data)

    again = services.import_letterboxd(actor=member, filename="export.zip", data=data)

    assert (again.created, again.updated) == (0, 0)
    assert Rating.objects.filter(user=member).count() == 2


@pytest.mark.parametrize("rating", ["7", "-1", "0", "2.3", "abc", "1e9999999"])
def test_a_rating_out_of_range_refuses_the_whole_import(member, classics, rating):
    data = RATINGS + f"2024-01-08,Vivre,1952,https://boxd.it/1d,{rating}\n"

    report = services.import_letterboxd(actor=member, filename="ratings.csv", data=data.encode())

    assert not report.applied
    assert report.rejected[0].line == 5
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("ratings.csv", b"Title,When\nx,y\n"),
        ("export.zip", b"PK\x03\x04 truncated"),
        ("export.zip", b"not a zip at all"),
        ("ratings.csv", "Name,Year\nÉté,1951\n".encode("latin-1")),
    ],
)
def test_a_malformed_export_is_reported_and_nothing_changes(member, classics, filename, data):
    report = services.import_letterboxd(actor=member, filename=filename, data=data)

    assert not report.applied
    assert report.rejected[0].line == 0


def test_a_zip_without_export_files_is_reported(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    report = services.import_letterboxd(actor=member, filename="x.zip", data=buffer.getvalue())

    assert "none of the Letterboxd export files" in report.rejected[0].reason


def test_a_zip_that_inflates_beyond_the_limit_is_refused_unread(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ratings.csv", "Name,Year\n" + "a" * (imports.MAX_UNZIPPED_BYTES + 10))

    report = services.import_letterboxd(actor=member, filename="x.zip", data=buffer.getvalue())

    assert "too large" in report.rejected[0].reason


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000), name=st.sampled_from(["ratings.csv", "export.zip", "x"]))
def test_any_bytes_give_a_letterboxd_report(data, name):
    imports.parse_letterboxd(name, data)


@settings(max_examples=60, deadline=None)
@given(
    files=st.dictionaries(
        st.sampled_from(["ratings", "watched", "diary"]), st.text(max_size=300), max_size=3
    )
)
def test_any_zip_content_gives_a_letterboxd_report(files):
    imports.parse_letterboxd("export.zip", export_zip(**files))


def test_the_import_page_shows_the_report(client, member, classics):
    client.force_login(member)
    upload = io.BytesIO(RATINGS.encode())
    upload.name = "ratings.csv"

    response = client.post(reverse("films:import_letterboxd"), {"file": upload})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Some Film Not Here (2011)" in html
    assert stars_of(member)["Vivre"] == 4.5


def test_the_import_page_lists_rejected_rows(client, member, classics):
    client.force_login(member)
    upload = io.BytesIO((RATINGS + "2024-01-08,Vivre,1952,u,7\n").encode())
    upload.name = "ratings.csv"

    response = client.post(reverse("films:import_letterboxd"), {"file": upload})

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()


def test_a_file_over_10_mb_is_refused_beside_the_field(client, member, settings):
    client.force_login(member)
    upload = io.BytesIO(b"a" * (10 * 1024 * 1024 + 1))
    upload.name = "ratings.csv"

    response = client.post(reverse("films:import_letterboxd"), {"file": upload})

    assert response.status_code == 200
    assert "10 MB at most" in response.content.decode()
