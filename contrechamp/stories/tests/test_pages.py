from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.stories import services
from contrechamp.stories.models import Endorsement, PersonTag, Story

from .conftest import MakeStory, make_network, png


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_the_list_filters_by_words_network_and_person(
    client: Client, make_story: MakeStory, other_member: User, club: Network
) -> None:
    tagged = make_story(title="Le projecteur voyageur", networks=[club], people=[other_member])
    services.answer_tag(actor=other_member, tag=PersonTag.objects.get(), accept=True)
    make_story(title="Une autre histoire")
    make_story(title="Un brouillon voyageur", publish=False)

    by_words = client.get("/stories/", {"q": "voyageur"}).content.decode()
    by_network = client.get("/stories/", {"network": club.slug}).content.decode()
    by_person = client.get("/stories/", {"person": other_member.username}).content.decode()

    assert tagged.title in by_words and "brouillon" not in by_words
    assert tagged.title in by_network and "Une autre histoire" not in by_network
    assert tagged.title in by_person and "Une autre histoire" not in by_person


def test_the_list_costs_the_same_queries_for_more_stories(
    client: Client, make_story: MakeStory, club: Network, other_member: User
) -> None:
    make_story(networks=[club], people=[other_member])
    few = _queries(client, "/stories/")
    for number in range(6):
        make_story(title=f"Récit {number}", networks=[club], people=[other_member])
    PersonTag.objects.update(status=PersonTag.Status.ACCEPTED)

    assert _queries(client, "/stories/") == few


def test_the_story_page_costs_the_same_queries_for_more_comments_tags_and_images(
    client: Client, make_story: MakeStory, member: User, other_member: User, club: Network
) -> None:
    story = make_story(networks=[club])
    services.add_comment(actor=other_member, story=story, body="Bravo")
    client.force_login(other_member)
    few = _queries(client, story.get_absolute_url())
    second = make_network(member, "Les Écrans de Chambéry")
    people = UserFactory.create_batch(3)
    services.update_story(
        actor=member,
        story=story,
        title=story.title,
        body=story.body + "\n\n[[image 1]]",
        networks=[club, second],
        people=people,
        publish=True,
    )
    PersonTag.objects.update(status=PersonTag.Status.ACCEPTED)
    for number in range(3):
        services.add_comment(actor=other_member, story=story, body=f"Merci {number}")
        services.add_image(actor=member, story=story, upload=png(), alt_text=f"Photo {number}")

    assert _queries(client, story.get_absolute_url()) == few


def test_a_draft_is_a_404_for_others(client: Client, make_story: MakeStory, outsider: User) -> None:
    story = make_story(publish=False)

    assert client.get(story.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_story_is_written_through_the_page_with_an_unknown_network_kept_as_typed(
    client: Client, member: User, club: Network
) -> None:
    client.force_login(member)
    data = {"title": "Notre été", "body": "Le récit.", "networks": "Club inconnu", "publish": "on"}

    refused = client.post("/stories/new/", data)
    data["networks"] = club.name.upper()
    accepted = client.post("/stories/new/", data)

    assert refused.status_code == 200
    assert "Club inconnu" in refused.content.decode()
    story = Story.objects.get()
    assert accepted["Location"] == f"/stories/{story.pk}/edit/"
    assert story.network_tags.get().network == club


def test_a_bad_image_on_the_page_is_a_clear_refusal(
    client: Client, make_story: MakeStory, member: User
) -> None:
    story = make_story()
    client.force_login(member)
    liar = png(name="photo.pdf")

    response = client.post(f"/stories/{story.pk}/images/", {"image": liar, "alt_text": "Une photo"})

    assert response.status_code == 200
    assert "Send a JPEG, PNG or WebP file." in response.content.decode()


def test_someone_else_cannot_open_the_edit_page(
    client: Client, make_story: MakeStory, other_member: User
) -> None:
    story = make_story()
    client.force_login(other_member)

    assert client.get(f"/stories/{story.pk}/edit/").status_code == 403
    assert client.post(f"/stories/{story.pk}/delete/").status_code == 403
    assert Story.objects.exists()


def test_the_tagged_person_accepts_from_their_page(
    client: Client, make_story: MakeStory, other_member: User
) -> None:
    make_story(people=[other_member])
    tag = PersonTag.objects.get()
    client.force_login(other_member)

    assert "Un projecteur pour trois clubs" in client.get("/stories/mine/").content.decode()
    client.post(f"/stories/tags/{tag.pk}/accept/")
    assert client.post(f"/stories/tags/{tag.pk}/nonsense/").status_code == 404

    tag.refresh_from_db()
    assert tag.is_accepted


def test_a_comment_through_the_page_keeps_the_text_on_error(
    client: Client, make_story: MakeStory, other_member: User
) -> None:
    story = make_story()
    client.force_login(other_member)

    response = client.post(f"/stories/{story.pk}/comments/", {"body": "x" * 2001})

    assert response.status_code == 400
    assert "x" * 2001 in response.content.decode()


def test_a_member_recommends_the_network_through_the_page(
    client: Client, member: User, club: Network
) -> None:
    client.force_login(member)

    page = client.get(f"/stories/endorsements/{club.slug}/recommend/")
    response = client.post(
        f"/stories/endorsements/{club.slug}/recommend/", {"text": "Généreux et accueillant."}
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert Endorsement.objects.get().text == "Généreux et accueillant."


def test_the_admin_sees_why_they_cannot_recommend(
    client: Client, other_member: User, club: Network
) -> None:
    client.force_login(other_member)

    response = client.post(f"/stories/endorsements/{club.slug}/recommend/", {"text": "Nous."})

    assert "cannot recommend it themselves" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_the_network_page_shows_the_latest_recommendations_at_a_constant_cost(
    client: Client, member: User, club: Network
) -> None:
    services.endorse(actor=member, network=club, text="Le tout premier.")
    few = _queries(client, club.get_absolute_url())
    for number in range(5):
        someone = UserFactory.create()
        network_services.join_network(actor=someone, network=club, accept_charter=True)
        services.endorse(actor=someone, network=club, text=f"Recommandation {number}")

    page = client.get(club.get_absolute_url()).content.decode()

    assert _queries(client, club.get_absolute_url()) == few
    assert "6 recommendations" in page
    assert "Recommandation 4" in page and "Le tout premier." not in page


def test_the_directory_shows_the_count_at_a_constant_cost(
    client: Client, member: User, other_member: User, club: Network
) -> None:
    services.endorse(actor=member, network=club, text="Bien.")
    few = _queries(client, "/networks/")
    for number in range(4):
        other = make_network(other_member, f"Club {number}")
        network_services.join_network(actor=member, network=other, accept_charter=True)
        services.endorse(actor=member, network=other, text="Bien.")

    assert _queries(client, "/networks/") == few
    assert "recommended by 1 member" in client.get("/networks/").content.decode()


def test_odd_addresses_are_not_found_rather_than_errors(client: Client, db: None) -> None:
    assert client.get("/stories/99999999999999999999/").status_code == 404
    assert client.get("/stories/endorsements/nope/").status_code == 404
    assert client.get("/stories/", {"page": "abc", "network": "<x>"}).status_code == 200
