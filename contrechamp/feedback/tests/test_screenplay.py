"""Screenplay versions and comments through the services: who may do what, bad input,
and comments following the text from one version to the next."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.feedback import services
from contrechamp.feedback.models import ScreenplayComment, ScreenplayVersion
from contrechamp.feedback.tests.conftest import invite_to_screenplay, sample
from contrechamp.notifications.models import Notification
from contrechamp.projects.models import Project


def test_versions_are_numbered_in_order(project: Project, owner: User) -> None:
    first = services.add_screenplay_version(actor=owner, project=project, source="INT. A - JOUR\n")
    second = services.add_screenplay_version(
        actor=owner, project=project, source="INT. A - NUIT\n", change_note="  La nuit  "
    )
    assert (first.number, second.number) == (1, 2)
    assert second.change_note == "La nuit"
    assert first.title == "La Calanque"  # no title page: the project's title


def test_the_title_page_names_the_version(version_1: ScreenplayVersion) -> None:
    assert version_1.title == "La Calanque"


def test_only_the_team_adds_versions(project: Project, member: User, outsider: User) -> None:
    for person in (member, outsider):
        with pytest.raises(PermissionDenied):
            services.add_screenplay_version(actor=person, project=project, source="INT. A\n")
    assert not ScreenplayVersion.objects.exists()


@pytest.mark.parametrize(("source", "message"), [("   \n ", "empty"), ("a\x00b", "cannot contain")])
def test_empty_or_binary_text_is_refused(
    project: Project, owner: User, source: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        services.add_screenplay_version(actor=owner, project=project, source=source)


def test_a_fountain_file_is_read_as_utf8_text() -> None:
    upload = SimpleUploadedFile("la-calanque.fountain", b"INT. CABANON - JOUR\n\nLina.\n")
    assert services.read_screenplay_file(upload).startswith("INT. CABANON")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.fountain", b"a" * (5 * 1024 * 1024), "larger than 1 MB"),
        ("script.pdf", b"%PDF-1.4", "Fountain file"),
        ("script.fountain", b"\x89PNG\r\n\x1a\n\x00\x00", "not text"),
        ("script.txt", b"\xff\xfe\xfa latin", "UTF-8"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_bad_files_are_refused_clearly(name: str, content: bytes, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        services.read_screenplay_file(SimpleUploadedFile(name, content))


def test_the_team_and_invited_reviewers_comment_on_a_line_or_a_scene(
    version_1: ScreenplayVersion, owner: User, member: User, outsider: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.comment_on_screenplay(actor=member, version=version_1, body="Bien.", line=17)
    invite_to_screenplay(owner, version_1, "juliette")
    on_line = services.comment_on_screenplay(
        actor=member, version=version_1, body="Trop court ?", line=17
    )
    on_scene = services.comment_on_screenplay(
        actor=owner, version=version_1, body="Lumière !", scene=2
    )
    assert (on_line.line, on_line.scene, on_line.quoted_text) == (17, 1, "Rien n'a bougé.")
    assert (on_scene.line, on_scene.scene) == (None, 2)
    assert on_scene.quoted_text == "EXT. CALANQUE DE SORMIOU - PLAGE - JOUR"
    with pytest.raises(PermissionDenied):
        services.comment_on_screenplay(actor=outsider, version=version_1, body="Moi aussi", line=17)


def test_a_comment_needs_a_real_line_or_scene_and_a_text(
    version_1: ScreenplayVersion, owner: User
) -> None:
    with pytest.raises(DomainError, match="not in this version"):
        services.comment_on_screenplay(
            actor=owner, version=version_1, body="?", line=2
        )  # title page
    with pytest.raises(DomainError, match="not in this version"):
        services.comment_on_screenplay(actor=owner, version=version_1, body="?", scene=9)
    with pytest.raises(DomainError, match="Choose the line"):
        services.comment_on_screenplay(actor=owner, version=version_1, body="?")
    with pytest.raises(DomainError, match="Write your comment"):
        services.comment_on_screenplay(actor=owner, version=version_1, body="  ", line=17)
    with pytest.raises(DomainError, match="at most 5000"):
        services.comment_on_screenplay(actor=owner, version=version_1, body="x" * 5001, line=17)


def test_comments_go_on_the_latest_version_only(version_1: ScreenplayVersion, owner: User) -> None:
    services.add_screenplay_version(
        actor=owner, project=version_1.project, source=sample("la_calanque_v2.fountain")
    )
    with pytest.raises(InvalidTransition, match="newer version"):
        services.comment_on_screenplay(actor=owner, version=version_1, body="Ici", line=17)


def test_a_new_version_moves_comments_and_outdates_the_rest(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    kept = services.comment_on_screenplay(
        actor=member, version=version_1, body="Belle image", line=36
    )
    edited = services.comment_on_screenplay(
        actor=member, version=version_1, body="Trop court", line=17
    )
    removed = services.comment_on_screenplay(
        actor=member, version=version_1, body="Cliché", line=30
    )
    gone_scene = services.comment_on_screenplay(
        actor=member, version=version_1, body="Inutile", scene=3
    )
    reply = services.reply_to_screenplay_comment(actor=owner, comment=kept, body="Merci")
    version_2 = services.add_screenplay_version(
        actor=owner, project=version_1.project, source=sample("la_calanque_v2.fountain")
    )
    kept.refresh_from_db()
    edited.refresh_from_db()
    removed.refresh_from_db()
    gone_scene.refresh_from_db()
    reply.refresh_from_db()
    assert (kept.version_id, kept.line, kept.scene, kept.is_outdated) == (
        version_2.pk,
        33,
        2,
        False,
    )
    assert (edited.version_id, edited.line, edited.is_outdated) == (version_2.pk, 17, False)
    assert edited.written_on_id == version_1.pk and edited.quoted_text == "Rien n'a bougé."
    assert (removed.version_id, removed.line, removed.is_outdated) == (version_1.pk, 30, True)
    assert (gone_scene.version_id, gone_scene.is_outdated) == (version_1.pk, True)
    assert reply.version_id == version_2.pk
    # Version 3 moves only what is attached to version 2; outdated comments stay outdated.
    services.add_screenplay_version(
        actor=owner, project=version_1.project, source=sample("la_calanque_v2.fountain")
    )
    assert ScreenplayComment.objects.filter(is_outdated=True).count() == 2
    assert ScreenplayComment.objects.filter(version__number=3, parent__isnull=True).count() == 2


def test_replies_notify_the_commenter_and_comments_the_team_in_a_digest(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    comment = services.comment_on_screenplay(
        actor=member, version=version_1, body="Trop court", line=17
    )
    to_team = Notification.objects.get(kind="feedback.comment")
    assert to_team.recipient == owner and "Juliette" in to_team.title
    assert to_team.url.endswith(f"#comment-{comment.pk}")
    services.reply_to_screenplay_comment(actor=owner, comment=comment, body="D'accord")
    reply_note = Notification.objects.get(kind="feedback.reply")
    assert reply_note.recipient == member


def test_only_the_team_resolves_threads(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    comment = services.comment_on_screenplay(
        actor=member, version=version_1, body="Trop court", line=17
    )
    with pytest.raises(PermissionDenied):
        services.set_screenplay_comment_resolved(actor=member, comment=comment, resolved=True)
    resolved = services.set_screenplay_comment_resolved(actor=owner, comment=comment, resolved=True)
    assert resolved.is_resolved and resolved.resolved_by == owner
    reopened = services.set_screenplay_comment_resolved(
        actor=owner, comment=comment, resolved=False
    )
    assert not reopened.is_resolved
    reply = services.reply_to_screenplay_comment(actor=owner, comment=comment, body="Vu")
    with pytest.raises(DomainError, match="first comment"):
        services.set_screenplay_comment_resolved(actor=owner, comment=reply, resolved=True)


def test_the_project_page_being_public_does_not_open_the_screenplay(
    version_1: ScreenplayVersion, outsider: User
) -> None:
    assert version_1.project.visibility == Project.Visibility.PUBLIC
    with pytest.raises(PermissionDenied):
        services.comment_on_screenplay(actor=outsider, version=version_1, body="Hop", line=17)


@pytest.mark.django_db(transaction=True)
def test_two_versions_added_at_once_get_consecutive_numbers(project: Project, owner: User) -> None:
    errors: list[BaseException] = []

    def add() -> None:
        try:
            services.add_screenplay_version(actor=owner, project=project, source="INT. A - JOUR\n")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(
        ScreenplayVersion.objects.filter(project=project).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
