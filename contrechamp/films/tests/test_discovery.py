import pytest
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import periodic
from contrechamp.films import discovery
from contrechamp.films.models import FilmNeighbour, Rating
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network

pytestmark = pytest.mark.django_db


def test_a_hidden_gem_beats_a_blockbuster_at_equal_affinity():
    neighbours = {1: [(2, 0.5, 5), (3, 0.5, 5)]}  # same similarity to the liked film 1
    popularity = {2: 10_000, 3: 12}  # 2 is the blockbuster, 3 the hidden gem

    ranked = discovery.rank_suggestions(
        liked=[1], seen={1}, neighbours=neighbours, popularity=popularity, limit=10
    )

    assert [s.film_id for s in ranked] == [3, 2]
    assert ranked[0].because_of == 1


def test_films_already_rated_are_never_suggested():
    ranked = discovery.rank_suggestions(
        liked=[1], seen={1, 2}, neighbours={1: [(2, 0.9, 3)]}, popularity={}, limit=10
    )

    assert ranked == []


def test_neighbours_need_members_who_liked_both():
    likes = {10: [1, 2, 3], 11: [1, 2], 12: [3, 4]}

    neighbours = discovery.neighbours_from_likes(likes, min_support=2)

    assert [n[0] for n in neighbours[1]] == [2]
    assert neighbours[1][0][2] == 2  # support
    assert 4 not in neighbours


def rate(user, film, stars):
    Rating.objects.update_or_create(user=user, film=film, defaults={"half_stars": int(stars * 2)})


@pytest.fixture
def community(classics, member, other_member, make_film):
    """Nora (other_member) and three cinephiles liked Cléo and the hidden gem; everyone
    liked the blockbuster too. Juliette (member) liked Cléo only."""
    gem = make_film("Le Sel de la terre", 1987, directors=["Inconnu"])
    blockbuster = make_film("Titanic", 1997, directors=["James Cameron"])
    fans = [other_member] + [UserFactory.create(username=f"fan{n}") for n in range(3)]
    crowd = [UserFactory.create(username=f"crowd{n}") for n in range(6)]
    with zeal_ignore():
        for fan in fans:
            rate(fan, classics["cleo"], 5)
            rate(fan, gem, 4.5)
            rate(fan, blockbuster, 4)
        for person in crowd:
            rate(person, blockbuster, 4)
        rate(member, classics["cleo"], 4)
    return {"gem": gem, "blockbuster": blockbuster}


def test_suggestions_explain_themselves_and_prefer_the_hidden_gem(member, other_member, community):
    club = network_services.create_network(
        actor=member,
        name="Club",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        is_online=True,
    )
    network_services.join_network(actor=other_member, network=club, accept_charter=True)
    discovery.recompute_neighbours()

    found = discovery.suggestions_for(member)

    assert [s.film.title for s in found] == ["Le Sel de la terre", "Titanic"]
    assert found[0].because_of.title == "Cléo de 5 à 7"
    assert found[0].fellow == other_member
    assert (found[0].support, found[0].others) == (4, 3)


def test_nobody_is_named_who_does_not_share_a_network(member, community):
    discovery.recompute_neighbours()

    found = discovery.suggestions_for(member)

    assert found[0].fellow is None
    assert found[0].support == 4


def test_a_member_without_likes_gets_no_suggestion(outsider, community):
    discovery.recompute_neighbours()

    assert discovery.suggestions_for(outsider) == []


def test_a_new_rating_refreshes_that_films_neighbours(member, community, classics):
    discovery.recompute_neighbours()
    before = FilmNeighbour.objects.filter(film=classics["vivre"]).count()
    with zeal_ignore():
        for person in Rating.objects.filter(film=community["gem"]).select_related("user"):
            rate(person.user, classics["vivre"], 5)

    discovery.refresh_film_neighbours(classics["vivre"].pk)

    assert before == 0
    assert FilmNeighbour.objects.filter(film=classics["vivre"], neighbour=community["gem"]).exists()
    assert FilmNeighbour.objects.filter(film=community["gem"], neighbour=classics["vivre"]).exists()


def test_recomputation_is_a_periodic_job():
    assert "films.recompute_neighbours" in {job.name for job in periodic.jobs()}


def test_the_discover_page_shows_reasons_with_a_constant_query_count(
    client, member, community, django_assert_max_num_queries
):
    discovery.recompute_neighbours()
    client.force_login(member)

    with django_assert_max_num_queries(14) as first:
        response = client.get(reverse("films:discover"))

    html = response.content.decode()
    assert "Le Sel de la terre" in html
    assert "Because 4 members who liked" in html
    with zeal_ignore():
        for n in range(10):
            fan = UserFactory.create(username=f"late{n}")
            rate(fan, community["gem"], 5)
            rate(fan, community["blockbuster"], 5)
    discovery.recompute_neighbours()
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("films:discover"))


def test_the_discover_page_invites_to_rate_when_there_is_nothing(client, outsider):
    client.force_login(outsider)

    assert "Rate a few films" in client.get(reverse("films:discover")).content.decode()


def test_rating_and_importing_queue_the_neighbour_refresh(
    member, classics, django_capture_on_commit_callbacks
):
    from contrechamp.films import services

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.rate_film(actor=member, film=classics["cleo"], stars="4")
    with django_capture_on_commit_callbacks(execute=True) as more:
        services.import_letterboxd(
            actor=member,
            filename="ratings.csv",
            data=b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Ikiru,1952,u,5\n",
        )

    assert len(callbacks) == 1
    assert len(more) == 1
