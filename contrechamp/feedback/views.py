"""Feedback pages: find the project and the thing, check who asks, bind the form, call a
service. A refusal is shown beside the form that was sent, with what was typed."""

from collections import Counter
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.feedback import (
    exports,
    fountain,
    permissions,
    queries,
    rendering,
    services,
    threads_html,
    timecode,
)
from contrechamp.feedback.forms import (
    CommentForm,
    CutCommentForm,
    CutForm,
    RequestForm,
    ResolveForm,
    ScreenplayCommentForm,
    VersionForm,
)
from contrechamp.feedback.models import Cut, ScreenplayComment, ScreenplayVersion
from contrechamp.projects.models import Project
from contrechamp.projects.permissions import is_team_member

# A cut shared by link may be a video file on another site: the player may load it (the
# server itself never fetches it).
_CUT_PAGE_CSP: dict[str, Any] = {**settings.SECURE_CSP, "media-src": [CSP.SELF, "https:", "http:"]}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 9 else None


# --- Overview and invitations


@login_required
@require_GET
def invitations(request: HttpRequest) -> HttpResponse:
    """The feedback requests that invited the member."""
    member = signed_in_member(request)
    return render(request, "feedback/invitations.html", {"requests": queries.invitations(member)})


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The project's feedback space: screenplay versions, cuts and requests."""
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    on_team = is_team_member(member, project)
    sees_screenplay = permissions.can_review_screenplay(member, project)
    cuts = list(queries.visible_cuts(member, project))
    if not sees_screenplay and not cuts:
        raise PermissionDenied(_("Only the team and the reviewers it invited can see this."))
    context = {
        "project": project,
        "on_team": on_team,
        "sees_screenplay": sees_screenplay,
        "versions": list(queries.versions(project)) if sees_screenplay else [],
        "cuts": cuts,
        "requests": list(queries.requests_of(project)) if on_team else [],
    }
    return render(request, "feedback/overview.html", context)


# --- Screenplay


