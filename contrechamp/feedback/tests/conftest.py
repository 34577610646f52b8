"""Scene for the feedback tests: Nora (`other_member`) runs the project "La Calanque"; Juliette
(`member`) is invited as a reviewer where a test says so; `outsider` takes no part, though
the project page itself is public."""

from pathlib import Path

import pytest
from zeal import zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.feedback import services
from contrechamp.feedback.models import Cut, ScreenplayVersion
from contrechamp.projects import services as project_services
from contrechamp.projects.models import Project

SAMPLES = Path(__file__).parent.parent / "screenplays"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture
def owner(other_member: User) -> User:
    return other_member


@pytest.fixture
def project(owner: User) -> Project:
    with zeal_ignore():
        return project_services.create_project(
            actor=owner,
            details=project_services.ProjectDetails(
                title="La Calanque", kind=Project.Kind.SHORT_FILM, city="Marseille"
            ),
        )


@pytest.fixture
def version_1(project: Project, owner: User) -> ScreenplayVersion:
    return services.add_screenplay_version(
        actor=owner, project=project, source=sample("la_calanque_v1.fountain")
    )


@pytest.fixture
def cut(project: Project, owner: User) -> Cut:
    return services.add_cut(
        actor=owner,
        project=project,
        details=services.CutDetails(
            title="Premier montage",
            frame_rate="25",
            duration="00:12:00:00",
            video_url="https://videos.example.org/la-calanque-v1.mp4",
        ),
    )


def invite_to_screenplay(owner: User, version: ScreenplayVersion, *names: str) -> None:
    services.request_feedback(
        actor=owner, project=version.project, version=version, usernames=names
    )


def invite_to_cut(owner: User, cut: Cut, *names: str) -> None:
    services.request_feedback(actor=owner, project=cut.project, cut=cut, usernames=names)
