"""Story and endorsement pages: find the object, check who asks, bind the form, call a
service. A service's refusal is shown beside the form that was sent, with what was typed
(DomainError), or as the designed 403 page (PermissionDenied)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate
from contrechamp.networks.models import Network, Role, RoleAssignment
from contrechamp.stories import queries, services
from contrechamp.stories.forms import CommentForm, EndorsementForm, ImageForm, StoryForm
from contrechamp.stories.models import Comment, NetworkTag, PersonTag, Story, StoryImage
from contrechamp.stories.rendering import placed_numbers, render_story

PER_PAGE = 20


def _viewer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _own_story(request: HttpRequest, story_id: int) -> tuple[User, Story]:
    actor = signed_in_member(request)
    story = get_object_or_404(Story, pk=story_id)
    services.ensure_author(actor, story)
    return actor, story


@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    """Published stories: by words, network involved, person involved."""
    filters = queries.StoryFilters.from_query(request.GET)
    page = paginate(request, queries.published_stories(filters), per_page=PER_PAGE)
    context = {
        "filters": filters,
        "page_obj": page,
        "network": queries.filter_network(filters),
        "person": queries.filter_person(filters),
    }
    return render(request, "stories/list.html", context)


def _story_fields(form: StoryForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "lead": data["lead"],
        "body": data["body"],
        "networks": data["networks"],
        "people": data["people"],
        "publish": data["publish"],
        "cover": data.get("cover"),
        "cover_alt": data["cover_alt"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = StoryForm(posted_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.create_story(actor=actor, **_story_fields(form))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            if story.is_published:
                messages.success(request, _("Your story is published."))
            else:
                messages.success(
                    request, _("Your draft is saved. Add images, then publish it when ready.")
                )
            return redirect("stories:edit", story.pk)
    return render(request, "stories/form.html", {"form": form, "story": None})


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, story_id: int) -> HttpResponse:
    actor, story = _own_story(request, story_id)
    form = StoryForm(
        posted_data(request),
        request.FILES or None,
        story=story,
        initial=StoryForm.initial_for(story) if request.method == "GET" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            story = services.update_story(
                actor=actor,
                story=story,
                remove_cover=form.cleaned_data.get("remove_cover", False),
                **_story_fields(form),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your story is saved."))
            return redirect(story)
    return _edit_page(request, story, form, ImageForm())


def _edit_page(
    request: HttpRequest, story: Story, form: StoryForm, image_form: ImageForm
) -> HttpResponse:
    context = {
        "form": form,
        "story": story,
        "image_form": image_form,
        "images": list(story.images.all()),
        "pending_tags": list(
            story.person_tags.filter(status=PersonTag.Status.PENDING).select_related("person")
        ),
    }
    return render(request, "stories/form.html", context)


@login_required
@require_POST
def image_add(request: HttpRequest, story_id: int) -> HttpResponse:
    actor, story = _own_story(request, story_id)
    image_form = ImageForm(request.POST, request.FILES)
    if image_form.is_valid():
        try:
            image = services.add_image(
                actor=actor,
                story=story,
                upload=image_form.cleaned_data["image"],
                alt_text=image_form.cleaned_data["alt_text"],
            )
        except DomainError as error:
            image_form.add_error("image", str(error.message))
        else:
            messages.success(
                request,
                _("Image added: place it in the text with [[image %(number)s]].")
                % {"number": image.number},
            )
            return redirect(reverse("stories:edit", args=[story.pk]) + "#images")
    form = StoryForm(story=story, initial=StoryForm.initial_for(story))
    return _edit_page(request, story, form, image_form)


@login_required
@require_POST
def image_remove(request: HttpRequest, image_id: int) -> HttpResponse:
    actor = signed_in_member(request)
    image = get_object_or_404(StoryImage, pk=image_id)
    services.remove_image(actor=actor, image=image)
    messages.success(request, _("Image removed."))
    return redirect(reverse("stories:edit", args=[image.story_id]) + "#images")


@login_required
@require_http_methods(["GET", "POST"])
def story_delete(request: HttpRequest, story_id: int) -> HttpResponse:
    actor, story = _own_story(request, story_id)
    if request.method == "POST":
        services.delete_story(actor=actor, story=story)
        messages.success(request, _("Your story is deleted."))
        return redirect("stories:mine")
    return render(request, "stories/delete.html", {"story": story})


def _detail_page(
    request: HttpRequest, story: Story, comment_form: CommentForm, *, status: int = 200
) -> HttpResponse:
    viewer = _viewer(request)
    images = list(story.images.all())
    placed = placed_numbers(story.body)
    network_ids = [tag.network_id for tag in story.shown_network_tags]  # type: ignore[attr-defined]
    admin_of: set[int] = set()
    if viewer is not None and network_ids:
        admin_of = set(
            RoleAssignment.objects.filter(
                user=viewer, role=Role.ADMIN, ended_at__isnull=True, network_id__in=network_ids
            ).values_list("network_id", flat=True)
        )
    is_author = viewer is not None and viewer.pk == story.author_id
    my_tag = None
    if viewer is not None and not is_author:
        my_tag = PersonTag.objects.filter(story=story, person=viewer).first()
    context = {
        "story": story,
        "body_html": render_story(story.body, images),
        "gallery": [image for image in images if image.number not in placed],
        "is_author": is_author,
        "admin_of": admin_of,
        "my_tag": my_tag,
        "comment_form": comment_form,
        "comments": list(story.comments.all()),
    }
    return render(request, "stories/detail.html", context, status=status)


def _readable_story(request: HttpRequest, story_id: int) -> Story:
    story = get_object_or_404(queries.story_page(story_id))
    if not services.may_read(_viewer(request), story):
        raise Http404
    return story


@require_GET
def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _readable_story(request, story_id)
    return _detail_page(request, story, CommentForm())


@login_required
@require_POST
def comment_add(request: HttpRequest, story_id: int) -> HttpResponse:
    actor = signed_in_member(request)
    story = _readable_story(request, story_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.add_comment(actor=actor, story=story, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error("body", str(error.message))
        else:
            return redirect(f"{story.get_absolute_url()}#comment-{comment.pk}")
    return _detail_page(request, story, form, status=400)


@login_required
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    actor = signed_in_member(request)
    comment = get_object_or_404(Comment, pk=comment_id)
    services.delete_comment(actor=actor, comment=comment)
    messages.success(request, _("Comment deleted."))
    return redirect(reverse("stories:detail", args=[comment.story_id]) + "#comments")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The member's stories, drafts included, and the tags that name them."""
    member = signed_in_member(request)
    context = {
        "stories": list(queries.stories_of(member)[:200]),
        "tags": list(queries.tags_of(member)[:200]),
    }
    return render(request, "stories/mine.html", context)


