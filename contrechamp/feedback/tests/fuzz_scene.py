"""One of each feedback thing for the API fuzzer: a project of another member's with two
screenplay versions (a comment moved, one outdated), a cut with a timecoded thread, and
requests that invite the caller to both."""

from contrechamp.accounts.models import User
from contrechamp.feedback import services
from contrechamp.feedback.tests.conftest import sample
from contrechamp.projects import services as project_services
from contrechamp.projects.models import Project


def build(*, owner: User, caller: User) -> None:
    project = project_services.create_project(
        actor=owner,
        details=project_services.ProjectDetails(
            title="Retours fuzz", kind=Project.Kind.SHORT_FILM, city="Marseille"
        ),
    )
    first = services.add_screenplay_version(
        actor=owner, project=project, source=sample("la_calanque_v1.fountain")
    )
    services.comment_on_screenplay(actor=owner, version=first, body="Garder", line=36)
    services.comment_on_screenplay(actor=owner, version=first, body="Couper ?", line=30)
    latest = services.add_screenplay_version(
        actor=owner, project=project, source=sample("la_calanque_v2.fountain")
    )
    cut = services.add_cut(
        actor=owner,
        project=project,
        details=services.CutDetails(
            title="Premier montage",
            frame_rate="25",
            duration="00:12:00:00",
            video_url="https://videos.example.org/fuzz.mp4",
        ),
    )
    services.comment_on_cut(actor=owner, cut=cut, body="Raccord", at="00:01:00:00")
    services.request_feedback(
        actor=owner, project=project, version=latest, usernames=[caller.username]
    )
    services.request_feedback(actor=owner, project=project, cut=cut, usernames=[caller.username])
