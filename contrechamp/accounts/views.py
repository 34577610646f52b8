import re

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contrechamp.accounts import code_of_conduct as conduct
from contrechamp.accounts import privacy, queries, services
from contrechamp.accounts.forms import DeleteAccountForm, ProfileForm
from contrechamp.accounts.requests import signed_in_member
from contrechamp.core.errors import DomainError

USERNAME_PATTERN = re.compile(r"[\w.@+-]+")
USERNAME_MAX_LENGTH = 150


@require_http_methods(["GET", "HEAD"])
def profile(request: HttpRequest, username: str) -> HttpResponse:
    # A name no account can have (NUL bytes, odd characters) is simply not found:
    # PostgreSQL would refuse to even compare it.
    if len(username) > USERNAME_MAX_LENGTH or not USERNAME_PATTERN.fullmatch(username):
        raise Http404
    member = get_object_or_404(queries.member_profiles(), username=username)
    visible = privacy.visible_groups(request.user, member)
    context = {
        "member": member,
        "visible": visible,
        "is_self": request.user.is_authenticated and request.user.pk == member.pk,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_settings(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    if request.method == "POST":
        form = ProfileForm(request.POST, member=member)
        if form.is_valid():
            try:
                form.save(actor=member, member=member)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:settings")
    else:
        form = ProfileForm(member=member)
    return render(request, "accounts/settings.html", {"form": form, "member": member})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """POST: download everything we hold about the member as one JSON file."""
    if request.method != "POST":
        return redirect(reverse("accounts:settings") + "#your-data")
    member = signed_in_member(request)
    data = services.export_member_data(actor=member, member=member)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"contrechamp-{member.username}.json"
    )
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    if request.method == "POST":
        # The password check must not become a way to guess it.
        if not ratelimit.consume(request, action="reauthenticate", user=member):
            return ratelimit.respond_429(request)  # type: ignore[no-any-return]
        form = DeleteAccountForm(request.POST, member=member)
        if form.is_valid():
            try:
                services.delete_account(actor=member, member=member)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                logout(request)
                messages.success(
                    request,
                    _("Your account is deleted. Thank you for the films and the help shared."),
                )
                return redirect("/")
    else:
        form = DeleteAccountForm(member=member)
    return render(request, "accounts/delete.html", {"form": form, "member": member})


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if (
        candidate
        and len(candidate) <= 2000
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def code_of_conduct(request: HttpRequest) -> HttpResponse:
    """The site's code of conduct; POST (signed in) accepts its current version."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = signed_in_member(request)
        already = not conduct.must_accept(member)
        services.accept_code_of_conduct(actor=member, member=member)
        if not already:
            messages.success(request, _("Thank you for accepting the code of conduct."))
        return redirect(
            _safe_next(request, request.POST.get("next")) or reverse("accounts:code_of_conduct")
        )
    context = {
        "version": conduct.CURRENT_VERSION,
        "updated_on": conduct.UPDATED_ON,
        "must_accept": conduct.must_accept(request.user),
        "next": _safe_next(request, request.GET.get("next")),
    }
    return render(request, "accounts/code_of_conduct.html", context)
