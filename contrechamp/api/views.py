"""The page where a member makes and revokes their API tokens (/me/tokens/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.api import queries, services
from contrechamp.api.forms import TokenForm
from contrechamp.api.models import ApiToken
from contrechamp.core.errors import Conflict, DomainError


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The member's tokens and the form to make one. A new token's secret is shown on the
    answer to the form, once: it is not kept, so the page is not redirected (a reload
    asks before sending the form again, and the same name is then refused)."""
    member = signed_in_member(request)
    form = TokenForm(posted_data(request))
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.create_token(
                actor=member,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except Conflict as error:
            form.add_error("name", str(error.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            form = TokenForm()
    context = {
        "form": form,
        "issued": issued,
        "live": list(queries.live_tokens(member)),
        "past": queries.past_tokens(member),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    member = signed_in_member(request)
    token = get_object_or_404(ApiToken, pk=pk, owner=member)
    services.revoke_token(actor=member, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens:list")
