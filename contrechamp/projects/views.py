"""Project pages: find the object, check who asks, bind the form, call a service. A
service's refusal is shown beside the form that was sent, with what was typed
(DomainError), or as the designed 403 page (PermissionDenied)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import Skill, User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core import places
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate_capped
from contrechamp.projects import matching, permissions, queries, services
from contrechamp.projects.forms import (
    ApplicationForm,
    AvailabilityForm,
    CallForm,
    CallProfileForm,
    CallTimeForm,
    DayForm,
    FileForm,
    ProjectForm,
    TaskForm,
    TeamMemberForm,
)
from contrechamp.projects.models import (
    Application,
    AvailabilityPeriod,
    Project,
    RoleCall,
    SharedFile,
    ShootingDay,
    Task,
    TeamMember,
)

PER_PAGE = 20


def _id(value: str) -> int:
    """A primary key typed in a form, or 0 (which matches nothing) for anything else."""
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _skills() -> list[Skill]:
    return list(Skill.objects.order_by("position", "slug"))


def _project(request: HttpRequest, slug: str) -> Project:
    """The project with its team and calls loaded, if the visitor may see it (404
    otherwise: a team-only project does not reveal that it exists)."""
    project = queries.project_page(slug)
    if project is None or not permissions.can_view(request.user, project):
        raise Http404
    return project


def _managed(request: HttpRequest, slug: str) -> tuple[User, Project]:
    actor = signed_in_member(request)
    project = get_object_or_404(Project.objects.select_related("owner"), slug=slug)
    permissions.ensure_can_manage(actor, project)
    return actor, project


def _on_team(request: HttpRequest, slug: str) -> tuple[User, Project]:
    actor = signed_in_member(request)
    project = get_object_or_404(Project.objects.select_related("owner"), slug=slug)
    permissions.ensure_team_member(actor, project)
    return actor, project


def _act(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Run a service for a button without a form: its refusal becomes a message."""
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)