@login_required
@require_http_methods(["GET", "POST"])
def version_new(request: HttpRequest, slug: str) -> HttpResponse:
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    permissions.ensure_on_team(member, project)
    form = VersionForm(posted_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_screenplay_version(
                actor=member,
                project=project,
                source=form.cleaned_data["source"],
                change_note=form.cleaned_data["change_note"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Version %(number)s is added.") % {"number": version.number}
            )
            return redirect(version)
    latest = services.latest_version(project)
    return render(
        request, "feedback/version_form.html", {"project": project, "form": form, "latest": latest}
    )


@login_required
@require_GET
def screenplay(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest version, or the feedback space when there is none yet."""
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    permissions.ensure_can_review_screenplay(member, project)
    latest = services.latest_version(project)
    if latest is None:
        return redirect("feedback:overview", slug)
    latest.project = project
    return redirect(latest)


def _anchor_of(parsed: fountain.Screenplay, data: Any) -> dict[str, Any] | None:
    """What the comment form points at: {"line"/"scene", "text"} or None."""
    line, scene = _int(data.get("line")), _int(data.get("scene"))
    if line is not None:
        element = parsed.element_at(line)
        if element is not None and element.kind in rendering.COMMENTABLE:
            return {"line": line, "scene": None, "text": element.text, "kind": element.kind}
    elif scene is not None and scene in parsed.scene_headings:
        return {"line": None, "scene": scene, "text": parsed.scene_headings[scene]}
    return None


@login_required
@require_http_methods(["GET", "POST"])
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A version in screenplay layout with its comment threads; on the latest version,
    reviewers comment on a line (?line=N) or a scene (?scene=N) and reply to threads."""
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    permissions.ensure_can_review_screenplay(member, project)
    current = queries.version_or_404(project, number)
    latest = services.latest_version(project)
    is_latest = latest is not None and latest.pk == current.pk
    data = request.POST if request.method == "POST" else request.GET
    anchor = (
        _anchor_of(fountain.parse_cached(current.source), data)
        if is_latest and ("line" in data or "scene" in data)
        else None
    )
    comment_form = ScreenplayCommentForm(
        request.POST if request.method == "POST" and "reply_to" not in request.POST else None,
        initial={"line": anchor and anchor["line"], "scene": anchor and anchor["scene"]},
    )
    reply_to = _int(request.POST.get("reply_to")) if request.method == "POST" else None
    reply_form = CommentForm(request.POST if reply_to else None, prefix="reply")
    if request.method == "POST":
        try:
            if reply_to is not None:
                if reply_form.is_valid():
                    thread = queries.screenplay_comment_or_404(project, reply_to)
                    reply = services.reply_to_screenplay_comment(
                        actor=member, comment=thread, body=reply_form.cleaned_data["body"]
                    )
                    messages.success(request, _("Your reply is posted."))
                    return redirect(f"{current.get_absolute_url()}#comment-{reply.parent_id}")
            elif comment_form.is_valid():
                comment = services.comment_on_screenplay(
                    actor=member,
                    version=current,
                    body=comment_form.cleaned_data["body"],
                    line=comment_form.cleaned_data["line"],
                    scene=comment_form.cleaned_data["scene"],
                )
                messages.success(request, _("Your comment is posted."))
                return redirect(f"{current.get_absolute_url()}#comment-{comment.pk}")
        except DomainError as error:
            (reply_form if reply_to else comment_form).add_error(None, str(error.message))
    threads = queries.version_threads(current, replies=False)
    counts = Counter(thread.line for thread in threads if thread.line is not None)
    layout = rendering.cached_layout(
        key=str(current.pk),
        source=current.source,
        parse=fountain.parse_cached,
        link_base=current.get_absolute_url() if is_latest else None,
    )
    html = rendering.with_counts(layout, counts)
    by_scene: dict[int, list[ScreenplayComment]] = {}
    for thread in threads:
        if thread.line is None and thread.scene is not None:
            by_scene.setdefault(thread.scene, []).append(thread)
    scenes = [{"number": n, "heading": heading} for n, heading in layout.scene_headings.items()]
    on_team = is_team_member(member, project)
    page = threads_html.Page(
        project=project,
        csrf_token=get_token(request),
        post_url=current.get_absolute_url(),
        can_reply=is_latest,
        on_team=on_team,
        reply_to=reply_to,
        reply_form=reply_form,
        quote=True,
    )
    # Threads on whole scenes first, in the order of the scenes, then those on lines.
    listed = [t for n in layout.scene_headings for t in by_scene.get(n, [])]
    listed += [t for t in threads if t.line is not None]
    outdated = queries.outdated_threads(project, replies=False) if is_latest else []
    replies = queries.replies_by_thread(threads + outdated)
    context = {
        "project": project,
        "version": current,
        "latest": latest,
        "is_latest": is_latest,
        "on_team": on_team,
        "screenplay_html": html,
        "threads": listed,
        "threads_html": threads_html.render_threads(listed, page, replies=replies),
        "scenes": scenes,
        "outdated": outdated,
        "outdated_html": threads_html.render_threads(
            outdated, replace(page, can_reply=True), replies=replies
        ),
        "versions": list(queries.versions(project)),
        "anchor": anchor,
        "comment_form": comment_form,
        "reply_form": reply_form,
        "reply_to": reply_to,
    }
    return render(request, "feedback/version.html", context)


@login_required
@require_GET
def version_source(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The version's Fountain text, as a file."""
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    permissions.ensure_can_review_screenplay(member, project)
    current = queries.version_or_404(project, number)
    response = HttpResponse(current.source, content_type="text/plain; charset=utf-8")
    name = f"{slugify(project.slug) or 'screenplay'}-v{current.number}.fountain"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def screenplay_comment_resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    permissions.ensure_can_review_screenplay(member, project)
    comment = queries.screenplay_comment_or_404(project, pk)
    form = ResolveForm(request.POST)
    form.is_valid()
    resolved = bool(form.cleaned_data.get("resolved"))
    services.set_screenplay_comment_resolved(actor=member, comment=comment, resolved=resolved)
    messages.success(request, _("Marked resolved.") if resolved else _("Opened again."))
    return redirect(f"{comment.version.get_absolute_url()}#comment-{comment.pk}")


# --- Cuts


@login_required
@require_http_methods(["GET", "POST"])
def cut_new(request: HttpRequest, slug: str) -> HttpResponse:
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    permissions.ensure_on_team(member, project)
    form = CutForm(posted_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            cut = services.add_cut(
                actor=member,
                project=project,
                details=form.details(),
                video_file=form.cleaned_data["video_file"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The cut is shared with the team."))
            return redirect(cut)
    return render(request, "feedback/cut_form.html", {"project": project, "form": form})


def _cut(request: HttpRequest, slug: str, pk: int) -> tuple[Any, Project, Cut]:
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    cut = queries.cut_or_404(project, pk)
    permissions.ensure_can_review_cut(member, cut)
    return member, project, cut


@login_required
@require_http_methods(["GET", "POST"])
@csp_override(_CUT_PAGE_CSP)
def cut(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A cut with its timecoded threads; reviewers comment at a timecode (typed, or taken
    from the player) and reply."""
    member, project, current = _cut(request, slug, pk)
    reply_to = _int(request.POST.get("reply_to")) if request.method == "POST" else None
    comment_form = CutCommentForm(
        request.POST if request.method == "POST" and not reply_to else None, cut=current
    )
    reply_form = CommentForm(request.POST if reply_to else None, prefix="reply")
    if request.method == "POST":
        try:
            if reply_to is not None:
                if reply_form.is_valid():
                    thread = queries.cut_comment_or_404(current, reply_to)
                    reply = services.reply_to_cut_comment(
                        actor=member, comment=thread, body=reply_form.cleaned_data["body"]
                    )
                    messages.success(request, _("Your reply is posted."))
                    return redirect(f"{current.get_absolute_url()}#comment-{reply.parent_id}")
            elif comment_form.is_valid():
                comment = services.comment_on_cut(
                    actor=member,
                    cut=current,
                    body=comment_form.cleaned_data["body"],
                    at=comment_form.cleaned_data["at"],
                )
                messages.success(request, _("Your comment is posted."))
                return redirect(f"{current.get_absolute_url()}#comment-{comment.pk}")
        except DomainError as error:
            (reply_form if reply_to else comment_form).add_error(None, str(error.message))
    rate = timecode.rate_of(current.frame_rate)
    on_team = is_team_member(member, project)
    threads = queries.cut_threads(current)
    page = threads_html.Page(
        project=project,
        csrf_token=get_token(request),
        post_url=current.get_absolute_url(),
        can_reply=True,
        on_team=on_team,
        reply_to=reply_to,
        reply_form=reply_form,
        cut=current,
        seekable=current.is_direct_video,
    )
    context = {
        "project": project,
        "cut": current,
        "on_team": on_team,
        "threads": threads,
        "threads_html": threads_html.render_threads(threads, page),
        "comment_form": comment_form,
        "reply_form": reply_form,
        "reply_to": reply_to,
        "rate": rate,
        "video_src": reverse("feedback:cut_video", args=[project.slug, current.pk])
        if current.video_file
        else current.video_url,
    }
    return render(request, "feedback/cut.html", context)


@login_required
@require_POST
def cut_comment_resolve(request: HttpRequest, slug: str, pk: int, comment_pk: int) -> HttpResponse:
    member, _project, current = _cut(request, slug, pk)
    comment = queries.cut_comment_or_404(current, comment_pk)
    form = ResolveForm(request.POST)
    form.is_valid()
    resolved = bool(form.cleaned_data.get("resolved"))
    services.set_cut_comment_resolved(actor=member, comment=comment, resolved=resolved)
    messages.success(request, _("Marked resolved.") if resolved else _("Opened again."))
    return redirect(f"{current.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_POST
def cut_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The team removes a cut, its comments and its uploaded file."""
    member, project, current = _cut(request, slug, pk)
    services.delete_cut(actor=member, cut=current)
    messages.success(request, _("The cut and its comments are deleted."))
    return redirect("feedback:overview", project.slug)


@login_required
@require_GET
def cut_video(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """The uploaded video, to the team and the cut's reviewers only."""
    _member, _project, current = _cut(request, slug, pk)
    if not current.video_file:
        raise Http404
    try:
        handle = current.video_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=current.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'inline; filename="{current.file_name or "cut"}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _markers(current: Cut) -> list[exports.Marker]:
    return [
        exports.Marker(
            frame=comment.frame or 0,
            author=comment.author.public_name,
            text=comment.body,
            resolved=comment.is_resolved,
        )
        for comment in queries.cut_markers(current)
    ]


@login_required
@require_GET
def cut_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    """The cut's comments as editing markers: CSV or CMX3600 EDL."""
    if fmt not in ("csv", "edl"):
        raise Http404
    _member, project, current = _cut(request, slug, pk)
    name = slugify(f"{project.slug}-{current.title}")[:80] or "cut"
    if fmt == "csv":
        content = exports.to_csv(
            _markers(current),
            frame_rate=current.frame_rate,
            header=[_("timecode"), _("author"), _("comment"), _("resolved")],
        )
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-comments.csv"'
        return response
    content = exports.to_edl(
        _markers(current), title=f"{project.title} - {current.title}", frame_rate=current.frame_rate
    )
    response = HttpResponse(content, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-markers.edl"'
    return response


# --- Requests


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    permissions.ensure_on_team(member, project)
    versions: list[ScreenplayVersion] = list(queries.versions(project)[:20])
    cuts = list(queries.visible_cuts(member, project)[:50])
    initial = {}
    if request.GET.get("cut", "").isdigit():
        initial["target"] = f"cut-{request.GET['cut']}"
    elif versions:
        initial["target"] = f"version-{versions[0].pk}"
    form = RequestForm(
        posted_data(request), member=member, versions=versions, cuts=cuts, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback_request = services.request_feedback(
                actor=member,
                project=project,
                version=form.target_version(),
                cut=form.target_cut(),
                usernames=form.usernames_list(),
                network=form.cleaned_data["network"],
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Sent to %(count)s reviewers.") % {"count": feedback_request.reviewers.count()},
            )
            return redirect(feedback_request)
    context = {"project": project, "form": form, "has_targets": bool(versions or cuts)}
    return render(request, "feedback/request_form.html", context)


@login_required
@require_GET
def request_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """What a request asks, with the reminder of how to give feedback."""
    member = signed_in_member(request)
    project = queries.project_or_404(slug)
    feedback_request = queries.request_or_404(project, pk)
    on_team = is_team_member(member, project)
    if not on_team and not queries.is_invited_by(member, feedback_request):
        raise PermissionDenied(_("Only the team and the reviewers it invited can see this."))
    context = {"project": project, "feedback_request": feedback_request, "on_team": on_team}
    return render(request, "feedback/request_detail.html", context)
