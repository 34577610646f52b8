"""Guide pages: find the guide the viewer may see (404 otherwise), bind the form, call a
service. A service's refusal is shown beside the form that was sent, with what was typed
(DomainError), or as the designed 403 page (PermissionDenied)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.markdown import render_markdown
from contrechamp.core.pagination import paginate, paginate_capped
from contrechamp.guides import diff, queries, services
from contrechamp.guides.forms import AttachmentForm, EditorForm, GuideForm, SharingForm
from contrechamp.guides.models import Guide, GuideAttachment
from contrechamp.guides.permissions import ensure_can_edit, ensure_can_manage

PER_PAGE = 20
VERSIONS_PER_PAGE = 50


def _guide(viewer: User | AnonymousUser, pk: int) -> Guide:
    guide = queries.guide_page(viewer, pk).first()
    if guide is None:
        raise Http404
    return guide


@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    """Guides the viewer may see: by words, kind, network and tag."""
    filters = queries.GuideFilters.from_query(request.GET)
    page = paginate_capped(request, queries.search_guides(request.user, filters), per_page=PER_PAGE)
    context = {
        "filters": filters,
        "page_obj": page,
        "kinds": Guide.Kind.choices,
        "networks": queries.network_choices(request.user, filters.network),
        "tags": queries.tag_choices(),
    }
    return render(request, "guides/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def guide_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = GuideForm(posted_data(request), member=actor)
    if request.method == "POST" and form.is_valid():
        try:
            guide = services.create_guide(
                actor=actor,
                details=form.details(),
                network=form.cleaned_data.get("network"),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("The guide is saved. Choose below who may read it and who edits it.")
            )
            return redirect("guides:sharing", pk=guide.pk)
    return render(request, "guides/form.html", {"form": form, "guide": None})


@require_GET
def guide_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request.user, pk)
    rights = queries.viewer_rights(request.user, guide)
    context = {
        "guide": guide,
        "body": render_markdown(guide.body),
        "rights": rights,
        "attachment_form": AttachmentForm() if rights.can_edit else None,
    }
    return render(request, "guides/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    ensure_can_edit(actor, guide)
    form = GuideForm(posted_data(request), initial=GuideForm.initial_for(guide))
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_guide(
                actor=actor,
                guide=guide,
                details=form.details(),
                based_on=form.cleaned_data["based_on"] or 0,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            conflict = form.cleaned_data["based_on"] != guide.version
            if conflict:
                # The editor has now seen the latest version: their next save builds on it.
                data = request.POST.copy()
                data["based_on"] = str(guide.version)
                form = GuideForm(data, initial=GuideForm.initial_for(guide))
                form.is_valid()
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect(guide)
    context = {
        "form": form,
        "guide": guide,
        "conflict": conflict,
        "latest_body": render_markdown(guide.body) if conflict else "",
    }
    return render(request, "guides/form.html", context, status=409 if conflict else 200)


def _sharing_page(
    request: HttpRequest,
    actor: User,
    guide: Guide,
    *,
    sharing_form: SharingForm | None = None,
    editor_form: EditorForm | None = None,
) -> HttpResponse:
    context = {
        "guide": guide,
        "sharing_form": sharing_form
        or SharingForm(
            member=actor,
            guide=guide,
            initial={"is_public": guide.is_public, "networks": list(guide.shared_with.all())},
        ),
        "editor_form": editor_form or EditorForm(),
        "editors": services.editors_of(guide).order_by("display_name", "username"),
    }
    failed = (sharing_form is not None and sharing_form.errors) or (
        editor_form is not None and editor_form.errors
    )
    return render(request, "guides/sharing.html", context, status=400 if failed else 200)


@login_required
@require_http_methods(["GET", "POST"])
def guide_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    """Who reads the guide (public, networks) and who edits it (co-editors)."""
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    ensure_can_manage(actor, guide)
    if request.method != "POST":
        return _sharing_page(request, actor, guide)
    form = SharingForm(request.POST, member=actor, guide=guide)
    if form.is_valid():
        try:
            services.set_sharing(
                actor=actor,
                guide=guide,
                is_public=form.cleaned_data["is_public"],
                networks=list(form.cleaned_data["networks"]),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Sharing saved."))
            return redirect("guides:sharing", pk=guide.pk)
    return _sharing_page(request, actor, guide, sharing_form=form)


@login_required
@require_POST
def editor_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    ensure_can_manage(actor, guide)
    form = EditorForm(request.POST)
    if form.is_valid():
        member = form.cleaned_data["username"]
        try:
            services.add_editor(actor=actor, guide=guide, member=member)
        except DomainError as error:
            form.add_error("username", str(error.message))
        else:
            messages.success(
                request, _("%(name)s can now edit this guide.") % {"name": member.public_name}
            )
            return redirect("guides:sharing", pk=guide.pk)
    return _sharing_page(request, actor, guide, editor_form=form)


@login_required
@require_POST
def editor_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """The owner removes a co-editor; a co-editor may remove themself."""
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    member = get_object_or_404(User, pk=user_id)
    try:
        services.remove_editor(actor=actor, guide=guide, member=member)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("%(name)s no longer edits this guide.") % {"name": member.public_name}
        )
    if actor.pk == member.pk:
        return redirect(guide)
    return redirect("guides:sharing", pk=guide.pk)


@login_required
@require_POST
def guide_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect("guides:sharing", pk=guide.pk)
    services.delete_guide(actor=actor, guide=guide)
    messages.success(request, _("The guide, its history and its files are deleted."))
    return redirect("guides:list")


@require_GET
def guide_history(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide(request.user, pk)
    page = paginate(request, queries.versions(guide), per_page=VERSIONS_PER_PAGE)
    rights = queries.viewer_rights(request.user, guide)
    return render(
        request, "guides/history.html", {"guide": guide, "page_obj": page, "rights": rights}
    )


def _number(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if 1 <= value <= 2**31 else None


@require_GET
def guide_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions compared: `?from=` the older, `?to=` the newer (the latest by default)."""
    guide = _guide(request.user, pk)
    first = _number(request, "from") or max(guide.version - 1, 1)
    second = _number(request, "to") or guide.version
    older, newer = (
        queries.version(guide, min(first, second)),
        queries.version(guide, max(first, second)),
    )
    if older is None or newer is None:
        raise Http404
    labels = {
        "kind": _("Kind"),
        "title": _("Title"),
        "summary": _("Summary"),
        "tags": _("Tags"),
    }
    context = {"guide": guide, "diff": diff.compare(older, newer, labels)}
    return render(request, "guides/diff.html", context)


