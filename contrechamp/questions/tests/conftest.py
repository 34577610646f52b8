"""Scene for the questions tests: Juliette (`member`) runs a ciné-club in Grenoble
(`club`) where `moderator` moderates; Nora (`other_member`) and `outsider` belong to no
network. Categories are the seeded ones (made again after a transactional test's flush)."""

from typing import Any

import pytest
from zeal import zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network, Role
from contrechamp.questions import services
from contrechamp.questions.models import Answer, Category, Question

RESTORATION = "formats-et-restauration"


def category(slug: str = RESTORATION) -> Category:
    with zeal_ignore():
        found, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name_fr": slug, "name_en": slug, "position": 0}
        )
    return found


@pytest.fixture
def restoration(db: None) -> Category:
    return category()


@pytest.fixture
def club(member: User) -> Network:
    place = places.find_city("Grenoble")
    with zeal_ignore():
        return network_services.create_network(
            actor=member,
            name="Ciné-club de Grenoble",
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=place,
        )


@pytest.fixture
def moderator(club: Network, member: User) -> User:
    person: User = UserFactory.create(username="modo", display_name="Modo")
    with zeal_ignore():
        network_services.join_network(actor=person, network=club, accept_charter=True)
        network_services.assign_role(actor=member, network=club, member=person, role=Role.MODERATOR)
    return person


def join(person: User, network: Network) -> None:
    with zeal_ignore():
        network_services.join_network(actor=person, network=network, accept_charter=True)


def ask(
    author: User,
    title: str = "Comment restaurer une bobine 16 mm qui sent le vinaigre ?",
    *,
    body: str = "Une odeur de vinaigre sort de la boîte. Que faire ?",
    tags: tuple[str, ...] = ("16mm", "vinaigre"),
    network: Network | None = None,
    slug: str = RESTORATION,
) -> Question:
    with zeal_ignore():
        return services.ask_question(
            actor=author,
            details=services.QuestionDetails(
                title=title, body=body, category=category(slug), tags=tags
            ),
            network=network,
        )


def answer(author: User, question: Question, body: str = "Isolez la bobine.") -> Answer:
    with zeal_ignore():
        return services.answer_question(actor=author, question=question, body=body)


@pytest.fixture
def question(member: User, restoration: Category) -> Question:
    return ask(member)


def refresh(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj
