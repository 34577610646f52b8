from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrechamp.accounts.models import User
from contrechamp.api.models import ApiToken
from contrechamp.api.tests.conftest import ApiClient, make_token
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.stories import services
from contrechamp.stories.models import Endorsement, PersonTag, Story


def _story(author: User, **kwargs: object) -> Story:
    kwargs.setdefault("title", "Un projecteur pour trois clubs")
    kwargs.setdefault("body", "Tout l'été.")
    kwargs.setdefault("publish", True)
    return services.create_story(actor=author, **kwargs)  # type: ignore[arg-type]


def test_published_stories_are_listed_with_their_shown_tags(
    api: ApiClient, member: User, other_member: User, club: Network
) -> None:
    story = _story(member, networks=[club], people=[other_member])
    _story(member, title="Brouillon", publish=False)

    items = api.get("/api/stories").json()["items"]

    assert [item["id"] for item in items] == [story.pk]
    assert items[0]["networks"] == [{"slug": club.slug, "name": club.name}]
    assert items[0]["people"] == []
    services.answer_tag(actor=other_member, tag=PersonTag.objects.get(), accept=True)
    by_person = api.get("/api/stories", {"person": other_member.username}).json()["items"]
    assert by_person[0]["people"][0]["username"] == other_member.username


def test_the_story_list_costs_the_same_queries_for_more_stories(
    api: ApiClient, member: User, club: Network
) -> None:
    _story(member, networks=[club])
    with CaptureQueriesContext(connection) as few:
        api.get("/api/stories")
    for number in range(5):
        _story(member, title=f"Récit {number}", networks=[club])
    with CaptureQueriesContext(connection) as many:
        api.get("/api/stories")

    assert len(many) == len(few)


def test_a_draft_is_read_only_by_its_author(
    api: ApiClient, member: User, write_token: str, other_token: str
) -> None:
    draft = _story(member, publish=False)

    assert api.get(f"/api/stories/{draft.pk}").status_code == 404
    assert api.get(f"/api/stories/{draft.pk}", token=other_token).status_code == 404
    mine = api.get(f"/api/stories/{draft.pk}", token=write_token)
    assert mine.status_code == 200
    assert mine.json()["body"] == "Tout l'été."


def test_a_member_recommends_a_network_then_changes_it(
    api: ApiClient, member: User, write_token: str, club: Network
) -> None:
    network_services.join_network(actor=member, network=club, accept_charter=True)

    created = api.post(
        f"/api/networks/{club.slug}/endorsements", {"text": "Bien."}, token=write_token
    )
    changed = api.post(
        f"/api/networks/{club.slug}/endorsements", {"text": "Très bien."}, token=write_token
    )
    listed = api.get(f"/api/networks/{club.slug}/endorsements").json()["items"]

    assert created.status_code == 201
    assert changed.status_code == 200
    assert [item["text"] for item in listed] == ["Très bien."]


def test_recommending_needs_a_write_token_and_the_right_standing(
    api: ApiClient,
    member: User,
    other_member: User,
    other_token: str,
    write_token: str,
    club: Network,
) -> None:
    read_token = make_token(member, ApiToken.Scope.READ)
    path = f"/api/networks/{club.slug}/endorsements"

    assert api.post(path, {"text": "Bien."}, token=read_token).status_code in (401, 403)
    assert api.post(path, {"text": "Bien."}, token=other_token).status_code == 403  # its admin
    assert api.post(path, {"text": "Bien."}, token=write_token).status_code == 403  # a stranger
    assert api.post(path, {"text": ""}, token=write_token).status_code == 422
    assert api.post(path, {"text": "Bien.", "story_id": 999}, token=write_token).status_code == 422
    assert (
        api.post(
            "/api/networks/nope/endorsements", {"text": "Bien."}, token=write_token
        ).status_code
        == 404
    )
    assert not Endorsement.objects.exists()
