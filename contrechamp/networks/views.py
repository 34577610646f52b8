"""Network pages: find the network, check who is asking, bind the form, call a service.

A refusal from a service is either shown beside the form (DomainError) or answered with
the designed 403 page (PermissionDenied); a page never writes to a model itself.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contrechamp.accounts.models import User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.pagination import paginate
from contrechamp.networks import queries, services
from contrechamp.networks.forms import (
    AssignRoleForm,
    CharterForm,
    DecisionForm,
    HandoverForm,
    InviteForm,
    JoinForm,
    NetworkForm,
    RemoveMemberForm,
    RevokeRoleForm,
)
from contrechamp.networks.models import MANAGER_ROLES, Membership, Network, Role, RoleAssignment
from contrechamp.networks.permissions import Standing, ensure_can_act, ensure_role, standing

HOME_RADIUS_KM = 50
HOME_LIMIT = 6


def _network(slug: str) -> Network:
    return get_object_or_404(queries.network_page(slug))


def _is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _ensure_member(me: Standing) -> None:
    if not me.is_member:
        raise PermissionDenied(_("Only members of this network can see this page."))


def home(request: HttpRequest) -> HttpResponse:
    """What is near me and new: networks near the member's city, the newest, a search box."""
    near: list[Network] = []
    mine: list[Membership] = []
    user = request.user
    if isinstance(user, User):
        if user.latitude is not None and user.longitude is not None:
            near = queries.networks_near(
                user.latitude, user.longitude, km=HOME_RADIUS_KM, limit=HOME_LIMIT
            )
        mine = list(queries.memberships_of(user))
    context = {
        "near": near,
        "near_km": HOME_RADIUS_KM,
        "newest": queries.newest_networks(limit=HOME_LIMIT),
        "mine": mine,
        "kinds": Network.Kind.choices,
    }
    return render(request, "networks/home.html", context)


