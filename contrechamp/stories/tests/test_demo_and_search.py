from django.test import Client

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.networks import services as network_services
from contrechamp.search.models import Document
from contrechamp.stories import demo, services
from contrechamp.stories.models import Endorsement, NetworkTag, PersonTag, Story

from .conftest import MakeStory


def _demo_members() -> dict[str, User]:
    members = {
        username: UserFactory.create(username=username, display_name=username.title())
        for username in ("juliette", "mathieu", "paul", "amandine", "camille")
    }
    for name, admin, town in (
        ("Ciné-club étudiant de Grenoble", "juliette", "Grenoble"),
        ("Cinéma Le Méliès", "mathieu", "Grenoble"),
        ("Ciné-débats de la médiathèque de Voiron", "paul", "Voiron"),
    ):
        network = network_services.create_network(
            actor=members[admin],
            name=name,
            kind="cine_club",
            join_policy="open",
            place=places.find_city(town),
        )
        if town == "Grenoble" and admin == "juliette":
            for username in ("amandine", "camille"):
                network_services.join_network(
                    actor=members[username], network=network, accept_charter=True
                )
    return members


def _counts() -> tuple[int, ...]:
    return (
        Story.objects.count(),
        NetworkTag.objects.count(),
        PersonTag.objects.filter(status=PersonTag.Status.ACCEPTED).count(),
        Endorsement.objects.count(),
    )


def test_the_demo_tells_the_projector_story_once(client: Client, db: None) -> None:
    members = _demo_members()

    demo.seed(members)
    first = _counts()
    demo.seed(members)

    assert first == (1, 3, 2, 1)
    assert _counts() == first
    club_page = client.get("/networks/cine-club-etudiant-de-grenoble/").content.decode()
    assert "projecteur 16 mm tout l" in club_page


def test_only_published_stories_are_found_by_the_search(
    make_story: MakeStory, member: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        published = make_story(title="Le projecteur voyageur")
        draft = make_story(title="Le brouillon secret", publish=False)

    indexed = set(Document.objects.filter(kind="stories").values_list("object_id", flat=True))
    assert indexed == {published.pk}

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.update_story(
            actor=member, story=published, title=published.title, body=published.body
        )

    assert not Document.objects.filter(kind="stories").exists()
    assert draft.pk not in indexed
