import pytest
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.guides import demo
from contrechamp.guides.models import (
    Guide,
    GuideAttachment,
    GuideEditor,
    GuideHelpful,
    GuideVersion,
)
from contrechamp.guides.tests.conftest import join, make_network
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    members = {
        name: UserFactory.create(username=name, display_name=name.title())
        for name in ("juliette", "mathieu", "camille", "paul", "amandine", "sebastien")
    }
    club = make_network(members["juliette"], demo.CLUB)
    join(members["mathieu"], club)
    join(members["camille"], club)
    with zeal_ignore():
        network_services.assign_role(
            actor=members["juliette"], network=club, member=members["mathieu"], role=Role.ORGANISER
        )
    melies = make_network(members["mathieu"], demo.SHARED_WITH[0])
    voiron = make_network(members["paul"], demo.SHARED_WITH[1], "Voiron")
    for network in (melies, voiron):
        join(members["juliette"], network)
    join(members["amandine"], voiron)
    return members


def counts():
    return [
        model.objects.count()
        for model in (Guide, GuideVersion, GuideAttachment, GuideEditor, GuideHelpful)
    ]


def test_the_demo_tells_the_story_and_seeding_twice_changes_nothing(people, settings):
    with zeal_ignore():
        demo.seed(people)
    first = counts()
    with zeal_ignore():
        demo.seed(people)

    assert counts() == first == [4, 6, 1, 1, 3]
    letter = Guide.objects.get(kind=Guide.Kind.TEMPLATE)
    assert letter.is_public and letter.helped_count == 2
    checklist = Guide.objects.get(kind=Guide.Kind.CHECKLIST)
    assert checklist.version == 2
    assert checklist.shared_with.count() == 2
    pdf = GuideAttachment.objects.get()
    assert pdf.file.open("rb").read(5) == b"%PDF-"


def test_the_demo_waits_for_the_club(db):
    with zeal_ignore():
        demo.seed({"juliette": UserFactory.create(username="juliette")})
    assert not Guide.objects.exists()
