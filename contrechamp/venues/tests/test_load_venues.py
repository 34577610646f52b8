import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from contrechamp.core import places
from contrechamp.venues import services
from contrechamp.venues.management.commands.load_venues import VENUES
from contrechamp.venues.models import Venue

pytestmark = pytest.mark.django_db


def shipped_rows() -> list[dict[str, str]]:
    with VENUES.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def load() -> str:
    out = io.StringIO()
    call_command("load_venues", stdout=out)
    return out.getvalue()


def test_the_shipped_file_lists_at_least_40_real_places_each_in_a_known_town():
    rows = shipped_rows()

    assert len(rows) >= 40
    for row in rows:
        assert places.find_city(row["city"]) is not None, row
        assert row["kind"] in Venue.Kind.values, row


def test_loading_the_shipped_venues_places_each_one_in_its_town():
    rows = shipped_rows()

    output = load()

    assert f"{len(rows)} venues: {len(rows)} added, 0 already listed." in output
    assert Venue.objects.count() == len(rows)
    champo = Venue.objects.get(name="Le Champo")
    paris = places.find_city("Paris")
    assert paris is not None
    assert (champo.city_name, champo.latitude, champo.longitude) == (
        "Paris",
        paris.latitude,
        paris.longitude,
    )
    assert champo.capacity is None
    assert champo.created_by is None


def test_loading_twice_adds_nothing_and_leaves_members_edits_alone(member):
    load()
    zola = Venue.objects.get(name="Le Zola")
    zola.capacity = 240
    zola.save(update_fields=["capacity"])
    count = Venue.objects.count()

    output = load()

    assert f"0 added, {count} already listed." in output
    assert Venue.objects.count() == count
    zola.refresh_from_db()
    assert zola.capacity == 240


def csv_bytes(*rows: str) -> bytes:
    return ("name,kind,address,postcode,city,website\n" + "\n".join(rows) + "\n").encode()


def test_an_import_with_a_bad_row_writes_nothing_and_names_the_lines():
    report = services.import_venues_csv(
        actor=None,
        data=csv_bytes(
            "Le Star,independent_cinema,,,Strasbourg,",
            "Le Nulle Part,independent_cinema,,,Nulle-Part-sur-Mer,",
            "Le Palace,palace,,,Paris,",
            "le star,independent_cinema,,,Strasbourg,",
        ),
    )

    assert not report.applied
    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "We do not know the city “Nulle-Part-sur-Mer”."),
        (4, "Choose a type of venue from the list."),
        (5, "The same venue is on line 2."),
    ]
    assert not Venue.objects.exists()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b"nom,ville\nLe Star,Strasbourg\n", "Columns missing: name, kind, city."),
        (b"x" * (services.IMPORT_MAX_BYTES + 1), "too large"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(data, reason):
    report = services.import_venues_csv(actor=None, data=data)

    assert report.rejected[0].line == 0
    assert reason in report.rejected[0].reason
    assert not Venue.objects.exists()


def test_the_command_fails_loudly_on_a_bad_file(tmp_path):
    bad = tmp_path / "venues.csv"
    bad.write_bytes(csv_bytes("Le Nulle Part,independent_cinema,,,Nulle-Part-sur-Mer,"))
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command("load_venues", file=bad, stderr=err)

    assert "line 2: We do not know the city" in err.getvalue()


def test_only_the_site_staff_import_venues_from_the_site(member, staff):
    with pytest.raises(PermissionDenied):
        services.import_venues_csv(
            actor=member, data=csv_bytes("Le Star,independent_cinema,,,Strasbourg,")
        )

    report = services.import_venues_csv(
        actor=staff, data=csv_bytes("Le Star,independent_cinema,,,Strasbourg,")
    )

    assert report.created == 1
    assert Venue.objects.get().created_by == staff
