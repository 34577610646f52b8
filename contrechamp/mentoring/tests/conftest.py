"""Scene for the mentoring tests: Nora (`other_member`) mentors projection and ciné-club
programming in Lyon, in person or online, in French and English, one mentee at a time;
Juliette (`member`) in Grenoble looks for a mentor in projection; `outsider` takes no
part. Profiles and mentorships go through the services; the helpers build more people.
"""

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from zeal import zeal_ignore

from contrechamp.accounts.models import Skill, User
from contrechamp.accounts.tests.factories import SkillFactory, UserFactory
from contrechamp.core import places
from contrechamp.mentoring import services
from contrechamp.mentoring.models import Format, MentoringProfile, SkillListing


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


def skill(slug: str) -> Skill:
    """A skill of the seeded taxonomy (made again after a transactional test's flush)."""
    found: Skill = SkillFactory.create(slug=slug)
    return found


@pytest.fixture
def projection(db: None) -> Skill:
    return skill("projection")


@pytest.fixture
def programming(db: None) -> Skill:
    return skill("cine-club-programming")


@pytest.fixture
def editing(db: None) -> Skill:
    return skill("editing")


def make_mentor(
    user: User,
    skills: Sequence[Skill],
    *,
    where: str | None = "Lyon",
    fmt: str = Format.BOTH,
    capacity: int = 1,
    languages: Sequence[str] = ("fr",),
    accepting: bool = True,
    age_bracket: str = "",
    match_by_age: bool = False,
    seeks: Sequence[Skill] = (),
) -> MentoringProfile:
    with zeal_ignore():
        return services.save_profile(
            actor=user,
            member=user,
            details=services.ProfileDetails(
                offers_mentoring=True,
                seeks_mentoring=bool(seeks),
                mentor_skills=list(skills),
                learning_skills=list(seeks),
                capacity=capacity,
                accepting=accepting,
                availability="Deux soirs par mois",
                format=fmt,
                languages=list(languages),
                place=city(where) if where else None,
                age_bracket=age_bracket,
                match_by_age=match_by_age,
            ),
        )


def make_mentee(
    user: User,
    skills: Sequence[Skill],
    *,
    where: str | None = "Grenoble",
    fmt: str = Format.BOTH,
    languages: Sequence[str] = ("fr",),
    age_bracket: str = "",
) -> MentoringProfile:
    with zeal_ignore():
        return services.save_profile(
            actor=user,
            member=user,
            details=services.ProfileDetails(
                offers_mentoring=False,
                seeks_mentoring=True,
                learning_skills=list(skills),
                learning_goals="Tenir une cabine seule.",
                format=fmt,
                languages=list(languages),
                place=city(where) if where else None,
                age_bracket=age_bracket,
            ),
        )


@pytest.fixture
def mentor(other_member: User, projection: Skill, programming: Skill) -> User:
    make_mentor(other_member, [projection, programming], languages=("fr", "en"))
    return User.objects.get(pk=other_member.pk)


@pytest.fixture
def mentee(member: User, projection: Skill) -> User:
    make_mentee(member, [projection], languages=("fr", "en"))
    return User.objects.get(pk=member.pk)


@pytest.fixture
def people(db: None) -> Callable[..., list[User]]:
    """`people(count, prefix)`: members who accepted the code of conduct."""

    def make(count: int, prefix: str = "personne") -> list[User]:
        return [
            UserFactory.create(username=f"{prefix}{n}", display_name=f"{prefix.title()} {n}")
            for n in range(count)
        ]

    return make


def post_listing(
    author: User, kind: str = SkillListing.Kind.OFFER, **overrides: Any
) -> SkillListing:
    fields: dict[str, Any] = {
        "skill": skill("projection"),
        "title": "Initiation à la projection 35 mm",
        "description": "Deux séances en cabine.",
        "format": Format.IN_PERSON,
        "place": city("Lyon"),
    }
    fields |= overrides
    with zeal_ignore():
        return services.create_listing(
            actor=author, kind=kind, details=services.ListingDetails(**fields)
        )
