import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contrechamp.core.errors import DomainError
from contrechamp.films import queries, services
from contrechamp.films.models import FilmListItem
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(member, other_member):
    network = network_services.create_network(
        actor=member,
        name="Ciné-club étudiant",
        kind=Network.Kind.STUDENT_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        is_online=True,
    )
    network_services.join_network(actor=other_member, network=network, accept_charter=True)
    return network


def titles(film_list) -> list[str]:
    items = FilmListItem.objects.filter(film_list=film_list).select_related("film")
    return [item.film.title for item in items]


def test_a_personal_list_keeps_its_order_and_notes(member, classics):
    films = services.create_list(actor=member, title="Mes années 60")
    services.add_to_list(actor=member, film_list=films, film=classics["cleo"], note="Paris, 1961.")
    services.add_to_list(actor=member, film_list=films, film=classics["chevaux"])
    services.add_to_list(actor=member, film_list=films, film=classics["cleo"])  # already there

    assert titles(films) == ["Cléo de 5 à 7", "On achève bien les chevaux"]
    assert FilmListItem.objects.get(film=classics["cleo"]).note == "Paris, 1961."


def test_moving_a_film_swaps_it_with_its_neighbour(member, classics):
    films = services.create_list(actor=member, title="Ordre")
    first = services.add_to_list(actor=member, film_list=films, film=classics["cleo"])
    second = services.add_to_list(actor=member, film_list=films, film=classics["vivre"])

    services.move_in_list(actor=member, item=second, up=True)
    assert titles(films) == ["Vivre", "Cléo de 5 à 7"]
    services.move_in_list(actor=member, item=second, up=True)  # already first: nothing
    services.remove_from_list(actor=member, item=first)
    assert titles(films) == ["Vivre"]


def test_only_the_owner_edits_a_personal_list(member, other_member, classics):
    films = services.create_list(actor=member, title="À moi")

    with pytest.raises(PermissionDenied):
        services.add_to_list(actor=other_member, film_list=films, film=classics["cleo"])


def test_a_network_list_is_edited_by_its_members_and_invisible_outside(
    member, other_member, outsider, club, classics
):
    shared = services.create_list(actor=member, title="Programme du jeudi", network=club)

    services.add_to_list(actor=other_member, film_list=shared, film=classics["enfants"])

    assert titles(shared) == ["Les Enfants du paradis"]
    assert shared in queries.visible_lists(other_member)
    assert shared not in queries.visible_lists(outsider)
    assert shared not in queries.visible_lists(None)
    with pytest.raises(PermissionDenied):
        services.add_to_list(actor=outsider, film_list=shared, film=classics["cleo"])


def test_only_members_make_a_list_for_a_network(outsider, club):
    with pytest.raises(PermissionDenied):
        services.create_list(actor=outsider, title="Intrus", network=club)


def test_a_list_needs_a_title(member):
    with pytest.raises(DomainError):
        services.create_list(actor=member, title="   ")


def test_lists_from_the_pages(client, member, outsider, club, classics):
    client.force_login(member)
    response = client.post(reverse("films:lists"), {"title": "Le club", "network": club.pk})
    assert response.status_code == 302
    list_url = response["Location"]
    film_list = queries.editable_lists(member).get()

    client.post(
        reverse("films:add_to_list", args=[classics["vivre"].pk]),
        {"film_list": film_list.pk, "note": "Pour *jeudi*"},
    )

    page = client.get(list_url).content.decode()
    assert "Vivre" in page
    assert "<em>jeudi</em>" in page
    client.force_login(outsider)
    assert client.get(list_url).status_code == 404
    response = client.post(
        reverse("films:add_to_list", args=[classics["cleo"].pk]), {"film_list": film_list.pk}
    )
    assert response.status_code == 400


def test_the_lists_page_query_count_does_not_grow(
    client, member, classics, django_assert_max_num_queries
):
    client.force_login(member)
    for n in range(3):
        services.create_list(actor=member, title=f"Liste {n}")
    with django_assert_max_num_queries(10) as first:
        client.get(reverse("films:lists"))
    for n in range(3, 13):
        film_list = services.create_list(actor=member, title=f"Liste {n}")
        services.add_to_list(actor=member, film_list=film_list, film=classics["cleo"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("films:lists"))
