"""Rights pages: the shared directory of rights holders, the rights of each screening with
its documents, and a network's checklist of screenings still missing rights.

Find the object, check who asks, bind the form, call a service: a refusal is shown beside
the form (DomainError) or as the designed 403 page (PermissionDenied).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.core.pagination import paginate
from contrechamp.events.forms.rights import (
    RightsDocumentForm,
    RightsHolderForm,
    ScreeningRightsForm,
)
from contrechamp.events.models import RightsHolder, Screening
from contrechamp.events.permissions import ensure_can_organise
from contrechamp.events.queries import rights as queries
from contrechamp.events.services import rights as services
from contrechamp.networks.models import Network
from contrechamp.networks.permissions import standing

# --- The directory


@require_GET
def rights_holders(request: HttpRequest) -> HttpResponse:
    """The directory shared by every network, searchable by name and type."""
    filters = queries.HolderFilters.from_query(request.GET)
    page = paginate(request, queries.search_holders(filters))
    context = {"filters": filters, "page_obj": page, "kinds": RightsHolder.Kind.choices}
    return render(request, "events/rights/holders.html", context)


def _safe_next(request: HttpRequest) -> str | None:
    """Where to go back after adding a holder (the screening's rights page), if local."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_http_methods(["GET", "POST"])
def rights_holder_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    form = RightsHolderForm(posted_data(request))
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            holder = services.create_rights_holder(actor=actor, details=form.details())
        except Conflict as error:
            form.add_error("name", str(error.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("%(name)s is in the directory.") % {"name": holder.name})
            return redirect(next_url or holder.get_absolute_url())
    context = {"form": form, "holder": None, "next_url": next_url}
    return render(request, "events/rights/holder_form.html", context)


@require_GET
def rights_holder(request: HttpRequest, pk: int) -> HttpResponse:
    """A holder's contact, how to ask them, the notes networks share, and what it was
    recorded for among the events the viewer may see."""
    holder = get_object_or_404(queries.holder_page(), pk=pk)
    record = queries.holder_record(holder=holder, viewer=request.user)
    return render(request, "events/rights/holder_detail.html", {"holder": holder, "record": record})


@login_required
@require_http_methods(["GET", "POST"])
def rights_holder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    holder = get_object_or_404(queries.holder_page(), pk=pk)
    form = RightsHolderForm(posted_data(request), initial=RightsHolderForm.initial_for(holder))
    if request.method == "POST" and form.is_valid():
        try:
            holder = services.update_rights_holder(
                actor=actor, holder=holder, details=form.details()
            )
        except Conflict as error:
            form.add_error("name", str(error.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The entry is up to date. Thank you."))
            return redirect(holder)
    context = {"form": form, "holder": holder, "next_url": None}
    return render(request, "events/rights/holder_form.html", context)


# --- The rights of a screening


def _organised_screening(request: HttpRequest, event_id: int, screening_id: int) -> Screening:
    """The screening, for an organiser of its event's network only (403 otherwise)."""
    actor = signed_in_member(request)
    screening = get_object_or_404(
        queries.screening_page(event_id=event_id, screening_id=screening_id)
    )
    ensure_can_organise(actor, screening.event.network)
    return screening


def _rights_page(
    request: HttpRequest,
    screening: Screening,
    *,
    form: ScreeningRightsForm,
    document_form: RightsDocumentForm,
) -> HttpResponse:
    context = {
        "screening": screening,
        "event": screening.event,
        "form": form,
        "document_form": document_form,
        "documents": list(queries.screening_documents(screening)),
        "max_documents": services.DOCUMENTS_PER_SCREENING,
    }
    return render(request, "events/rights/screening_rights.html", context)


def _back_to_rights(screening: Screening) -> HttpResponse:
    return redirect("events:screening_rights", screening.event_id, screening.pk)


@login_required
@require_http_methods(["GET", "POST"])
def screening_rights(request: HttpRequest, event_id: int, screening_id: int) -> HttpResponse:
    """Record who grants the right to show the film and where the request stands."""
    actor = signed_in_member(request)
    screening = _organised_screening(request, event_id, screening_id)
    form = ScreeningRightsForm(
        posted_data(request), initial=ScreeningRightsForm.initial_for(screening)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.record_rights(
                actor=actor,
                screening=screening,
                holder=data["holder"],
                status=data["status"],
                licence_reference=data["licence_reference"],
                fee=data["fee"],
                requested_on=data["requested_on"],
                answered_on=data["answered_on"],
                notes=data["notes"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("The rights of %(film)s are recorded.") % {"film": screening.film.title},
            )
            if recorded.made_members_only:
                messages.warning(request, str(services.PRIVATE_CIRCLE_NOTICE))
            return _back_to_rights(screening)
    return _rights_page(request, screening, form=form, document_form=RightsDocumentForm())


@login_required
@require_POST
def rights_document_upload(request: HttpRequest, event_id: int, screening_id: int) -> HttpResponse:
    actor = signed_in_member(request)
    screening = _organised_screening(request, event_id, screening_id)
    document_form = RightsDocumentForm(request.POST, request.FILES)
    if document_form.is_valid():
        try:
            document = services.attach_rights_document(
                actor=actor, screening=screening, upload=document_form.cleaned_data["upload"]
            )
        except DomainError as error:
            document_form.add_error("upload", str(error.message))
        else:
            messages.success(request, _("%(name)s is attached.") % {"name": document.original_name})
            return _back_to_rights(screening)
    form = ScreeningRightsForm(initial=ScreeningRightsForm.initial_for(screening))
    return _rights_page(request, screening, form=form, document_form=document_form)


@login_required
@require_GET
@never_cache
def rights_document(request: HttpRequest, pk: int) -> FileResponse:
    """Download a document: contracts are private to the organisers of the network."""
    actor = signed_in_member(request)
    document = get_object_or_404(queries.document_page(), pk=pk)
    ensure_can_organise(actor, document.screening.event.network)
    try:
        handle = document.file.open("rb")
    except OSError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@login_required
@require_POST
def rights_document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    document = get_object_or_404(queries.document_page(), pk=pk)
    ensure_can_organise(actor, document.screening.event.network)
    try:
        services.remove_rights_document(actor=actor, document=document)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s is removed.") % {"name": document.original_name})
    return _back_to_rights(document.screening)


# --- The checklist of a network


@login_required
@require_GET
def rights_checklist(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's coming events that show films whose rights are still missing."""
    actor = signed_in_member(request)
    network = get_object_or_404(Network, slug=slug)
    ensure_can_organise(actor, network)
    page = paginate(request, queries.rights_checklist(network))
    context = {"network": network, "me": standing(actor, network), "page_obj": page}
    return render(request, "events/rights/checklist.html", context)
