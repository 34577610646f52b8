import io

import pytest
from django.core.management import CommandError, call_command
from zeal import zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.events.models import Event, Rsvp, Screening
from contrechamp.films import discovery
from contrechamp.films.models import Rating, Recommendation
from contrechamp.lending.models import Item
from contrechamp.networks.models import Membership, Network, RoleAssignment, RoleHandover

pytestmark = pytest.mark.django_db


def _seed() -> str:
    """Run the command as `make run` does; a batch job, so repeated per-row reads are expected."""
    output = io.StringIO()
    with zeal_ignore():
        call_command("seed_demo", "--not-a-production-site", stdout=output)
    return output.getvalue()


def _counts() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        Network.objects.count(),
        Membership.objects.count(),
        RoleAssignment.objects.count(),
        RoleHandover.objects.count(),
    )


def test_seed_demo_is_idempotent_and_prints_the_logins() -> None:
    output = _seed()
    assert "juliette" in output
    assert "contrechamp-demo" in output
    first = _counts()
    _seed()
    assert _counts() == first
    assert first[1] >= 10


def test_the_demo_has_the_three_witnesses_with_their_roles() -> None:
    _seed()
    juliette = User.objects.get(username="juliette")
    assert juliette.city_name == "Grenoble"
    assert juliette.skills.filter(slug="projection").exists()
    club = Network.objects.get(name="Ciné-club étudiant de Grenoble")
    assert RoleAssignment.objects.filter(
        network=club, user=juliette, role="admin", ended_at__isnull=True
    ).exists()
    assert RoleHandover.objects.filter(network=club, role="organiser").exists()
    assert Membership.objects.filter(user__username="nora", status="active").exists()
    assert Network.objects.filter(is_online=True, name="Forum des films rares").exists()


def test_the_demo_has_clubs_within_30_km_of_grenoble_and_beyond() -> None:
    _seed()
    grenoble = places.find_city("Grenoble")
    assert grenoble is not None
    near = places.near(Network.objects.all(), grenoble.latitude, grenoble.longitude, 30)
    names = {network.name for network in near}
    assert "Ciné-débats de la médiathèque de Voiron" in names
    assert "Les Écrans de Chambéry" not in names
    assert len(names) >= 3


def test_the_demo_refuses_to_load_on_a_site_without_debug() -> None:
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_the_demo_has_a_blu_ray_on_loan_with_someone_waiting_and_a_camera_kit() -> None:
    _seed()
    blu_ray = Item.objects.get(title__startswith="Jeanne Dielman")
    assert blu_ray.loans.filter(borrower__username="nora", status="handed_over").exists()
    assert blu_ray.loans.filter(borrower__username="sebastien").exists()
    kit = Item.objects.get(kind=Item.Kind.KIT)
    assert kit.parts.count() == 4


def test_with_the_catalogue_the_demo_rates_recommends_and_suggests_films() -> None:
    with zeal_ignore():
        call_command("load_catalogue", stdout=io.StringIO())
    _seed()
    juliette = User.objects.get(username="juliette")
    assert Rating.objects.filter(user=juliette).count() >= 3
    recommendation = Recommendation.objects.get(film__title="Les Enfants du paradis")
    assert recommendation.network is not None
    assert recommendation.network.name == "Forum des films rares"
    assert discovery.suggestions_for(juliette)


def test_with_venues_and_rights_holders_the_demo_has_the_monthly_night_and_a_festival() -> None:
    with zeal_ignore():
        for command in ("load_catalogue", "load_venues", "load_rights_holders"):
            call_command(command, stdout=io.StringIO())
    _seed()
    night = Event.objects.filter(title="Ciné-club du jeudi").order_by("starts_at")
    assert night.count() == 6
    assert {event.status for event in night} == {Event.Status.PUBLISHED}
    first = night[0]
    assert first.screenings.get().rights_status == Screening.RightsStatus.PUBLIC_DOMAIN
    assert first.shifts.count() == 4
    assert first.rsvps.filter(status=Rsvp.Status.GOING).count() == 6
    festival = Event.objects.get(kind=Event.Kind.FESTIVAL)
    assert festival.programme.count() == 3
    assert Event.objects.get(title="Nuit Kubrick").status == Event.Status.DRAFT

    _seed()  # idempotent
    assert Event.objects.filter(title="Ciné-club du jeudi").count() == 6