def directory(request: HttpRequest) -> HttpResponse:
    """Find networks by name, type and distance from a city: a list and a map of it."""
    filters = queries.DirectoryFilters.from_query(request.GET)
    found = queries.search_directory(filters)
    page = paginate(request, found.networks)
    context = {
        "filters": filters,
        "directory": found,
        "page_obj": page,
        "online": list(found.online) if found.online is not None else [],
        "map_points": queries.map_points(list(page.object_list)),
        "kinds": Network.Kind.choices,
    }
    template = "networks/directory.html"
    if _is_partial(request):
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = NetworkForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = services.create_network(
                actor=actor,
                name=data["name"],
                kind=data["kind"],
                join_policy=data["join_policy"],
                place=data["city"],
                is_online=data["is_online"],
                description=data["description"],
                website=data["website"],
                charter=data["charter"],
            )
        except Conflict as error:
            form.add_error("name", str(error.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your network is open. Welcome to its page."))
            return redirect(network)
    return render(request, "networks/network_form.html", {"form": form, "network": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = _network(slug)
    me = ensure_role(actor, network, {Role.ADMIN})
    form = NetworkForm(
        posted_data(request), initial=NetworkForm.initial_for(network), with_charter=False
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = services.update_network(
                actor=actor,
                network=network,
                name=data["name"],
                kind=data["kind"],
                join_policy=data["join_policy"],
                place=data["city"],
                is_online=data["is_online"],
                description=data["description"],
                website=data["website"],
            )
        except Conflict as error:
            form.add_error("name", str(error.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The network's page is up to date."))
            return redirect(network)
    context = {"form": form, "network": network, "me": me}
    return render(request, "networks/network_form.html", context)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page; members also see the role history with its handover notes."""
    network = _network(slug)
    me = standing(request.user, network)
    history = list(queries.role_history(network)[:20]) if me.is_member else []
    context = {"network": network, "me": me, "history": history}
    return render(request, "networks/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join, ask to join or accept an invitation, accepting the charter on the way."""
    actor = signed_in_member(request)
    network = _network(slug)
    me = standing(actor, network)
    if me.is_member:
        messages.info(request, _("You are already a member of this network."))
        return redirect(network)
    form = JoinForm(
        posted_data(request),
        has_charter=network.current_charter_id is not None,
        asks_message=network.join_policy == Network.JoinPolicy.ON_REQUEST and not me.is_invited,
    )
    if request.method == "POST" and not me.is_pending and form.is_valid():
        try:
            membership = services.join_network(
                actor=actor,
                network=network,
                accept_charter=form.cleaned_data.get("accept_charter", False),
                message=form.cleaned_data.get("message", ""),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            if membership.is_active:
                messages.success(request, _("Welcome to %(name)s!") % {"name": network.name})
            else:
                messages.success(
                    request, _("Your request is sent: an organiser will answer it soon.")
                )
            return redirect(network)
    context = {"network": network, "me": me, "form": form}
    return render(request, "networks/join.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave the network, withdraw a request or decline an invitation (confirmation first)."""
    actor = signed_in_member(request)
    network = _network(slug)
    me = standing(actor, network)
    if request.method == "POST":
        try:
            services.leave_network(actor=actor, network=network)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(network)
        if me.membership is not None:
            messages.success(
                request, _("Done: you are no longer part of %(name)s.") % {"name": network.name}
            )
        return redirect(network)
    if me.membership is None:
        return redirect(network)
    return render(request, "networks/leave.html", {"network": network, "me": me})


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = _network(slug)
    me = standing(actor, network)
    _ensure_member(me)
    page = paginate(request, queries.members(network))
    context = {"network": network, "me": me, "page_obj": page}
    return render(request, "networks/members.html", context)


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = _network(slug)
    form = RemoveMemberForm(request.POST)
    target = (
        User.objects.filter(pk=form.cleaned_data["member"]).first() if form.is_valid() else None
    )
    if target is None:
        messages.error(request, _("This member is no longer in the network."))
        return redirect("networks:members", slug=network.slug)
    try:
        services.remove_member(actor=actor, network=network, member=target)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": target.public_name}
        )
    return redirect("networks:members", slug=network.slug)


@login_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    """Pending requests to join, with approve and decline (organisers, moderators, admins)."""
    actor = signed_in_member(request)
    network = _network(slug)
    me = ensure_role(actor, network, MANAGER_ROLES)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        membership = (
            Membership.objects.filter(pk=form.cleaned_data["membership"], network=network)
            .select_related("network", "user")
            .first()
            if form.is_valid()
            else None
        )
        if membership is None:
            messages.info(request, _("This request was already answered."))
        else:
            name = membership.user.public_name
            try:
                if form.cleaned_data["decision"] == "approve":
                    services.approve_request(actor=actor, membership=membership)
                    messages.success(request, _("%(name)s is now a member.") % {"name": name})
                else:
                    services.decline_request(actor=actor, membership=membership)
                    messages.success(
                        request, _("The request of %(name)s is declined.") % {"name": name}
                    )
            except DomainError as error:
                messages.error(request, str(error.message))
        return redirect("networks:requests", slug=network.slug)
    page = paginate(request, queries.pending_requests(network))
    context = {"network": network, "me": me, "page_obj": page}
    return render(request, "networks/requests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = _network(slug)
    me = ensure_role(actor, network, MANAGER_ROLES)
    form = InviteForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        invitee = form.cleaned_data["invitee"]
        try:
            membership = services.invite_member(actor=actor, network=network, invitee=invitee)
        except DomainError as error:
            form.add_error("invitee", str(error.message))
        else:
            if membership.is_active:
                message = _("%(name)s had asked to join: they are now a member.")
            else:
                message = _("%(name)s is invited. They will find the invitation on the page.")
            messages.success(request, message % {"name": invitee.public_name})
            return redirect("networks:invite", slug=network.slug)
    context = {
        "network": network,
        "me": me,
        "form": form,
        "invitations": list(queries.invitations(network)[:50]),
    }
    return render(request, "networks/invite.html", context)


def _render_charter(
    request: HttpRequest, network: Network, form: CharterForm | None = None
) -> HttpResponse:
    me = standing(request.user, network)
    if form is None and me.is_admin:
        initial = {"text": network.current_charter.text} if network.current_charter else {}
        form = CharterForm(initial=initial)
    accepted = me.membership is not None and me.charter_accepted
    context = {
        "network": network,
        "me": me,
        "form": form if me.is_admin else None,
        "accepted": accepted,
        "versions": list(queries.charter_versions(network)),
    }
    return render(request, "networks/charter.html", context)


@require_http_methods(["GET", "POST"])
def charter(request: HttpRequest, slug: str) -> HttpResponse:
    """The charter, its versions, an accept button for members, a new version for admins."""
    network = _network(slug)
    if request.method != "POST":
        return _render_charter(request, network)
    actor = signed_in_member(request)
    ensure_role(actor, network, {Role.ADMIN})
    form = CharterForm(request.POST)
    if form.is_valid():
        try:
            version = services.publish_charter(
                actor=actor, network=network, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text", str(error.message))
        else:
            messages.success(
                request,
                _("Version %(number)d of the charter is published.") % {"number": version.number},
            )
            return redirect("networks:charter", slug=network.slug)
    return _render_charter(request, network, form)


@login_required
@require_POST
def accept_charter(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = _network(slug)
    services.accept_charter(actor=actor, network=network)
    messages.success(request, _("Thank you: you accepted the charter."))
    return redirect(network)


def _render_roles(
    request: HttpRequest,
    network: Network,
    me: Standing,
    *,
    assign_form: AssignRoleForm | None = None,
    handover_form: HandoverForm | None = None,
) -> HttpResponse:
    actor = signed_in_member(request)
    candidates = queries.handover_candidates(network, actor, is_admin=me.is_admin)
    if me.is_admin and assign_form is None:
        assign_form = AssignRoleForm()
    if handover_form is None:
        handover_form = HandoverForm(assignments=candidates)
    context = {
        "network": network,
        "me": me,
        "assign_form": assign_form if me.is_admin else None,
        "handover_form": handover_form if me.can_act and candidates.exists() else None,
        "page_obj": paginate(request, queries.role_history(network)),
    }
    return render(request, "networks/roles.html", context)


@login_required
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    """Current holders, the whole history with handover notes, and the forms to change them."""
    network = _network(slug)
    me = standing(request.user, network)
    _ensure_member(me)
    return _render_roles(request, network, me)


def _roles_url(network: Network) -> str:
    return reverse("networks:roles", args=[network.slug])


@login_required
@require_POST
def assign_role(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = _network(slug)
    me = ensure_role(actor, network, {Role.ADMIN})
    form = AssignRoleForm(request.POST)
    if form.is_valid():
        member, role = form.cleaned_data["member"], form.cleaned_data["role"]
        try:
            services.assign_role(actor=actor, network=network, member=member, role=role)
        except DomainError as error:
            form.add_error("member", str(error.message))
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": member.public_name, "role": Role(role).label.lower()},
            )
            return HttpResponseRedirect(_roles_url(network))
    return _render_roles(request, network, me, assign_form=form)


@login_required
@require_POST
def revoke_role(request: HttpRequest, slug: str) -> HttpResponse:
    """End a role: an admin for anyone, a holder for their own ("step down")."""
    actor = signed_in_member(request)
    network = _network(slug)
    form = RevokeRoleForm(request.POST)
    assignment = (
        RoleAssignment.objects.filter(pk=form.cleaned_data["assignment"], network=network)
        .select_related("user")
        .first()
        if form.is_valid()
        else None
    )
    if assignment is None or assignment.ended_at is not None:
        messages.info(request, _("This role had already ended."))
        return HttpResponseRedirect(_roles_url(network))
    try:
        services.revoke_role(
            actor=actor, network=network, member=assignment.user, role=assignment.role
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The role has ended; it stays in the history."))
    return HttpResponseRedirect(_roles_url(network))


@login_required
@require_POST
def hand_over(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_member(request)
    network = _network(slug)
    me = ensure_can_act(actor, network)
    done = queries.handover_already_made(network, request.POST.get("assignment"), actor)
    if done is not None:  # the same form submitted twice: the handover is already made
        messages.success(
            request,
            _("%(name)s takes over. The handover notes are in the history.")
            % {"name": done.started_assignment.user.public_name},
        )
        return HttpResponseRedirect(_roles_url(network))
    candidates = queries.handover_candidates(network, actor, is_admin=me.is_admin)
    if not candidates.exists():
        raise PermissionDenied(_("Only an admin or the person holding a role can hand it over."))
    form = HandoverForm(request.POST, assignments=candidates)
    if form.is_valid():
        assignment: RoleAssignment = form.cleaned_data["assignment"]
        successor: User = form.cleaned_data["successor"]
        try:
            services.hand_over_role(
                actor=actor,
                network=network,
                role=assignment.role,
                from_member=assignment.user,
                to_member=successor,
                notes=form.cleaned_data["notes"],
            )
        except DomainError as error:
            form.add_error("successor", str(error.message))
        else:
            messages.success(
                request,
                _("%(name)s takes over. The handover notes are in the history.")
                % {"name": successor.public_name},
            )
            return HttpResponseRedirect(_roles_url(network))
    return _render_roles(request, network, me, handover_form=form)
