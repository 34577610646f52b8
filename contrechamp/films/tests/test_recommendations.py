import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import DomainError
from contrechamp.films import queries, services
from contrechamp.films.models import Reaction, Recommendation, WatchlistEntry
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.notifications import newsletter
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(member, other_member):
    """Sébastien's rare-film forum, run by Juliette (member); Nora (other_member) joined."""
    network = network_services.create_network(
        actor=member,
        name="Forum des films rares",
        kind=Network.Kind.ONLINE_COMMUNITY,
        join_policy=Network.JoinPolicy.OPEN,
        is_online=True,
    )
    network_services.join_network(actor=other_member, network=network, accept_charter=True)
    return network


def recommend(actor, film, **kwargs):
    kwargs.setdefault("why", "Un chef-d'œuvre **méconnu**.")
    kwargs.setdefault("tags", ["hidden_gem"])
    kwargs.setdefault("audience", Recommendation.Audience.PUBLIC)
    return services.recommend_film(actor=actor, film=film, **kwargs)


def visible_to(user) -> list[int]:
    return list(queries.visible_recommendations(user).values_list("pk", flat=True))


def test_a_network_recommendation_is_invisible_outside_the_network(
    member, outsider, forum, classics
):
    rec = recommend(member, classics["enfants"], audience="network", network=forum)

    assert rec.pk in visible_to(member)
    assert rec.pk not in visible_to(outsider)
    assert rec.pk not in visible_to(None)
    assert not queries.recommendation_feed(outsider, "all").filter(pk=rec.pk).exists()


def test_a_member_who_left_the_network_no_longer_sees_it(member, other_member, forum, classics):
    rec = recommend(member, classics["enfants"], audience="network", network=forum)
    network_services.leave_network(actor=other_member, network=forum)

    assert rec.pk not in visible_to(other_member)


def test_a_recommendation_to_one_member_is_seen_by_them_only_and_they_are_told(
    member, other_member, outsider, classics
):
    rec = recommend(member, classics["cleo"], audience="member", recipient=other_member)

    assert rec.pk in visible_to(other_member)
    assert rec.pk not in visible_to(outsider)
    assert Notification.objects.filter(
        recipient=other_member, kind="films.recommended_to_you"
    ).exists()


def test_only_members_of_a_network_may_recommend_to_it(outsider, forum, classics):
    with pytest.raises(PermissionDenied):
        recommend(outsider, classics["enfants"], audience="network", network=forum)


@pytest.mark.parametrize(
    "kwargs",
    [{"why": "   "}, {"tags": ["blockbuster"]}, {"audience": "everyone"}, {"audience": "member"}],
)
def test_incomplete_recommendations_are_refused(member, classics, kwargs):
    with pytest.raises(DomainError):
        recommend(member, classics["enfants"], **kwargs)


def test_a_double_submission_makes_one_recommendation(member, classics):
    first = recommend(member, classics["enfants"])
    second = recommend(member, classics["enfants"])

    assert first.pk == second.pk


def test_reactions_toggle_once_per_member_and_watched_leaves_the_watchlist(
    member, other_member, forum, classics
):
    rec = recommend(member, classics["enfants"], audience="network", network=forum)
    services.add_to_watchlist(actor=other_member, film=classics["enfants"])

    assert services.toggle_reaction(actor=other_member, recommendation=rec, kind="watched")
    assert services.toggle_reaction(actor=other_member, recommendation=rec, kind="thanks")
    assert not services.toggle_reaction(actor=other_member, recommendation=rec, kind="thanks")

    assert list(Reaction.objects.values_list("kind", flat=True)) == ["watched"]
    assert not WatchlistEntry.objects.filter(user=other_member).exists()
    assert Notification.objects.filter(recipient=member, kind="films.reaction").count() == 2


def test_an_outsider_cannot_react_to_a_network_recommendation(member, outsider, forum, classics):
    rec = recommend(member, classics["enfants"], audience="network", network=forum)

    with pytest.raises(PermissionDenied):
        services.toggle_reaction(actor=outsider, recommendation=rec, kind="thanks")


def test_the_author_cannot_thank_themself(member, classics):
    rec = recommend(member, classics["enfants"])

    with pytest.raises(DomainError):
        services.toggle_reaction(actor=member, recommendation=rec, kind="thanks")


def test_the_feeds_split_mine_my_networks_and_public(
    member, other_member, outsider, forum, classics
):
    public = recommend(other_member, classics["vivre"])
    to_forum = recommend(other_member, classics["enfants"], audience="network", network=forum)
    to_me = recommend(outsider, classics["cleo"], audience="member", recipient=member)

    def feed(name):
        return {r.pk for r in queries.recommendation_feed(member, name)}

    assert feed("all") == {public.pk, to_forum.pk, to_me.pk}
    assert feed("mine") == {to_me.pk}
    assert feed("networks") == {to_forum.pk}
    assert feed("public") == {public.pk}


def test_the_feed_page_query_count_does_not_grow(
    client, member, other_member, classics, django_assert_max_num_queries
):
    client.force_login(member)
    with zeal_ignore():
        for film in list(classics.values())[:3]:
            recommend(other_member, film, why=f"Pour {film.title}")
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("films:recommendations"))
    with zeal_ignore():
        for n in range(10):
            author = UserFactory.create(username=f"critic{n}")
            rec = recommend(author, classics["chevaux"], why=f"Avis {n}")
            services.toggle_reaction(actor=other_member, recommendation=rec, kind="thanks")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("films:recommendations"))
    assert response.context["page_obj"].paginator.count == 13


def test_sebastien_recommends_to_his_forum_from_the_film_page(
    client, member, other_member, forum, classics
):
    film = classics["enfants"]
    client.force_login(member)

    response = client.post(
        reverse("films:recommend", args=[film.pk]),
        {
            "why": "À voir absolument.",
            "tags": ["hidden_gem"],
            "audience": "network",
            "network": forum.pk,
        },
    )

    assert response.status_code == 302
    client.force_login(other_member)
    feed = client.get(reverse("films:recommendations") + "?feed=networks").content.decode()
    assert "À voir absolument." in feed
    assert "Hidden gem" in feed
    rec = Recommendation.objects.get()
    client.post(
        reverse("films:react", args=[rec.pk]), {"kind": "watched", "next": "/recommendations/"}
    )
    assert Reaction.objects.get().user == other_member


def test_an_unknown_recipient_is_shown_beside_the_field(client, member, classics):
    client.force_login(member)

    response = client.post(
        reverse("films:recommend", args=[classics["enfants"].pk]),
        {"why": "Superbe.", "audience": "member", "recipient": "nobody-here"},
    )

    assert response.status_code == 400
    assert "No member has this username" in response.content.decode()


def test_a_network_recommendation_is_a_404_to_react_for_an_outsider(
    client, member, outsider, forum, classics
):
    rec = recommend(member, classics["enfants"], audience="network", network=forum)
    client.force_login(outsider)

    assert client.post(reverse("films:react", args=[rec.pk]), {"kind": "thanks"}).status_code == 404


def test_the_network_newsletter_lists_the_films_recommended_to_it_since_the_last_one(
    member, forum, classics
):
    recommend(member, classics["enfants"], audience="network", network=forum)
    recommend(member, classics["cleo"], audience="public")
    composed = newsletter.compose(forum, newsletter.since(None))
    films_section = next(s for s in composed if s["slug"] == "films.recommendations")
    titles = [item["title"] for item in films_section["items"]]
    assert titles == ["Les Enfants du paradis (1945)"]
