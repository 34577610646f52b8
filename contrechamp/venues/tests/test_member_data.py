import pytest

from contrechamp.accounts import services as account_services

pytestmark = pytest.mark.django_db


def venues_part(export: dict[str, object]) -> list[dict[str, object]]:
    part = export["venues"]
    assert isinstance(part, list)
    return part


def test_the_export_lists_the_venues_i_added(make_venue, member, other_member):
    make_venue(name="Le Zola", city="Villeurbanne")
    make_venue(name="Le Méliès", city="Grenoble", by=other_member)

    mine = venues_part(account_services.export_member_data(actor=member, member=member))

    assert [(venue["name"], venue["city"]) for venue in mine] == [("Le Zola", "Villeurbanne")]