# --- Projects


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    filters = queries.Filters.from_query(request.GET)
    page = paginate_capped(
        request, queries.search_projects(request.user, filters), per_page=PER_PAGE
    )
    context = {
        "filters": filters,
        "page_obj": page,
        "kinds": Project.Kind.choices,
        "statuses": Project.Status.choices,
        "suggestions": places.suggest_cities(filters.near) if filters.near_unknown else [],
    }
    return render(request, "projects/project_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = ProjectForm(posted_data(request), member=actor, initial={"city": actor.city_name})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(actor=actor, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your project is created."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor, project = _managed(request, slug)
    initial = {
        "title": project.title,
        "kind": project.kind,
        "description": project.description,
        "city": project.city_name,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "status": project.status,
        "visibility": project.visibility,
        "network": project.network_id,
    }
    form = ProjectForm(posted_data(request), member=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.update_project(actor=actor, project=project, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@require_GET
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The project, its team and its role calls; for its team, the shooting days, the
    tasks and the shared files."""
    project = _project(request, slug)
    on_team = permissions.is_team_member(request.user, project)
    manages = permissions.can_manage(request.user, project)
    context: dict[str, Any] = {
        "project": project,
        "on_team": on_team,
        "manages": manages,
        "open_calls": [call for call in project.calls if call.is_open],  # type: ignore[attr-defined]
        "closed_calls": [call for call in project.calls if not call.is_open],  # type: ignore[attr-defined]
    }
    if on_team:
        context |= {
            "days": list(queries.shooting_days(project, published_only=not manages)),
            "tasks": list(queries.tasks_of(project)),
            "files": list(queries.files_of(project)),
            "task_form": TaskForm(project=project),
            "file_form": FileForm(),
        }
    return render(request, "projects/project_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, slug: str) -> HttpResponse:
    """The team, for a manager: add someone, change roles, remove."""
    actor, project = _managed(request, slug)
    form = TeamMemberForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_team_member(
                actor=actor,
                project=project,
                member=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                skill=form.cleaned_data["skill"],
                is_manager=form.cleaned_data["is_manager"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Added to the team."))
            return redirect("projects:team", slug=project.slug)
    rows = TeamMember.objects.filter(project=project).select_related("member", "skill")
    context = {"project": project, "form": form, "rows": rows, "skills": _skills()}
    return render(request, "projects/team.html", context)


@login_required
@require_POST
def team_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A manager changes someone's role on the team, or makes them a manager."""
    actor, project = _managed(request, slug)
    row = get_object_or_404(TeamMember.objects.select_related("member"), pk=pk, project=project)
    raw_skill = request.POST.get("skill", "")
    skill = Skill.objects.filter(pk=_id(raw_skill)).first()
    _act(
        request,
        lambda: services.update_team_member(
            actor=actor,
            row=row,
            role=request.POST.get("role", ""),
            skill=skill,
            is_manager=request.POST.get("is_manager") == "1",
        ),
        _("Saved."),
    )
    return redirect("projects:team", slug=slug)


@login_required
@require_POST
def team_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    row = get_object_or_404(
        TeamMember.objects.select_related("project", "member"), pk=pk, project__slug=slug
    )
    _act(
        request,
        lambda: services.remove_team_member(actor=actor, row=row),
        _("%(name)s is no longer on the team.") % {"name": row.member.public_name},
    )
    if row.member_id == actor.pk:
        return redirect(row.project)
    return redirect("projects:team", slug=slug)


# --- Role calls


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    """Open role calls across the projects the visitor may see."""
    filters = queries.Filters.from_query(request.GET)
    page = paginate_capped(request, queries.open_calls(request.user, filters), per_page=PER_PAGE)
    context = {
        "filters": filters,
        "page_obj": page,
        "kinds": RoleCall.Kind.choices,
        "skills": _skills(),
        "suggestions": places.suggest_cities(filters.near) if filters.near_unknown else [],
    }
    return render(request, "projects/call_list.html", context)


def _call_form_initial(call: RoleCall) -> dict[str, Any]:
    return {
        "kind": call.kind,
        "skill": call.skill_id,
        "title": call.title,
        "requirements": call.requirements,
        "people_needed": call.people_needed,
        "starts_on": call.starts_on,
        "ends_on": call.ends_on,
        "deadline": call.deadline,
        "is_paid": call.is_paid,
        "pay_details": call.pay_details,
        "city": call.city_name,
    }


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest, slug: str) -> HttpResponse:
    actor, project = _managed(request, slug)
    form = CallForm(posted_data(request), initial={"city": project.city_name})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(actor=actor, project=project, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The role call is posted."))
            return redirect(call)
    context = {"form": form, "project": project, "call": None}
    return render(request, "projects/call_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, project = _managed(request, slug)
    call = get_object_or_404(RoleCall, pk=pk, project=project)
    form = CallForm(posted_data(request), initial=_call_form_initial(call))
    if request.method == "POST" and form.is_valid():
        try:
            call = services.update_call(actor=actor, call=call, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect(call)
    context = {"form": form, "project": project, "call": call}
    return render(request, "projects/call_form.html", context)


@require_http_methods(["GET", "POST"])
def call_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A role call: members apply here; its managers see the applications and the
    suggested members."""
    call = queries.call_page(slug, pk)
    if call is None or not permissions.can_view(request.user, call.project):
        raise Http404
    project = call.project
    manages = permissions.can_manage(request.user, project)
    form = ApplicationForm(posted_data(request))
    if request.method == "POST":
        actor = signed_in_member(request) if request.user.is_authenticated else None
        if actor is None:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid():
            try:
                services.apply(
                    actor=actor,
                    call=call,
                    message=form.cleaned_data["message"],
                    links=form.link_list(),
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Your application is sent."))
                return redirect(call)
    context: dict[str, Any] = {
        "call": call,
        "project": project,
        "manages": manages,
        "form": form,
        "mine": queries.application_of(call, request.user),
        "on_team": permissions.is_team_member(request.user, project),
    }
    if manages:
        context |= {
            "applications": list(queries.applications_of(call)),
            "suggestions": matching.suggest(call) if call.is_open else [],
            "invited": set(call.invitations.values_list("member_id", flat=True)),
        }
    return render(request, "projects/call_detail.html", context)


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return str(resolve_url(settings.LOGIN_URL))


@login_required
@require_POST
def call_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, project = _managed(request, slug)
    call = get_object_or_404(RoleCall, pk=pk, project=project)
    is_open = request.POST.get("open") == "1"
    _act(
        request,
        lambda: services.set_call_open(actor=actor, call=call, is_open=is_open),
        _("The role call is open.") if is_open else _("The role call is closed."),
    )
    return redirect(call)


@login_required
@require_POST
def application_decide(
    request: HttpRequest, slug: str, pk: int, application_pk: int
) -> HttpResponse:
    actor, project = _managed(request, slug)
    application = get_object_or_404(
        Application.objects.select_related("role_call"),
        pk=application_pk,
        role_call_id=pk,
        role_call__project=project,
    )
    status = request.POST.get("status", "")
    _act(
        request,
        lambda: services.decide_application(actor=actor, application=application, status=status),
        _("The applicant is told."),
    )
    return redirect(application.role_call)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    application = get_object_or_404(
        Application.objects.select_related("role_call__project"),
        role_call_id=pk,
        role_call__project__slug=slug,
        applicant=actor,
    )
    _act(
        request,
        lambda: services.withdraw_application(actor=actor, application=application),
        _("Your application is withdrawn."),
    )
    return redirect(application.role_call)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, project = _managed(request, slug)
    call = get_object_or_404(
        RoleCall.objects.select_related("project", "skill"), pk=pk, project=project
    )
    ids = [_id(value) for value in request.POST.getlist("member")][:50]
    members = list(User.objects.filter(pk__in=ids))
    try:
        count = services.invite_suggested(actor=actor, call=call, members=members)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Invitations sent: %(count)d.") % {"count": count})
    return redirect(call)


# --- My projects, availability


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    context = {
        "teams": list(queries.my_projects(member)),
        "applications": list(queries.my_applications(member)),
        "sheets": list(queries.my_call_sheets(member)),
    }
    return render(request, "projects/mine.html", context)


@login_required
@require_GET
@never_cache
def my_call_sheets(request: HttpRequest) -> HttpResponse:
    """The coming call sheets where the member is called: kept for offline reading, with
    the sheets it links to."""
    member = signed_in_member(request)
    sheets = list(queries.my_call_sheets(member))
    return render(request, "projects/my_call_sheets.html", {"sheets": sheets})


@login_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest) -> HttpResponse:
    """ "Open to role calls" and the days one is available."""
    member = signed_in_member(request)
    profile = queries.call_profile(member)
    initial = {
        "open_to_calls": profile.open_to_calls if profile else False,
        "travel_km": profile.travel_km if profile else 50,
    }
    which = request.POST.get("form", "") if request.method == "POST" else ""
    profile_form = CallProfileForm(request.POST if which == "profile" else None, initial=initial)
    period_form = AvailabilityForm(request.POST if which == "period" else None)
    if which == "profile" and profile_form.is_valid():
        try:
            services.set_call_profile(
                actor=member,
                open_to_calls=profile_form.cleaned_data["open_to_calls"],
                travel_km=profile_form.cleaned_data["travel_km"],
            )
        except DomainError as error:
            profile_form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:availability")
    if which == "period" and period_form.is_valid():
        try:
            services.add_availability(actor=member, **period_form.cleaned_data)
        except DomainError as error:
            period_form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("projects:availability")
    context = {
        "profile_form": profile_form,
        "period_form": period_form,
        "periods": list(queries.availability_of(member)),
    }
    return render(request, "projects/availability.html", context)


@login_required
@require_POST
def availability_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = signed_in_member(request)
    period = get_object_or_404(AvailabilityPeriod, pk=pk, member=member)
    _act(
        request,
        lambda: services.remove_availability(actor=member, period=period),
        _("Removed."),
    )
    return redirect("projects:availability")


# --- Shooting days and call sheets


@login_required
@require_http_methods(["GET", "POST"])
def day_create(request: HttpRequest, slug: str) -> HttpResponse:
    actor, project = _managed(request, slug)
    form = DayForm(posted_data(request), initial={"date": project.starts_on})
    if request.method == "POST" and form.is_valid():
        try:
            day = services.create_shooting_day(actor=actor, project=project, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The shooting day is prepared: now call the team."))
            return redirect("projects:day_edit", slug=project.slug, pk=day.pk)
    return render(
        request, "projects/day_form.html", {"form": form, "project": project, "day": None}
    )


def _day_context(project: Project, day: ShootingDay, **forms: Any) -> dict[str, Any]:
    sheet = queries.call_sheet(project, day.pk)
    return {
        "project": project,
        "day": sheet,
        "bookable": list(services.bookable_for_day(day)),
        "chosen": {booking.pk for booking in sheet.booking_rows} if sheet else set(),  # type: ignore[attr-defined]
        **forms,
    }


@login_required
@require_http_methods(["GET", "POST"])
def day_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A manager edits the call sheet: the day, who is called when, the equipment."""
    actor, project = _managed(request, slug)
    day = get_object_or_404(ShootingDay.objects.select_related("venue"), pk=pk, project=project)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    initial = {
        "date": day.date,
        "address": day.address,
        "general_call": day.general_call,
        "wrap_at": day.wrap_at,
        "scenes": day.scenes,
        "notes": day.notes,
    }
    form = DayForm(request.POST if which == "day" else None, initial=initial)
    call_form = CallTimeForm(
        request.POST if which == "call" else None,
        project=project,
        initial={"call_at": day.general_call},
    )
    try:
        if which == "day" and form.is_valid():
            services.update_shooting_day(actor=actor, day=day, details=form.details())
            messages.success(request, _("Saved."))
            return redirect("projects:day_edit", slug=slug, pk=pk)
        if which == "call" and call_form.is_valid():
            services.set_call_time(
                actor=actor,
                day=day,
                member=call_form.cleaned_data["member"],
                call_at=call_form.cleaned_data["call_at"],
                note=call_form.cleaned_data["note"],
            )
            messages.success(request, _("Saved."))
            return redirect("projects:day_edit", slug=slug, pk=pk)
        if which == "uncall":
            raw = request.POST.get("member", "")
            member = get_object_or_404(User, pk=_id(raw))
            services.set_call_time(actor=actor, day=day, member=member, call_at=None)
            messages.success(request, _("Removed."))
            return redirect("projects:day_edit", slug=slug, pk=pk)
        if which == "equipment":
            ids = [_id(v) for v in request.POST.getlist("booking")][:100]
            services.set_day_equipment(actor=actor, day=day, booking_ids=ids)
            messages.success(request, _("Saved."))
            return redirect("projects:day_edit", slug=slug, pk=pk)
        if which == "publish":
            services.publish_call_sheet(actor=actor, day=day)
            messages.success(request, _("The call sheet is sent to the people called."))
            return redirect(day)
        if which == "delete":
            services.delete_shooting_day(actor=actor, day=day)
            messages.success(request, _("The shooting day is deleted."))
            return redirect(project)
    except DomainError as error:
        target = call_form if which in ("call", "uncall") else form
        target.add_error(None, str(error.message))
    context = _day_context(project, day, form=form, call_form=call_form)
    return render(request, "projects/day_edit.html", context)


@login_required
@require_GET
def call_sheet(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The printable, phone-friendly call sheet: the team sees it once published, its
    managers before."""
    actor = signed_in_member(request)
    project = get_object_or_404(Project, slug=slug)
    permissions.ensure_team_member(actor, project)
    day = queries.call_sheet(project, pk)
    if day is None or (not day.is_published and not permissions.can_manage(actor, project)):
        raise Http404
    context = {
        "project": project,
        "day": queries.with_team_roles(day),
        "manages": permissions.can_manage(actor, project),
    }
    return render(request, "projects/call_sheet.html", context)


# --- Tasks and files


@login_required
@require_POST
def task_add(request: HttpRequest, slug: str) -> HttpResponse:
    actor, project = _on_team(request, slug)
    form = TaskForm(request.POST, project=project)
    if form.is_valid():
        _act(
            request,
            lambda: services.add_task(actor=actor, project=project, **form.cleaned_data),
            _("The task is added."),
        )
    else:
        messages.error(request, _("Give the task a title (and a valid date)."))
    return redirect(f"{project.get_absolute_url()}#tasks")


@login_required
@require_POST
def task_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, project = _on_team(request, slug)
    task = get_object_or_404(Task.objects.select_related("project"), pk=pk, project=project)
    if request.POST.get("action") == "delete":
        _act(request, lambda: services.delete_task(actor=actor, task=task), _("Removed."))
    else:
        done = request.POST.get("done") == "1"
        _act(
            request,
            lambda: services.set_task_done(actor=actor, task=task, done=done),
            _("Saved."),
        )
    return redirect(f"{project.get_absolute_url()}#tasks")


@login_required
@require_POST
def file_upload(request: HttpRequest, slug: str) -> HttpResponse:
    actor, project = _on_team(request, slug)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        _act(
            request,
            lambda: services.share_file(
                actor=actor, project=project, upload=form.cleaned_data["file"]
            ),
            _("The file is shared with the team."),
        )
    else:
        messages.error(request, _("Choose a file to share."))
    return redirect(f"{project.get_absolute_url()}#files")


@login_required
@require_GET
@never_cache
def file_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """Hand a shared file out to a member of the team, and to nobody else."""
    _actor, project = _on_team(request, slug)
    shared = get_object_or_404(SharedFile, pk=pk, project=project)
    try:
        handle = shared.file.open("rb")
    except OSError as error:
        raise Http404 from error
    return FileResponse(
        handle, as_attachment=True, filename=shared.name, content_type=shared.content_type
    )


@login_required
@require_POST
def file_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, project = _on_team(request, slug)
    shared = get_object_or_404(SharedFile.objects.select_related("project"), pk=pk, project=project)
    try:
        services.delete_file(actor=actor, shared=shared)
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Removed."))
    return redirect(f"{project.get_absolute_url()}#files")
