"""The feedback API: versions with parsed elements, comments on lines and timecodes,
resolving, exports, and the same access rules as the pages."""

import pytest

from contrechamp.accounts.models import User
from contrechamp.api.tests.conftest import ApiClient
from contrechamp.feedback import services
from contrechamp.feedback.models import Cut, ScreenplayVersion
from contrechamp.feedback.tests.conftest import sample
from contrechamp.projects import services as project_services
from contrechamp.projects.models import Project


@pytest.fixture
def project(other_member: User) -> Project:
    return project_services.create_project(
        actor=other_member,
        details=project_services.ProjectDetails(title="La Calanque", kind=Project.Kind.SHORT_FILM),
    )


@pytest.fixture
def version(project: Project, other_member: User) -> ScreenplayVersion:
    return services.add_screenplay_version(
        actor=other_member, project=project, source=sample("la_calanque_v1.fountain")
    )


@pytest.fixture
def cut(project: Project, other_member: User) -> Cut:
    return services.add_cut(
        actor=other_member,
        project=project,
        details=services.CutDetails(
            title="Montage",
            frame_rate="25",
            duration="00:10:00:00",
            video_url="https://x.org/a.mp4",
        ),
    )


BASE = "/api/projects/la-calanque"


def test_outside_the_team_and_reviewers_everything_is_refused(
    api: ApiClient, version: ScreenplayVersion, cut: Cut, read_token: str
) -> None:
    for path in (
        f"{BASE}/screenplay/versions",
        f"{BASE}/screenplay/versions/1",
        f"{BASE}/screenplay/versions/1/comments",
        f"{BASE}/cuts/{cut.pk}/comments",
        f"{BASE}/cuts/{cut.pk}/export",
    ):
        response = api.get(path, token=read_token)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "forbidden"
    assert api.get(f"{BASE}/cuts", token=read_token).json() == []
    assert api.get(f"{BASE}/screenplay/versions").status_code == 401


def test_a_reviewer_reads_the_parsed_screenplay_and_comments_on_a_line(
    api: ApiClient,
    version: ScreenplayVersion,
    other_member: User,
    read_token: str,
    write_token: str,
) -> None:
    services.request_feedback(
        actor=other_member, project=version.project, version=version, usernames=["juliette"]
    )
    versions = api.get(f"{BASE}/screenplay/versions", token=read_token).json()
    assert [v["number"] for v in versions["items"]] == [1]
    body = api.get(f"{BASE}/screenplay/versions/1", token=read_token).json()
    assert body["title_page"][0] == {"key": "Title", "value": "La Calanque"}
    line_17 = next(e for e in body["elements"] if e["line"] == 17)
    assert line_17 == {
        "kind": "dialogue",
        "text": "Rien n'a bougé.",
        "line": 17,
        "scene": 1,
        "dual": False,
        "label": "",
        "notes": [],
    }
    created = api.post(
        f"{BASE}/screenplay/versions/1/comments",
        {"body": "Trop court ?", "line": 17},
        token=write_token,
    )
    assert created.status_code == 201
    assert created.json()["quoted_text"] == "Rien n'a bougé." and created.json()["written_on"] == 1
    reply = api.post(
        f"{BASE}/screenplay/versions/1/comments",
        {"body": "Oui", "reply_to": created.json()["id"]},
        token=write_token,
    )
    assert [r["body"] for r in reply.json()["replies"]] == ["Oui"]
    refused = api.post(
        f"{BASE}/screenplay/versions/1/comments", {"body": "Ici", "line": 2}, token=write_token
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "refused"
    read_only = api.post(
        f"{BASE}/screenplay/versions/1/comments", {"body": "Ici", "line": 17}, token=read_token
    )
    assert read_only.status_code == 403


def test_comments_on_an_old_version_are_a_conflict(
    api: ApiClient, version: ScreenplayVersion, other_member: User, other_token: str
) -> None:
    services.add_screenplay_version(
        actor=other_member, project=version.project, source=sample("la_calanque_v2.fountain")
    )
    response = api.post(
        f"{BASE}/screenplay/versions/1/comments", {"body": "Ici", "line": 17}, token=other_token
    )
    assert response.status_code == 409


def test_cut_comments_at_timecodes_resolve_and_export(
    api: ApiClient, cut: Cut, other_member: User, write_token: str, other_token: str
) -> None:
    services.request_feedback(
        actor=other_member, project=cut.project, cut=cut, usernames=["juliette"]
    )
    assert [c["id"] for c in api.get(f"{BASE}/cuts", token=write_token).json()] == [cut.pk]
    path = f"{BASE}/cuts/{cut.pk}/comments"
    late = api.post(path, {"body": "Fin", "timecode": "00:10:00:00"}, token=write_token)
    assert late.status_code == 422 and "after the end of the cut" in late.json()["error"]["message"]
    created = api.post(path, {"body": "Raccord sec", "timecode": "00:01:05:12"}, token=write_token)
    assert created.status_code == 201
    assert created.json()["timecode"] == "00:01:05:12" and created.json()["frame"] == 1637
    comment_id = created.json()["id"]
    refused = api.post(f"{path}/{comment_id}/resolve", {"resolved": True}, token=write_token)
    assert refused.status_code == 403
    resolved = api.post(f"{path}/{comment_id}/resolve", {"resolved": True}, token=other_token)
    assert resolved.json()["resolved"] is True
    export = api.get(f"{BASE}/cuts/{cut.pk}/export", {"format": "edl"}, token=write_token).json()
    assert export["content"].splitlines()[3].startswith("001  AX       V     C        00:01:05:12")
    assert "* LOC: 00:01:05:12 GREEN   Juliette: Raccord sec" in export["content"]
    csv_export = api.get(f"{BASE}/cuts/{cut.pk}/export", token=write_token).json()
    assert csv_export["content"].splitlines()[1] == "00:01:05:12,Juliette,Raccord sec,yes"