@require_GET
def guide_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    guide = _guide(request.user, pk)
    version = queries.version(guide, number)
    if version is None:
        raise Http404
    context = {
        "guide": guide,
        "version": version,
        "body": render_markdown(version.body),
        "rights": queries.viewer_rights(request.user, guide),
    }
    return render(request, "guides/version.html", context)


@login_required
@require_POST
def version_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    try:
        based_on = int(request.POST.get("based_on", ""))
    except ValueError:
        based_on = 0
    try:
        services.restore_version(actor=actor, guide=guide, number=number, based_on=based_on)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("guides:version", pk=guide.pk, number=number)
    messages.success(
        request, _("Version %(number)d is restored as a new version.") % {"number": number}
    )
    return redirect(guide)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    ensure_can_edit(actor, guide)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attach_file(
                actor=actor, guide=guide, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            messages.success(
                request, _("%(name)s is attached.") % {"name": attachment.original_name}
            )
            return redirect(guide)
    context = {
        "guide": guide,
        "body": render_markdown(guide.body),
        "rights": queries.viewer_rights(actor, guide),
        "attachment_form": form,
    }
    return render(request, "guides/detail.html", context, status=400)


def _attachment(viewer: User | AnonymousUser, pk: int) -> GuideAttachment:
    attachment = get_object_or_404(GuideAttachment.objects.only("pk", "guide_id"), pk=pk)
    found = queries.visible_guides(viewer).filter(pk=attachment.guide_id).exists()
    if not found:
        raise Http404
    return get_object_or_404(GuideAttachment.objects.select_related("guide"), pk=pk)


@require_GET
@never_cache
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a guide the viewer may see (404 otherwise, even for a public guide's
    file once the guide stops being shared)."""
    attachment = _attachment(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except OSError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    attachment = _attachment(actor, pk)
    services.remove_attachment(actor=actor, attachment=attachment)
    messages.success(request, _("%(name)s is removed.") % {"name": attachment.original_name})
    return redirect(attachment.guide)


@login_required
@require_POST
def guide_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    """ "This guide helped me", or taking it back (`withdraw=1`)."""
    actor = signed_in_member(request)
    guide = _guide(actor, pk)
    try:
        if request.POST.get("withdraw") == "1":
            services.withdraw_helpful(actor=actor, guide=guide)
        else:
            services.mark_helpful(actor=actor, guide=guide)
            messages.success(request, _("Thank you: the authors will know it helped."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(guide)