@login_required
@require_POST
def tag_answer(request: HttpRequest, tag_id: int, action: str) -> HttpResponse:
    actor = signed_in_member(request)
    if action not in ("accept", "refuse", "remove"):
        raise Http404
    tag = get_object_or_404(PersonTag, pk=tag_id, person=actor)
    try:
        if action == "accept":
            services.answer_tag(actor=actor, tag=tag, accept=True)
            messages.success(request, _("You are now shown in this story."))
        elif action == "refuse":
            services.answer_tag(actor=actor, tag=tag, accept=False)
            messages.success(request, _("You will not be shown in this story."))
        else:
            services.remove_my_tag(actor=actor, tag=tag)
            messages.success(request, _("Your name is removed from this story."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(reverse("stories:mine") + "#tags")


@login_required
@require_POST
def network_tag_remove(request: HttpRequest, tag_id: int) -> HttpResponse:
    actor = signed_in_member(request)
    tag = get_object_or_404(NetworkTag, pk=tag_id)
    services.remove_network_tag(actor=actor, tag=tag)
    messages.success(request, _("The network is no longer tagged in this story."))
    return redirect("stories:detail", tag.story_id)


# -- Endorsements --------------------------------------------------------------------


@require_GET
def endorsements(request: HttpRequest, slug: str) -> HttpResponse:
    """Every recommendation of a network, latest first."""
    network = get_object_or_404(Network, slug=slug)
    page = paginate(request, queries.endorsements_of(network), per_page=PER_PAGE)
    viewer = _viewer(request)
    mine_here = queries.own_endorsement(viewer, network) if viewer is not None else None
    context = {"network": network, "page_obj": page, "mine": mine_here}
    return render(request, "stories/endorsements.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def endorse(request: HttpRequest, slug: str) -> HttpResponse:
    """Write, or change, one's recommendation of the network."""
    actor = signed_in_member(request)
    network = get_object_or_404(Network, slug=slug)
    existing = queries.own_endorsement(actor, network)
    refusal = services.endorsement_refusal(actor, network)
    initial = (
        {"text": existing.text, "story": existing.story_id}
        if existing is not None and request.method == "GET"
        else None
    )
    form = EndorsementForm(posted_data(request), member=actor, initial=initial)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.endorse(
                actor=actor,
                network=network,
                text=form.cleaned_data["text"],
                story=form.cleaned_data["story"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Thank you: your recommendation is shown."))
            return redirect("stories:endorsements", network.slug)
    context = {
        "network": network,
        "form": form,
        "existing": existing,
        "refusal": refusal,
    }
    return render(request, "stories/endorse.html", context)


@login_required
@require_POST
def endorsement_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = get_object_or_404(Network, slug=slug)
    existing = queries.own_endorsement(actor, network)
    if existing is None:
        raise Http404
    services.withdraw_endorsement(actor=actor, endorsement=existing)
    messages.success(request, _("Your recommendation is withdrawn."))
    return redirect(network)
