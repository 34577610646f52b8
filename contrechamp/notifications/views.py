"""Notification pages: the inbox and its bell, the settings per kind, unsubscribe links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import ensure_role, standing
from contrechamp.notifications import kinds, newsletter, queries, services, unsubscribe
from contrechamp.notifications.forms import NewsletterForm, PreferencesForm
from contrechamp.notifications.links import safe_local_path

# The htmx status that tells a polling element to stop: a signed-out page has no bell.
HTMX_STOP_POLLING = 286


@login_required
@never_cache
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    page_obj = paginate(request, queries.inbox(member))
    return render(request, "notifications/inbox.html", {"page_obj": page_obj})


@never_cache
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell alone, for htmx to refresh it; signed out, polling stops."""
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    return render(request, "notifications/inbox.html#bell")


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the member's notifications read and go where it points (on this site)."""
    member = signed_in_member(request)
    notification = get_object_or_404(queries.inbox(member), pk=pk)
    services.mark_read(actor=member, notification=notification)
    return redirect(safe_local_path(notification.url) or "notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    if services.mark_all_read(actor=member):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    current = queries.preferences(member)
    form = PreferencesForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(actor=member, member=member, choices=form.choices())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the proof; mail clients post without a CSRF token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (the button, or a mail client's one-click) applies it."""
    try:
        link = unsubscribe.read_token(token)
    except unsubscribe.ExpiredToken:
        return render(request, "notifications/unsubscribe.html", {"expired": True}, status=410)
    except unsubscribe.InvalidToken:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    member = User.objects.filter(pk=link.member_id, is_active=True, deleted_at__isnull=True).first()
    if member is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    registered = {kind.slug: kind for kind in kinds.all_kinds()}
    chosen = [registered[slug] for slug in link.kind_slugs if slug in registered]
    context: dict[str, object] = {"kinds": chosen, "token": token}
    if request.method == "POST":
        context["kinds"] = services.unsubscribe(actor=member, kind_slugs=link.kind_slugs)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)


def _network(slug: str) -> Network:
    return get_object_or_404(Network.objects.all(), slug=slug)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def compose_newsletter(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers write the introduction, preview the whole newsletter, then send it."""
    member = signed_in_member(request)
    network = _network(slug)
    me = ensure_role(member, network, services.NEWSLETTER_ROLES)
    form = NewsletterForm(request.POST if request.method == "POST" else None)
    previous = queries.newsletters(network).first()
    context: dict[str, object] = {"network": network, "me": me, "form": form, "previous": previous}
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send":
            try:
                sent = services.send_newsletter(
                    actor=member,
                    network=network,
                    subject=form.cleaned_data["subject"],
                    introduction=form.cleaned_data["introduction"],
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request,
                    ngettext(
                        "The newsletter is sent to %(count)d member.",
                        "The newsletter is sent to %(count)d members.",
                        sent.recipient_count,
                    )
                    % {"count": sent.recipient_count},
                )
                return redirect(sent.get_absolute_url())
        else:
            context["preview"] = {
                "subject": form.cleaned_data["subject"],
                "introduction": form.cleaned_data["introduction"],
                "sections": newsletter.compose(
                    network, newsletter.since(previous.sent_at if previous else None)
                ),
            }
    context["recipient_count"] = services.newsletter_recipients(network).count()
    return render(request, "notifications/newsletter_compose.html", context)


@login_required
@require_GET
def newsletter_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A sent newsletter, for the network's members."""
    member = signed_in_member(request)
    network = _network(slug)
    me = standing(member, network)
    if not me.is_member:
        raise PermissionDenied(_("Only members of this network can read its newsletters."))
    sent = get_object_or_404(queries.newsletters(network), pk=pk)
    return render(
        request,
        "notifications/newsletter.html",
        {"network": network, "me": me, "newsletter": sent},
    )
