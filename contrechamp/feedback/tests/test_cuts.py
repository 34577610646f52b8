"""Cuts and their timecoded comments through the services."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError
from contrechamp.feedback import services
from contrechamp.feedback.models import Cut, CutComment
from contrechamp.feedback.tests.conftest import invite_to_cut
from contrechamp.projects.models import Project

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def details(**overrides: str) -> services.CutDetails:
    values = {"title": "Montage 2", "frame_rate": "24", "duration": "00:15:00:00", "video_url": ""}
    return services.CutDetails(**(values | overrides))


def test_a_cut_is_shared_by_link(cut: Cut) -> None:
    assert cut.video_url.startswith("https://") and not cut.video_file
    assert cut.duration_frames == 12 * 60 * 25
    assert cut.duration == "00:12:00:00"
    assert cut.is_direct_video


def test_a_link_to_a_video_site_is_shown_as_a_link(project: Project, owner: User) -> None:
    cut = services.add_cut(
        actor=owner,
        project=project,
        details=details(video_url="https://peertube.example.org/w/abc"),
    )
    assert not cut.is_direct_video


def test_an_uploaded_video_goes_to_private_storage(
    project: Project, owner: User, settings: object
) -> None:
    upload = SimpleUploadedFile("montage.mp4", MP4_HEAD, content_type="video/mp4")
    cut = services.add_cut(actor=owner, project=project, details=details(), video_file=upload)
    assert cut.content_type == "video/mp4" and cut.file_name == "montage.mp4"
    stored = Path(cut.video_file.path)
    assert stored.exists() and "private" in stored.parts


@pytest.mark.parametrize(
    ("overrides", "upload", "message"),
    [
        ({"video_url": "ftp://x.org/a.mp4"}, None, "https://"),
        ({"video_url": "javascript:alert(1)"}, None, "https://"),
        ({"video_url": ""}, None, "either a link"),
        ({"video_url": "https://x.org/a.mp4"}, ("a.mp4", MP4_HEAD), "either a link"),
        ({"duration": "00:00:00:00", "video_url": "https://x.org/a.mp4"}, None, "duration"),
        ({"duration": "12 minutes", "video_url": "https://x.org/a.mp4"}, None, "HH:MM:SS:FF"),
        ({"duration": "11:00:00:00", "video_url": "https://x.org/a.mp4"}, None, "at most 10 hours"),
        ({"frame_rate": "60", "video_url": "https://x.org/a.mp4"}, None, "frame rate"),
        ({"title": "  ", "video_url": "https://x.org/a.mp4"}, None, "title"),
        ({}, ("a.pdf", b"%PDF-1.4"), "MP4, MOV or WebM"),
        ({}, ("a.mp4", b"%PDF-1.4 not a video"), "content is not one"),
    ],
)
def test_bad_cuts_are_refused_clearly(
    project: Project,
    owner: User,
    overrides: dict[str, str],
    upload: tuple[str, bytes] | None,
    message: str,
) -> None:
    video = SimpleUploadedFile(*upload) if upload else None
    with pytest.raises(DomainError, match=message):
        services.add_cut(
            actor=owner, project=project, details=details(**overrides), video_file=video
        )
    assert not Cut.objects.exists()


def test_a_video_over_the_size_limit_is_refused(
    project: Project, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_VIDEO_BYTES", 50)
    with pytest.raises(DomainError, match="larger than"):
        services.add_cut(
            actor=owner,
            project=project,
            details=details(),
            video_file=SimpleUploadedFile("a.mp4", MP4_HEAD),
        )


def test_only_the_team_shares_cuts(project: Project, member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.add_cut(
            actor=member, project=project, details=details(video_url="https://x.org/a.mp4")
        )


def test_reviewers_comment_at_a_timecode_within_the_cut(
    cut: Cut, owner: User, member: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.comment_on_cut(actor=member, cut=cut, body="Raccord", at="00:01:00:00")
    invite_to_cut(owner, cut, "juliette")
    comment = services.comment_on_cut(actor=member, cut=cut, body="Raccord sec", at="00:01:05:12")
    assert comment.frame == 65 * 25 + 12 and comment.timecode_label == "00:01:05:12"
    with pytest.raises(DomainError, match="after the end of the cut"):
        services.comment_on_cut(actor=member, cut=cut, body="Après", at="00:12:00:00")
    with pytest.raises(DomainError, match="frames go from 00 to 24"):
        services.comment_on_cut(actor=member, cut=cut, body="Image", at="00:01:00:25")
    with pytest.raises(DomainError, match="HH:MM:SS:FF"):
        services.comment_on_cut(actor=member, cut=cut, body="Où ?", at="1 minute")
    assert CutComment.objects.count() == 1


def test_an_invitation_to_one_cut_opens_neither_the_others_nor_the_screenplay(
    cut: Cut, project: Project, owner: User, member: User
) -> None:
    other = services.add_cut(
        actor=owner, project=project, details=details(video_url="https://x.org/b.mp4")
    )
    invite_to_cut(owner, cut, "juliette")
    with pytest.raises(PermissionDenied):
        services.comment_on_cut(actor=member, cut=other, body="Ici", at="00:00:01:00")
    version = services.add_screenplay_version(
        actor=owner, project=project, source="INT. A - JOUR\n"
    )
    with pytest.raises(PermissionDenied):
        services.comment_on_screenplay(actor=member, version=version, body="Ici", line=1)


def test_threads_replies_and_resolving(cut: Cut, owner: User, member: User) -> None:
    invite_to_cut(owner, cut, "juliette")
    comment = services.comment_on_cut(actor=member, cut=cut, body="Son trop fort", at="00:02:00:00")
    reply = services.reply_to_cut_comment(actor=owner, comment=comment, body="Corrigé au mixage")
    assert reply.parent == comment and reply.frame is None
    nested = services.reply_to_cut_comment(actor=member, comment=reply, body="Merci")
    assert nested.parent == comment  # replies stay one level deep
    with pytest.raises(PermissionDenied):
        services.set_cut_comment_resolved(actor=member, comment=comment, resolved=True)
    assert services.set_cut_comment_resolved(
        actor=owner, comment=comment, resolved=True
    ).is_resolved


def test_deleting_a_cut_removes_its_file(project: Project, owner: User, member: User) -> None:
    upload = SimpleUploadedFile("montage.mp4", MP4_HEAD)
    cut = services.add_cut(actor=owner, project=project, details=details(), video_file=upload)
    path = Path(cut.video_file.path)
    with pytest.raises(PermissionDenied):
        services.delete_cut(actor=member, cut=cut)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.delete_cut(actor=owner, cut=cut)
    assert not path.exists() and not Cut.objects.exists()
