"""The feedback pages: access, forms that keep what was typed, downloads, and query counts
that do not grow with the number of comments."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import FileResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.feedback import services
from contrechamp.feedback.models import Cut, CutComment, ScreenplayComment, ScreenplayVersion
from contrechamp.feedback.tests.conftest import invite_to_cut, invite_to_screenplay, sample
from contrechamp.projects.models import Project


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_url(version: ScreenplayVersion) -> str:
    return reverse("feedback:version", args=[version.project.slug, version.number])


def cut_url(cut: Cut) -> str:
    return reverse("feedback:cut", args=[cut.project.slug, cut.pk])


def test_the_team_pastes_a_screenplay_and_reads_it_laid_out(project: Project, owner: User) -> None:
    client = signed_in(owner)
    url = reverse("feedback:version_new", args=[project.slug])
    response = client.post(
        url, {"source": sample("la_calanque_v1.fountain"), "change_note": "Premier jet"}
    )
    version = ScreenplayVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version_url(version)
    page = client.get(version_url(version)).content.decode()
    assert '<p class="sp-character">LINA</p>' in page
    assert '<p class="sp-transition">CUT TO:</p>' in page
    assert "Premier jet" in page


def test_a_too_big_or_binary_file_is_refused_and_the_pasted_text_kept(
    project: Project, owner: User
) -> None:
    client = signed_in(owner)
    url = reverse("feedback:version_new", args=[project.slug])
    big = SimpleUploadedFile("gros.fountain", b"a" * (5 * 1024 * 1024))
    response = client.post(url, {"source": "INT. CABANON - JOUR", "file": big})
    assert response.status_code == 200
    page = response.content.decode()
    assert "larger than 1 MB" in page and "INT. CABANON - JOUR</textarea>" in page
    binary = SimpleUploadedFile("image.fountain", b"\x89PNG\r\n\x1a\n\x00\x00")
    response = client.post(url, {"file": binary})
    assert "This file is not text" in response.content.decode()
    assert not ScreenplayVersion.objects.exists()


def test_an_empty_version_form_says_what_is_missing(project: Project, owner: User) -> None:
    response = signed_in(owner).post(
        reverse("feedback:version_new", args=[project.slug]), {"source": " "}
    )
    assert "Paste the screenplay or choose a file." in response.content.decode()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_people_outside_the_team_and_reviewers_get_403(
    version_1: ScreenplayVersion, cut: Cut, request: pytest.FixtureRequest, who: str
) -> None:
    client = signed_in(request.getfixturevalue(who))
    slug = version_1.project.slug
    for url in (
        reverse("feedback:overview", args=[slug]),
        version_url(version_1),
        reverse("feedback:version_source", args=[slug, 1]),
        cut_url(cut),
        reverse("feedback:cut_export", args=[slug, cut.pk, "csv"]),
        reverse("feedback:version_new", args=[slug]),
        reverse("feedback:cut_new", args=[slug]),
        reverse("feedback:request_new", args=[slug]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(version_1: ScreenplayVersion) -> None:
    response = Client().get(version_url(version_1))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_reviewer_comments_on_a_line_and_a_bad_comment_keeps_its_text(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    client = signed_in(member)
    page = client.get(version_url(version_1) + "?line=17").content.decode()
    assert "On line 17:" in page and "Rien n&#x27;a bougé." in page
    too_long = "x" * 5001
    response = client.post(version_url(version_1), {"line": "17", "body": too_long})
    assert response.status_code == 200 and too_long in response.content.decode()
    response = client.post(version_url(version_1), {"line": "17", "body": "Trop court ?"})
    comment = ScreenplayComment.objects.get()
    assert response["Location"] == f"{version_url(version_1)}#comment-{comment.pk}"
    page = client.get(version_url(version_1)).content.decode()
    assert "1 comment" in page and "Trop court ?" in page


def test_a_reply_with_an_error_stays_open_with_its_text(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    comment = services.comment_on_screenplay(
        actor=member, version=version_1, body="Trop court", line=17
    )
    client = signed_in(owner)
    response = client.post(
        version_url(version_1), {"reply_to": str(comment.pk), "reply-body": "y" * 5001}
    )
    assert response.status_code == 200 and "y" * 5001 in response.content.decode()
    response = client.post(
        version_url(version_1), {"reply_to": str(comment.pk), "reply-body": "D'accord"}
    )
    assert response.status_code == 302 and comment.replies.get().body == "D'accord"


def test_outdated_comments_are_shown_apart_with_their_quote(
    version_1: ScreenplayVersion, owner: User
) -> None:
    services.comment_on_screenplay(actor=owner, version=version_1, body="À couper", line=30)
    version_2 = services.add_screenplay_version(
        actor=owner, project=version_1.project, source=sample("la_calanque_v2.fountain")
    )
    page = signed_in(owner).get(version_url(version_2)).content.decode()
    outdated = page.split('id="outdated-title"')[1]
    assert "À couper" in outdated and "On a toujours le choix. Ton père disait ça." in outdated


def test_the_team_resolves_from_the_page(version_1: ScreenplayVersion, owner: User) -> None:
    comment = services.comment_on_screenplay(
        actor=owner, version=version_1, body="À revoir", line=17
    )
    url = reverse("feedback:screenplay_comment_resolve", args=[version_1.project.slug, comment.pk])
    signed_in(owner).post(url, {"resolved": "on"})
    comment.refresh_from_db()
    assert comment.is_resolved


def test_the_screenplay_page_keeps_its_query_count_whatever_the_comments(
    version_1: ScreenplayVersion, owner: User
) -> None:
    client = signed_in(owner)
    url = version_url(version_1)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.comment_on_screenplay(actor=owner, version=version_1, body="Un", line=17)
    few = count()
    reviewers = [UserFactory.create(username=f"lecteur{i}") for i in range(4)]
    invite_to_screenplay(owner, version_1, *[r.username for r in reviewers])
    for i, reviewer in enumerate(reviewers):
        comment = services.comment_on_screenplay(
            actor=reviewer, version=version_1, body=f"C{i}", line=13
        )
        services.reply_to_screenplay_comment(actor=owner, comment=comment, body="Merci")
        services.comment_on_screenplay(actor=reviewer, version=version_1, body="Scène", scene=2)
    assert count() == few


def test_a_reviewer_comments_on_a_cut_and_a_wrong_timecode_is_explained(
    cut: Cut, owner: User, member: User
) -> None:
    invite_to_cut(owner, cut, "juliette")
    client = signed_in(member)
    page = client.get(cut_url(cut)).content.decode()
    assert "<video" in page and "data-timecode-now" in page
    response = client.post(cut_url(cut), {"at": "00:15:00:00", "body": "Le générique"})
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "after the end of the cut" in page
        and "Le générique" in page
    )
    response = client.post(cut_url(cut), {"at": "00:01:00:25", "body": "Image"})
    assert "frames go from 00 to 24" in response.content.decode()
    response = client.post(cut_url(cut), {"at": "00:01:05:12", "body": "Raccord sec"})
    assert response.status_code == 302 and CutComment.objects.get().frame == 65 * 25 + 12


def test_the_cut_page_lets_its_video_load_from_the_link(cut: Cut, owner: User) -> None:
    response = signed_in(owner).get(cut_url(cut))
    assert "media-src 'self' https: http:" in response["Content-Security-Policy"]


def test_the_cut_page_keeps_its_query_count_whatever_the_comments(cut: Cut, owner: User) -> None:
    client = signed_in(owner)
    url = cut_url(cut)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.comment_on_cut(actor=owner, cut=cut, body="Un", at="00:00:01:00")
    few = count()
    reviewers = [UserFactory.create(username=f"monteur{i}") for i in range(4)]
    invite_to_cut(owner, cut, *[r.username for r in reviewers])
    for i, reviewer in enumerate(reviewers):
        comment = services.comment_on_cut(
            actor=reviewer, cut=cut, body=f"C{i}", at=f"00:0{i}:10:00"
        )
        services.reply_to_cut_comment(actor=owner, comment=comment, body="Vu")
    assert count() == few


def test_exports_download_with_the_right_type_and_name(cut: Cut, owner: User) -> None:
    services.comment_on_cut(actor=owner, cut=cut, body="Étalonnage", at="00:01:00:00")
    client = signed_in(owner)
    slug = cut.project.slug
    response = client.get(reverse("feedback:cut_export", args=[slug, cut.pk, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="la-calanque-premier-montage-comments.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["00:01:00:00", "Nora", "Étalonnage", "no"]
    response = client.get(reverse("feedback:cut_export", args=[slug, cut.pk, "edl"]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].endswith('-markers.edl"')
    assert response.content.decode().startswith(
        "TITLE: La Calanque - Premier montage\r\nFCM: NON-DROP FRAME"
    )
    assert client.get(reverse("feedback:cut_export", args=[slug, cut.pk, "xml"])).status_code == 404


def test_an_uploaded_cut_is_served_only_to_the_team_and_its_reviewers(
    project: Project, owner: User, member: User, outsider: User
) -> None:
    client = signed_in(owner)
    upload = SimpleUploadedFile("montage.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    response = client.post(
        reverse("feedback:cut_new", args=[project.slug]),
        {"title": "Montage", "frame_rate": "25", "duration": "00:10:00:00", "video_file": upload},
    )
    cut = Cut.objects.get()
    assert response["Location"] == cut_url(cut)
    video = reverse("feedback:cut_video", args=[project.slug, cut.pk])
    response = client.get(video)
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x00\x18ftyp")
    assert signed_in(outsider).get(video).status_code == 403
    invite_to_cut(owner, cut, "juliette")
    assert signed_in(member).get(video).status_code == 200


def test_a_cut_form_with_errors_keeps_what_was_typed(project: Project, owner: User) -> None:
    response = signed_in(owner).post(
        reverse("feedback:cut_new", args=[project.slug]),
        {
            "title": "Montage final",
            "frame_rate": "25",
            "duration": "dix minutes",
            "video_url": "https://x.org/a.mp4",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "HH:MM:SS:FF" in page
    assert 'value="Montage final"' in page and 'value="https://x.org/a.mp4"' in page


def test_a_request_page_reminds_reviewers_of_the_charter(
    version_1: ScreenplayVersion, owner: User, member: User, outsider: User
) -> None:
    response = signed_in(owner).post(
        reverse("feedback:request_new", args=[version_1.project.slug]),
        {
            "target": f"version-{version_1.pk}",
            "usernames": "juliette",
            "message": "Le rythme de la scène 2 ?",
        },
    )
    feedback_request = version_1.requests.get()
    assert response["Location"] == feedback_request.get_absolute_url()
    page = signed_in(member).get(feedback_request.get_absolute_url()).content.decode()
    assert "Be frank but kind" in page and "Le rythme de la scène 2 ?" in page
    assert signed_in(outsider).get(feedback_request.get_absolute_url()).status_code == 403
    invitations = signed_in(member).get(reverse("feedback:invitations")).content.decode()
    assert feedback_request.get_absolute_url() in invitations


def test_a_request_to_an_unknown_member_keeps_the_form(
    version_1: ScreenplayVersion, owner: User
) -> None:
    response = signed_in(owner).post(
        reverse("feedback:request_new", args=[version_1.project.slug]),
        {"target": f"version-{version_1.pk}", "usernames": "personne", "message": "Merci !"},
    )
    page = response.content.decode()
    assert "no member named personne" in page and "Merci !" in page


def test_the_overview_shows_a_reviewer_only_what_they_were_invited_to(
    version_1: ScreenplayVersion, cut: Cut, owner: User, member: User
) -> None:
    invite_to_cut(owner, cut, "juliette")
    page = (
        signed_in(member)
        .get(reverse("feedback:overview", args=[version_1.project.slug]))
        .content.decode()
    )
    assert cut.title in page and "Version 1" not in page and "Feedback requests" not in page


def test_the_team_deletes_a_cut_and_reviewers_cannot(cut: Cut, owner: User, member: User) -> None:
    invite_to_cut(owner, cut, "juliette")
    url = reverse("feedback:cut_delete", args=[cut.project.slug, cut.pk])
    assert signed_in(member).post(url).status_code == 403
    response = signed_in(owner).post(url)
    assert response["Location"] == reverse("feedback:overview", args=[cut.project.slug])
    assert not Cut.objects.exists()


def test_threads_show_their_markup_escaped_with_working_forms(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    invite_to_screenplay(owner, version_1, "juliette")
    member.display_name = '<b onclick="x">Juliette</b>'
    member.save(update_fields=["display_name"])
    thread = services.comment_on_screenplay(
        actor=member, version=version_1, body="<script>alert(1)</script>\nDeux", line=17
    )
    services.reply_to_screenplay_comment(actor=owner, comment=thread, body="<i>Non</i>")
    on_scene = services.comment_on_screenplay(actor=member, version=version_1, body="S", scene=2)
    page = signed_in(owner).get(version_url(version_1)).content.decode()
    assert "<script>alert" not in page and "<i>Non</i>" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;<br>Deux" in page and "&lt;i&gt;Non&lt;/i&gt;" in page
    )
    assert "&lt;b onclick=&quot;x&quot;&gt;Juliette&lt;/b&gt;" in page
    threads = page.split('id="threads-title"')[1]
    # Whole-scene threads come first, then the threads on lines, each with its anchor.
    assert threads.index(f'id="comment-{on_scene.pk}"') < threads.index(f'id="comment-{thread.pk}"')
    assert f'aria-labelledby="comment-{thread.pk}-title"' in threads
    assert '<a href="#line-17">Line 17</a>' in threads and "Scene 2 ·" in threads
    resolve = reverse(
        "feedback:screenplay_comment_resolve", args=[version_1.project.slug, thread.pk]
    )
    assert f'action="{resolve}"' in threads
    assert f'<label for="reply-{thread.pk}">Your reply</label>' in threads
    assert threads.count('name="csrfmiddlewaretoken"') == 4  # a reply and a resolve form each
    # A reviewer outside the team replies but does not resolve.
    reviewer_page = signed_in(member).get(version_url(version_1)).content.decode()
    assert "Mark resolved" not in reviewer_page and "Send the reply" in reviewer_page


def test_the_screenplay_html_is_cached_per_version_and_language(
    version_1: ScreenplayVersion, owner: User
) -> None:
    from django.core.cache import cache
    from django.utils import translation

    from contrechamp.feedback import fountain, rendering

    cache.clear()
    services.comment_on_screenplay(actor=owner, version=version_1, body="Un", line=17)
    client = signed_in(owner)
    first = client.get(version_url(version_1)).content.decode()
    again = client.get(version_url(version_1)).content.decode()
    screenplay = first.split('aria-label="Screenplay"')[1].split("</section>")[0]
    assert screenplay == again.split('aria-label="Screenplay"')[1].split("</section>")[0]
    base = version_url(version_1)
    fresh = rendering.render(
        fountain.parse(version_1.source),
        comment_counts={17: 1},
        comment_link=lambda element: f"{base}?line={element.line}#comment-form",
    )
    assert str(fresh) in first and "1 comment on line 17" in first
    with translation.override("fr"):
        french = rendering.cached_layout(
            key=str(version_1.pk), source=version_1.source, parse=fountain.parse, link_base=base
        )
    with translation.override("en"):
        english = rendering.cached_layout(
            key=str(version_1.pk), source=version_1.source, parse=fountain.parse, link_base=base
        )
    assert 'aria-label="Comment on line 17"' in english.html
    assert french.html != english.html
    reading = rendering.cached_layout(
        key=str(version_1.pk), source=version_1.source, parse=fountain.parse, link_base=None
    )
    assert "sp-comment-link" not in reading.html and not reading.links
