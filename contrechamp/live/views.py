"""Room pages. Without JavaScript they read the history page by page and post by form
through the same services as the websocket; with it, room.js takes over live."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.events.models import Event
from contrechamp.live import queries, services
from contrechamp.live.forms import (
    HandOverForm,
    MessageForm,
    ReactionForm,
    SanctionForm,
    WatchPartyForm,
)
from contrechamp.live.models import REACTIONS, Room
from contrechamp.live.permissions import can_moderate, ensure_can_enter, is_muted
from contrechamp.live.text import video_origin
from contrechamp.networks.models import Network


def _room(request: HttpRequest, pk: int) -> Room:
    room = queries.room(pk)
    if room is None:
        raise Http404
    ensure_can_enter(signed_in_member(request), room)
    return room


def _before(request: HttpRequest) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() and len(value) < 18 else None


def _render_room(
    request: HttpRequest,
    room: Room,
    *,
    message_form: MessageForm | None = None,
    watch_form: WatchPartyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = signed_in_member(request)
    moderator = can_moderate(viewer, room)
    chunk = queries.history(room, before=_before(request))
    present = queries.present_members(room)
    context: dict[str, Any] = {
        "room": room,
        "chunk": chunk,
        "reaction_choices": REACTIONS,
        "moderator": moderator,
        "muted": is_muted(room, viewer),
        "message_form": message_form or MessageForm(),
        "present": present,
        "position_now": room.position_at(timezone.now()),
        "is_host": room.host_id == viewer.pk,
        "ws_path": f"/ws/rooms/{room.pk}/",
    }
    if moderator:
        context["watch_form"] = watch_form or WatchPartyForm(initial={"video_url": room.video_url})
        context["sanctions"] = queries.active_sanctions(room)
        context["audit"] = queries.audit(room)
        context["sanction_form"] = SanctionForm()
    if room.video_url and (moderator or context["is_host"]):
        context["hand_over_form"] = HandOverForm(
            choices=[
                (member.pk, member.public_name) for member in present if member.pk != viewer.pk
            ]
        )
    response = render(request, "live/room.html", context, status=status)
    if room.video_url:
        # The film plays from its own host: allow that origin for media, nothing else.
        response._csp_config = {  # type: ignore[attr-defined]
            **settings.SECURE_CSP,
            "media-src": [CSP.SELF, video_origin(room.video_url)],
        }
    return response


@login_required
@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_room(request, _room(request, pk))


@login_required
@require_GET
def event_room(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("network"), pk=event_id)
    room = services.open_event_room(actor=signed_in_member(request), event=event)
    return redirect(room)


@login_required
@require_GET
def network_room(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    room = services.open_network_room(actor=signed_in_member(request), network=network)
    return redirect(room)


@login_required
@require_POST
def post(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room(request, pk)
    form = MessageForm(posted_data(request))
    if form.is_valid():
        try:
            services.post_message(
                actor=signed_in_member(request), room=room, body=form.cleaned_data["body"]
            )
        except services.RateLimited as error:
            form.add_error("body", str(error.message))
            return _render_room(request, room, message_form=form, status=429)
        except (DomainError, PermissionDenied) as error:
            form.add_error("body", str(getattr(error, "message", error)))
        else:
            return redirect(reverse("live:room", args=[room.pk]) + "#chat-form")
    return _render_room(request, room, message_form=form, status=400)


def _message_of(room: Room, pk: int) -> Any:
    message = queries.message_in(room, pk)
    if message is None:
        raise Http404
    return message


@login_required
@require_POST
def react(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    room = _room(request, pk)
    form = ReactionForm(request.POST)
    if form.is_valid():
        services.toggle_reaction(
            actor=signed_in_member(request),
            message=_message_of(room, message_id),
            emoji=form.cleaned_data["emoji"],
        )
    return redirect(reverse("live:room", args=[room.pk]) + f"#message-{message_id}")


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    room = _room(request, pk)
    services.delete_message(actor=signed_in_member(request), message=_message_of(room, message_id))
    messages.success(request, _("The message is deleted."))
    return redirect(room)


@login_required
@require_POST
def sanction(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room(request, pk)
    actor = signed_in_member(request)
    form = SanctionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a member, an action and a duration."))
        return redirect(room)
    member = queries.member(form.cleaned_data["member"])
    if member is None:
        raise Http404
    try:
        action = form.cleaned_data["action"]
        if action == "mute":
            services.mute_member(
                actor=actor, room=room, member=member, minutes=form.cleaned_data["minutes"] or 60
            )
            messages.success(request, _("%(name)s is muted.") % {"name": member.public_name})
        elif action == "ban":
            services.ban_member(actor=actor, room=room, member=member)
            messages.success(
                request, _("%(name)s is banned from the room.") % {"name": member.public_name}
            )
        else:
            services.lift_sanctions(actor=actor, room=room, member=member)
            messages.success(request, _("Sanctions lifted."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(room)


@login_required
@require_http_methods(["POST"])
def watch_party(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room(request, pk)
    form = WatchPartyForm(request.POST)
    if form.is_valid():
        try:
            services.start_watch_party(
                actor=signed_in_member(request), room=room, video_url=form.cleaned_data["video_url"]
            )
        except DomainError as error:
            form.add_error("video_url", str(error.message))
        else:
            return redirect(reverse("live:room", args=[room.pk]) + "#watch-party")
    return _render_room(request, room, watch_form=form, status=400)


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room(request, pk)
    raw = request.POST.get("member", "")
    member = queries.member(int(raw)) if raw.isdigit() and len(raw) < 18 else None
    if member is None:
        messages.error(request, _("Choose a member."))
        return redirect(room)
    try:
        services.hand_over(actor=signed_in_member(request), room=room, member=member)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s now hosts the film.") % {"name": member.public_name})
    return redirect(reverse("live:room", args=[room.pk]) + "#watch-party")
