import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError
from contrechamp.networks.models import Network
from contrechamp.notifications.models import Notification
from contrechamp.stories import services
from contrechamp.stories.models import ENDORSEMENT_MAX, Endorsement, PersonTag

from .conftest import MakeStory


def test_a_member_recommends_the_network_and_its_admins_are_told(
    member: User, other_member: User, club: Network
) -> None:
    endorsement = services.endorse(actor=member, network=club, text="Un club généreux.")

    assert endorsement.author == member
    assert Notification.objects.filter(recipient=other_member, kind="stories.endorsement").exists()


def test_one_recommendation_per_member_which_they_can_change(
    member: User, other_member: User, club: Network
) -> None:
    first = services.endorse(actor=member, network=club, text="Bien.")
    second = services.endorse(actor=member, network=club, text="Très bien.")

    assert first.pk == second.pk
    assert Endorsement.objects.get().text == "Très bien."
    assert Notification.objects.filter(kind="stories.endorsement").count() == 1


def test_its_own_admins_cannot_recommend_a_network(other_member: User, club: Network) -> None:
    with pytest.raises(PermissionDenied):
        services.endorse(actor=other_member, network=club, text="Nous sommes formidables.")

    assert not Endorsement.objects.exists()


def test_someone_the_network_never_helped_cannot_recommend_it(
    outsider: User, club: Network
) -> None:
    with pytest.raises(PermissionDenied):
        services.endorse(actor=outsider, network=club, text="Je ne les connais pas.")


def test_someone_helped_in_a_published_story_may_recommend_it(
    make_story: MakeStory, outsider: User, club: Network
) -> None:
    story = make_story(networks=[club], people=[outsider])
    services.answer_tag(actor=outsider, tag=PersonTag.objects.get(), accept=True)

    endorsement = services.endorse(
        actor=outsider, network=club, text="Ils m'ont prêté leur projecteur.", story=story
    )

    assert endorsement.story == story


@pytest.mark.parametrize("text", ["", "  ", "x" * (ENDORSEMENT_MAX + 1)])
def test_an_empty_or_too_long_recommendation_is_refused(
    member: User, club: Network, text: str
) -> None:
    with pytest.raises(DomainError):
        services.endorse(actor=member, network=club, text=text)

    assert not Endorsement.objects.exists()


def test_a_draft_cannot_be_linked(make_story: MakeStory, member: User, club: Network) -> None:
    draft = make_story(publish=False)

    with pytest.raises(DomainError):
        services.endorse(actor=member, network=club, text="Voir mon récit.", story=draft)


def test_only_its_author_withdraws_a_recommendation(
    member: User, other_member: User, club: Network
) -> None:
    endorsement = services.endorse(actor=member, network=club, text="Bien.")

    with pytest.raises(PermissionDenied):
        services.withdraw_endorsement(actor=other_member, endorsement=endorsement)
    services.withdraw_endorsement(actor=member, endorsement=endorsement)

    assert not Endorsement.objects.exists()
