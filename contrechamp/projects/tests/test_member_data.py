"""The projects app's part in a member's data export and account deletion, and the demo."""

import datetime as dt

import pytest
from zeal import zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.projects import demo, matching, services
from contrechamp.projects.member_data import export_member_projects, withdraw_member_projects
from contrechamp.projects.models import (
    Application,
    AvailabilityPeriod,
    CallTime,
    Project,
    RoleCall,
    ShootingDay,
    Task,
    TeamMember,
)
from contrechamp.projects.tests.conftest import in_days, skill

pytestmark = pytest.mark.django_db


def test_the_export_holds_projects_applications_and_availability(call, member):
    services.apply(actor=member, call=call, message="Je tiens la perche", links=["https://a.fr"])
    services.add_availability(actor=member, starts_on=in_days(1), ends_on=in_days(3))
    exported = export_member_projects(member)
    assert exported["applications"] == [
        {
            "project": "La Calanque",
            "role_call": call.title,
            "message": "Je tiens la perche",
            "links": ["https://a.fr"],
            "status": "received",
            "created_at": exported["applications"][0]["created_at"],  # type: ignore[index]
        }
    ]
    assert len(exported["availability"]) == 1  # type: ignore[arg-type]


def test_a_deleted_account_leaves_teams_and_hands_projects_over(project, other_member, member):
    services.add_team_member(actor=other_member, project=project, member=member, is_manager=True)
    day = services.create_shooting_day(
        actor=other_member,
        project=project,
        details=services.DayDetails(date=in_days(3), general_call=dt.time(8), address="Plage"),
    )
    services.set_call_time(actor=other_member, day=day, member=other_member, call_at=dt.time(7))
    services.add_availability(actor=other_member, starts_on=in_days(1), ends_on=in_days(3))
    withdraw_member_projects(other_member)
    project.refresh_from_db()
    assert project.owner == member
    assert not AvailabilityPeriod.objects.exists()
    assert not CallTime.objects.exists()
    assert not TeamMember.objects.filter(member=other_member).exists()


def _demo_members() -> dict[str, User]:
    towns = {
        "nora": "Marseille",
        "yasmine": "Marseille",
        "camille": "Grenoble",
        "theo": "Aix-en-Provence",
        "paul": "Voiron",
    }
    skills = {
        "yasmine": "cinematography",
        "camille": "sound-recording",
        "theo": "acting",
        "paul": "extras",
        "nora": "directing",
    }
    members = {}
    with zeal_ignore():
        for name, town in towns.items():
            place = places.find_city(town)
            assert place is not None
            person = UserFactory.create(
                username=name,
                city_name=place.name,
                latitude=round(place.latitude, 2),
                longitude=round(place.longitude, 2),
            )
            person.skills.set([skill(skills[name])])
            members[name] = person
    return members


def _counts() -> tuple[int, ...]:
    return (
        Project.objects.count(),
        RoleCall.objects.count(),
        Application.objects.count(),
        TeamMember.objects.count(),
        ShootingDay.objects.count(),
        CallTime.objects.count(),
        Task.objects.count(),
        AvailabilityPeriod.objects.count(),
    )


def test_the_demo_tells_noras_story_and_running_it_twice_changes_nothing() -> None:
    members = _demo_members()
    demo.seed(members)
    counts = _counts()
    assert counts == (1, 3, 4, 2, 1, 2, 2, 3)
    project = Project.objects.get()
    assert project.city_name == "Marseille"
    assert project.starts_on is not None and project.starts_on.month == 3
    extras = RoleCall.objects.get(kind="extra")
    assert extras.people_needed == 10
    sound = RoleCall.objects.get(skill__slug="sound-recording")
    assert Application.objects.get(role_call=sound).status == "shortlisted"
    assert TeamMember.objects.filter(project=project, member=members["yasmine"]).exists()
    assert ShootingDay.objects.get().is_published
    dop = RoleCall.objects.get(skill__slug="cinematography")
    assert matching.suggest(dop) == []  # Yasmine is accepted: nobody else has the skill
    demo.seed(members)
    assert _counts() == counts


def test_the_demo_needs_nora() -> None:
    demo.seed({})
    assert not Project.objects.exists()
