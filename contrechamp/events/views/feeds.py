"""Calendar and Atom feeds: an event, a network, a member's own calendar, and the page
where a member finds (and resets) their calendar address.

Feeds are read by calendar apps and feed readers that never sign in: a network's feed
shows them its public events, a member's feed is reached by its secret address only.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contrechamp.accounts.requests import signed_in_member
from contrechamp.events.models import Event
from contrechamp.events.permissions import ensure_can_see
from contrechamp.events.queries import calendar as queries
from contrechamp.events.services import calendar as services
from contrechamp.networks.models import Network

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _site() -> queries.Site:
    """Links and UIDs name the site's configured address (as its emails and its Atom feeds
    do), not the host a request came through: a UID must not change with it."""
    return queries.Site(
        base_url=settings.SITE_URL, host=urlsplit(settings.SITE_URL).hostname or "localhost"
    )


def _calendar_response(body: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        # What a signed-in member or a secret address sees must not sit in shared caches.
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One event as a calendar file, for those who may see it (the designed 403 else)."""
    event = get_object_or_404(queries.event_for_feed(pk))
    ensure_can_see(request.user, event)
    return _calendar_response(
        queries.event_calendar(event, _site()),
        filename=f"event-{event.pk}.ics",
        private=not event.is_public,
    )


@require_safe
def network_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's calendar: its public events, and its members-only ones for members."""
    network = get_object_or_404(Network, slug=slug)
    events = queries.network_feed_events(request.user, network)
    return _calendar_response(
        queries.network_calendar(network, events, _site()),
        filename=f"{network.slug}.ics",
        private=request.user.is_authenticated,
    )


@require_safe
def member_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A member's own calendar, at the secret address shown on their calendar page."""
    member = queries.member_with_token(token)
    if member is None:
        raise Http404
    return _calendar_response(
        queries.member_calendar(member, queries.member_feed(member), _site()),
        filename="contrechamp.ics",
        private=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The member's calendar address (made on the first visit), how to subscribe to it in
    a calendar app, and a button to reset it."""
    member = signed_in_member(request)
    if request.method == "POST":
        services.reset_calendar_token(actor=member)
        messages.success(
            request, _("Your calendar has a new address: the old one no longer works.")
        )
        return redirect("events:my_calendar")
    token = services.calendar_token_for(member)
    address = _site().url(reverse("events:member_ics", args=[token.token]))
    context = {
        "https_url": address,
        # webcal:// asks the system to open its calendar app and subscribe.
        "webcal_url": "webcal://" + address.split("://", 1)[1],
    }
    return render(request, "events/feeds/my_calendar.html", context)


class NetworkEventsFeed(Feed[Event, Network]):
    """A network's coming public events as an Atom feed, newest announced first."""

    feed_type = Atom1Feed
    description_template = "events/feeds/atom_entry.html"

    def get_object(self, request: HttpRequest, slug: str) -> Network:
        return get_object_or_404(Network, slug=slug)

    def title(self, obj: Network) -> str:
        return _("%(network)s — events") % {"network": obj.name}

    def subtitle(self, obj: Network) -> str:
        return _("The coming public events of %(network)s.") % {"network": obj.name}

    def link(self, obj: Network) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Network) -> list[Event]:
        return queries.network_atom_events(obj)

    def item_title(self, item: Event) -> str:
        if item.is_cancelled:
            return _("Cancelled: %(title)s") % {"title": item.title}
        return item.title

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Event) -> object:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Event) -> object:
        return item.updated_at

    def item_author_name(self, item: Event) -> str:
        return item.network.name


network_atom = NetworkEventsFeed()
