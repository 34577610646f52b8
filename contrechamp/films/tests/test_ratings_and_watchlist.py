import io

import pytest
from django.urls import reverse
from PIL import Image

from contrechamp.accounts import registry
from contrechamp.core.errors import DomainError
from contrechamp.films import services
from contrechamp.films.member_data import export_member_films, forget_member_films
from contrechamp.films.models import Availability, Film, Rating, WatchlistEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("stars", "half_stars"), [("0.5", 1), ("3.5", 7), (5, 10), ("4,5", 9)])
def test_ratings_go_by_half_stars(member, classics, stars, half_stars):
    rating = services.rate_film(actor=member, film=classics["vivre"], stars=stars)

    assert rating.half_stars == half_stars


@pytest.mark.parametrize("stars", ["7", "-1", "0", "5.5", "2.25", "nan", "inf", ""])
def test_a_rating_out_of_range_is_refused(member, classics, stars):
    with pytest.raises(DomainError):
        services.rate_film(actor=member, film=classics["vivre"], stars=stars)
    assert not Rating.objects.exists()


def test_rating_again_replaces_the_rating(member, classics):
    services.rate_film(actor=member, film=classics["vivre"], stars="2")
    services.rate_film(actor=member, film=classics["vivre"], stars="4")

    assert Rating.objects.get().stars == 4.0


def test_the_watchlist_holds_a_film_once(member, classics):
    services.add_to_watchlist(actor=member, film=classics["cleo"])
    services.add_to_watchlist(actor=member, film=classics["cleo"])

    assert WatchlistEntry.objects.filter(user=member).count() == 1
    services.remove_from_watchlist(actor=member, film=classics["cleo"])
    assert not WatchlistEntry.objects.exists()


def test_rating_and_watchlist_from_the_film_page(client, member, classics):
    film = classics["cleo"]
    client.force_login(member)

    client.post(reverse("films:rate", args=[film.pk]), {"stars": "4.5"})
    client.post(reverse("films:watchlist_toggle", args=[film.pk]), {"action": "add"})

    assert Rating.objects.get(user=member).stars == 4.5
    page = client.get(reverse("films:watchlist"))
    assert "Cléo de 5 à 7" in page.content.decode()
    client.post(reverse("films:rate", args=[film.pk]), {"clear": "1"})
    assert not Rating.objects.exists()


def test_a_rating_of_7_from_the_page_is_refused_beside_the_field(client, member, classics):
    client.force_login(member)

    response = client.post(reverse("films:rate", args=[classics["cleo"].pk]), {"stars": "7"})

    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_the_watchlist_page_query_count_does_not_grow(
    client, member, make_film, django_assert_max_num_queries
):
    client.force_login(member)
    for year in range(2000, 2003):
        services.add_to_watchlist(
            actor=member, film=make_film(f"Film {year}", year, directors=["X"])
        )
    with django_assert_max_num_queries(10) as first:
        client.get(reverse("films:watchlist"))
    for year in range(2003, 2013):
        services.add_to_watchlist(
            actor=member, film=make_film(f"Film {year}", year, directors=["Y"])
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("films:watchlist"))


def test_the_export_holds_ratings_watchlist_and_places_added(member, classics):
    services.rate_film(actor=member, film=classics["vivre"], stars="5")
    services.add_to_watchlist(actor=member, film=classics["cleo"])
    services.add_availability(actor=member, film=classics["cleo"], kind="vod", place="Plateforme")
    services.recommend_film(
        actor=member, film=classics["vivre"], why="Bouleversant.", tags=[], audience="public"
    )

    exported = export_member_films(member)

    assert exported["ratings"][0]["film"] == "Vivre"
    assert exported["ratings"][0]["stars"] == 5.0
    assert exported["watchlist"][0]["film"] == "Cléo de 5 à 7"
    assert exported["availability_added"][0]["place"] == "Plateforme"
    assert exported["recommendations"][0]["why"] == "Bouleversant."
    assert "films" in {c.name for c in registry.contributors()}


def test_deletion_forgets_ratings_and_watchlist_but_keeps_places(member, classics):
    services.rate_film(actor=member, film=classics["vivre"], stars="5")
    services.add_to_watchlist(actor=member, film=classics["cleo"])
    services.add_availability(actor=member, film=classics["cleo"], kind="vod", place="Plateforme")

    forget_member_films(member)

    assert not Rating.objects.exists()
    assert not WatchlistEntry.objects.exists()
    assert Availability.objects.count() == 1


def image_bytes(fmt: str = "PNG", size=(600, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 20, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_poster_is_stored_with_a_thumbnail(member, classics, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    film = services.set_poster(
        actor=member, film=classics["cleo"], upload=upload(image_bytes(), "p.png")
    )

    assert str(film.poster.name).endswith(".png")
    with Image.open(film.poster_thumbnail.path) as thumbnail:
        assert thumbnail.size[1] <= 360


@pytest.mark.parametrize(
    "data",
    [b"<svg onload=alert(1)></svg>", b"GIF89a" + b"\x00" * 20, b"", image_bytes("GIF")],
)
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused(
    member, classics, settings, tmp_path, data
):
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(DomainError):
        services.set_poster(actor=member, film=classics["cleo"], upload=upload(data, "poster.png"))
    assert not Film.objects.get(pk=classics["cleo"].pk).poster


def test_a_poster_over_5_mb_is_refused(member, classics):
    with pytest.raises(DomainError, match="5 MB"):
        services.set_poster(
            actor=member,
            film=classics["cleo"],
            upload=upload(b"x" * (5 * 1024 * 1024 + 1), "p.jpg"),
        )


def test_the_poster_page_shows_the_error_beside_the_field(client, member, classics):
    client.force_login(member)

    response = client.post(
        reverse("films:edit_poster", args=[classics["cleo"].pk]),
        {"poster": upload(b"nope", "p.jpg")},
    )

    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in response.content.decode()


def test_the_catalogue_import_page_is_for_staff(client, member, staff):
    client.force_login(member)
    assert client.get(reverse("films:import_catalogue")).status_code == 403

    client.force_login(staff)
    csv = io.BytesIO(b"title,year,directors\nLa Jetee,1962,Chris Marker\n")
    csv.name = "films.csv"
    response = client.post(reverse("films:import_catalogue"), {"format": "csv", "file": csv})

    assert response.status_code == 200
    assert Film.objects.get().title == "La Jetee"
