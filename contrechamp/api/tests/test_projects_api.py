import datetime as dt

import pytest

from contrechamp.accounts.models import User
from contrechamp.api.tests.conftest import ApiClient
from contrechamp.projects import services
from contrechamp.projects.models import Application, Project, RoleCall, TeamMember
from contrechamp.projects.tests.conftest import in_days, make_project, post_call


@pytest.fixture
def project(other_member: User) -> Project:
    return make_project(other_member)


@pytest.fixture
def call(project: Project) -> RoleCall:
    return post_call(project)


def test_projects_and_calls_are_listed(api: ApiClient, project: Project, call: RoleCall) -> None:
    projects = api.get("/api/projects").json()["items"]
    assert [p["slug"] for p in projects] == ["la-calanque"]
    assert projects[0]["owner"]["username"] == "nora"
    calls = api.get("/api/calls", {"near": "Aubagne", "km": 30}).json()["items"]
    assert [c["id"] for c in calls] == [call.pk]
    assert calls[0]["skill"] == "sound-recording"
    assert api.get("/api/calls", {"near": "Atlantide"}).status_code == 422


def test_a_project_shows_its_team_and_open_calls(
    api: ApiClient, project: Project, call: RoleCall
) -> None:
    body = api.get("/api/projects/la-calanque").json()
    assert body["team"] == [
        {"member": {"username": "nora", "name": "Nora"}, "role": "Project lead", "is_manager": True}
    ]
    assert [c["id"] for c in body["calls"]] == [call.pk]


def test_a_team_only_project_is_a_404_for_others(
    api: ApiClient, other_member: User, read_token: str
) -> None:
    make_project(other_member, title="Secret", visibility=Project.Visibility.TEAM)
    assert api.get("/api/projects/secret", token=read_token).status_code == 404
    assert api.get("/api/projects").json()["items"] == []


def test_applying_then_applying_twice(api: ApiClient, call: RoleCall, write_token: str) -> None:
    url = f"/api/projects/la-calanque/calls/{call.pk}/applications"
    body = {"message": "Je tiens la perche.", "links": ["https://vimeo.com/1"]}
    response = api.post(url, body, token=write_token)
    assert response.status_code == 201
    assert response.json()["status"] == "received"
    again = api.post(url, body, token=write_token)
    assert again.status_code == 409
    assert "already applied" in again.json()["error"]["message"]
    assert Application.objects.count() == 1


def test_a_bad_link_is_a_400(api: ApiClient, call: RoleCall, write_token: str) -> None:
    url = f"/api/projects/la-calanque/calls/{call.pk}/applications"
    response = api.post(
        url, {"message": "Bonjour", "links": ["javascript:alert(1)"]}, token=write_token
    )
    assert response.status_code == 422
    assert "not a web address" in response.json()["error"]["message"]
    assert not Application.objects.exists()


def test_a_read_token_cannot_apply(api: ApiClient, call: RoleCall, read_token: str) -> None:
    url = f"/api/projects/la-calanque/calls/{call.pk}/applications"
    assert api.post(url, {"message": "Bonjour"}, token=read_token).status_code == 403


def test_the_manager_accepts_and_the_applicant_joins_the_team(
    api: ApiClient, call: RoleCall, member: User, other_token: str, write_token: str
) -> None:
    application = services.apply(actor=member, call=call, message="Moi", links=[])
    url = f"/api/projects/la-calanque/calls/{call.pk}/applications/{application.pk}/status"
    assert api.post(url, {"status": "accepted"}, token=write_token).status_code == 403
    response = api.post(url, {"status": "accepted"}, token=other_token)
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert TeamMember.objects.filter(project=call.project, member=member).exists()
    listed = api.get(f"/api/projects/la-calanque/calls/{call.pk}/applications", token=other_token)
    assert [a["status"] for a in listed.json()] == ["accepted"]
    mine = api.get("/api/me/applications", token=write_token).json()
    assert [a["id"] for a in mine] == [application.pk]


def test_creating_a_project_and_a_call(api: ApiClient, write_token: str) -> None:
    response = api.post(
        "/api/projects",
        {"title": "Les Goélands", "kind": "documentary", "city": "Sète"},
        token=write_token,
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    call = api.post(
        f"/api/projects/{slug}/calls",
        {
            "kind": "crew",
            "skill": "sound-recording",
            "title": "Son",
            "starts_on": in_days(10).isoformat(),
            "ends_on": in_days(11).isoformat(),
            "deadline": in_days(5).isoformat(),
        },
        token=write_token,
    )
    assert call.status_code == 201
    assert call.json()["city"] == "Sète"
    unknown = api.post(
        "/api/projects", {"title": "X", "kind": "clip", "city": "Atlantide"}, token=write_token
    )
    assert unknown.status_code == 422


def test_call_sheets_are_read_by_the_team_only(
    api: ApiClient,
    project: Project,
    other_member: User,
    member: User,
    write_token: str,
    other_token: str,
) -> None:
    services.add_team_member(actor=other_member, project=project, member=member, role="Son")
    day = services.create_shooting_day(
        actor=other_member,
        project=project,
        details=services.DayDetails(
            date=in_days(30), general_call=dt.time(7, 30), address="Plage des Catalans"
        ),
    )
    services.set_call_time(actor=other_member, day=day, member=member, call_at=dt.time(6, 45))
    url = f"/api/projects/la-calanque/call-sheets/{day.pk}"
    assert api.get(url, token=write_token).status_code == 404
    assert api.get("/api/projects/la-calanque/call-sheets", token=write_token).json() == []
    assert api.get(url, token=other_token).status_code == 200
    services.publish_call_sheet(actor=other_member, day=day)
    sheet = api.get(url, token=write_token).json()
    assert sheet["general_call"] == "07:30:00"
    assert sheet["calls"][0]["member"]["username"] == "juliette"
    assert sheet["place"] == "Plage des Catalans"


def test_an_outsider_reads_no_call_sheet(
    api: ApiClient, project: Project, other_member: User, write_token: str
) -> None:
    day = services.create_shooting_day(
        actor=other_member,
        project=project,
        details=services.DayDetails(date=in_days(30), general_call=dt.time(7), address="Plage"),
    )
    services.publish_call_sheet(actor=other_member, day=day)
    assert (
        api.get(f"/api/projects/la-calanque/call-sheets/{day.pk}", token=write_token).status_code
        == 403
    )
