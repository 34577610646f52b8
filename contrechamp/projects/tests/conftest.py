"""Scene for the projects tests: Nora (`other_member`) runs the short film "La Calanque"
in Marseille; Juliette (`member`) is a sound recordist who may apply; `outsider` takes no
part. Everything goes through the services; the helpers build calls and people."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.accounts.models import Skill, User
from contrechamp.accounts.tests.factories import SkillFactory
from contrechamp.projects import services
from contrechamp.projects.models import Project, RoleCall


def skill(slug: str) -> Skill:
    """A skill of the seeded taxonomy (made again after a transactional test's flush)."""
    found: Skill = SkillFactory.create(slug=slug, name_en=slug.replace("-", " ").capitalize())
    return found


@pytest.fixture
def sound(db: None) -> Skill:
    return skill("sound-recording")


@pytest.fixture(autouse=True)
def _acting_skills(db: None) -> None:
    skill("acting")
    skill("extras")


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def make_project(owner: User, **overrides: Any) -> Project:
    fields: dict[str, Any] = {
        "title": "La Calanque",
        "kind": Project.Kind.SHORT_FILM,
        "description": "Un court métrage tourné sur une plage de Marseille.",
        "city": "Marseille",
        "starts_on": in_days(30),
        "ends_on": in_days(40),
    } | overrides
    with zeal_ignore():
        return services.create_project(actor=owner, details=services.ProjectDetails(**fields))


def post_call(project: Project, **overrides: Any) -> RoleCall:
    fields: dict[str, Any] = {
        "kind": RoleCall.Kind.CREW,
        "title": "Ingénieur·e du son",
        "starts_on": in_days(30),
        "ends_on": in_days(32),
        "deadline": in_days(20),
        "skill": skill("sound-recording"),
        "people_needed": 1,
    } | overrides
    with zeal_ignore():
        return services.create_call(
            actor=project.owner, project=project, details=services.CallDetails(**fields)
        )


@pytest.fixture
def project(other_member: User) -> Project:
    return make_project(other_member)


@pytest.fixture
def call(project: Project) -> RoleCall:
    return post_call(project)
