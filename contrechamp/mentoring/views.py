"""Mentoring pages: find the object, check who asks, bind the form, call a service. A
service's refusal is shown beside the form that was sent, with what was typed
(DomainError), or as the designed 403 page (PermissionDenied)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.models import SPOKEN_LANGUAGES, Skill, User
from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core import places
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate_capped
from contrechamp.mentoring import matching, queries, services
from contrechamp.mentoring.forms import (
    AcceptForm,
    DeclineForm,
    EndForm,
    GoalsForm,
    ListingForm,
    MentorshipRequestForm,
    OfferHelpForm,
    ProfileForm,
    SessionForm,
)
from contrechamp.mentoring.models import AgeBracket, Mentorship, SkillListing

PER_PAGE = 20
MY_MENTORSHIPS_SHOWN = 200


def _skills() -> list[Skill]:
    return list(Skill.objects.order_by("position", "slug"))


# --- Home


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Offers, open requests and workshops near the member (their city, or ?near=), and
    the mentors suggested for a member who looks for one."""
    near = " ".join(request.GET.get("near", "").split())[: queries.QUERY_MAX]
    km = queries.km_from(request.GET)
    place = queries.home_place(request.user, near)
    context = {
        "home": queries.home(request.user, place, km),
        "near": near,
        "km": km,
        "near_unknown": bool(near) and place is None,
        "suggestions_for_city": places.suggest_cities(near) if near and place is None else [],
    }
    return render(request, "mentoring/home.html", context)


# --- Offers and requests


def _kind_labels(kind: str) -> dict[str, str]:
    if kind == SkillListing.Kind.OFFER:
        return {"plural": _("Offers"), "new": _("Offer a skill"), "list_url": "mentoring:offers"}
    return {"plural": _("Requests"), "new": _("Ask to learn"), "list_url": "mentoring:requests"}


@require_GET
def listings(request: HttpRequest, kind: str) -> HttpResponse:
    """Open offers (or requests): by text, domain, distance from a city, online."""
    filters = queries.ListingFilters.from_query(request.GET)
    page = paginate_capped(request, queries.search_listings(kind, filters), per_page=PER_PAGE)
    context = {
        "kind": kind,
        "labels": _kind_labels(kind),
        "filters": filters,
        "page_obj": page,
        "skills": _skills(),
        "suggestions": places.suggest_cities(filters.near) if filters.near_unknown else [],
    }
    return render(request, "mentoring/listings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest, kind: str) -> HttpResponse:
    actor = signed_in_member(request)
    initial = {"city": actor.city_name}
    form = ListingForm(posted_data(request), kind=kind, member=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.create_listing(actor=actor, kind=kind, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("It is posted."))
            return redirect(listing)
    context = {"form": form, "kind": kind, "labels": _kind_labels(kind), "listing": None}
    return render(request, "mentoring/listing_form.html", context)


def _listing(pk: int, kind: str) -> SkillListing:
    listing = queries.listing_page(pk, kind)
    if listing is None:
        raise Http404
    return listing


@require_http_methods(["GET", "POST"])
def listing_detail(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """An offer or request. Others answer it here: asking the author for a mentorship
    through their offer, or offering to mentor the author of a request. Its author sees
    the mentors suggested for a request."""
    listing = _listing(pk, kind)
    viewer = request.user
    is_author = isinstance(viewer, User) and viewer.pk == listing.author_id
    form: forms.Form = (
        MentorshipRequestForm(posted_data(request))
        if listing.is_offer
        else OfferHelpForm(posted_data(request))
    )
    if request.method == "POST":
        if not isinstance(viewer, User):
            return redirect_to_login(request.path)
        if form.is_valid():
            try:
                if listing.is_offer:
                    mentorship = services.request_mentorship(
                        actor=viewer,
                        mentor=listing.author,
                        listing=listing,
                        message=form.cleaned_data["message"],
                        goals=form.cleaned_data["goals"],
                    )
                else:
                    mentorship = services.offer_mentorship(
                        actor=viewer, listing=listing, message=form.cleaned_data["message"]
                    )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Sent. You will be told of the answer."))
                return redirect(mentorship)
    existing = None
    suggestions: list[matching.Suggestion] = []
    if isinstance(viewer, User) and not is_author:
        mentor, mentee = (listing.author, viewer) if listing.is_offer else (viewer, listing.author)
        existing = queries.open_pair(mentor, mentee)
    if is_author and not listing.is_offer and listing.is_open:
        need = matching.need_of_listing(listing, queries.profile_of(listing.author))
        suggestions = matching.suggest(need)
    context = {
        "listing": listing,
        "workshop": queries.visible_workshop(viewer, listing),
        "is_author": is_author,
        "form": form,
        "existing": existing,
        "match_suggestions": suggestions,
        "labels": _kind_labels(kind),
    }
    return render(request, "mentoring/listing_detail.html", context)


def _own_listing(request: HttpRequest, pk: int, kind: str) -> tuple[User, SkillListing]:
    actor = signed_in_member(request)
    listing = _listing(pk, kind)
    if listing.author_id != actor.pk:
        raise PermissionDenied(_("Only its author can change this."))
    return actor, listing


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    actor, listing = _own_listing(request, pk, kind)
    form = ListingForm(
        posted_data(request),
        kind=kind,
        member=actor,
        current_workshop_id=listing.workshop_id,
        initial=ListingForm.initial_for(listing),
    )
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.update_listing(actor=actor, listing=listing, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect(listing)
    context = {"form": form, "kind": kind, "labels": _kind_labels(kind), "listing": listing}
    return render(request, "mentoring/listing_form.html", context)


@login_required
@require_POST
def listing_status(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Close (or open again) one's own offer or request."""
    actor, listing = _own_listing(request, pk, kind)
    is_open = request.POST.get("open") == "1"
    try:
        services.set_listing_open(actor=actor, listing=listing, is_open=is_open)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Open again.") if is_open else _("Closed: nobody can answer it now.")
        )
    return redirect(listing)


# --- Mentors and the mentoring profile


@login_required
@require_GET
def mentors(request: HttpRequest) -> HttpResponse:
    """Mentors who take mentees: by name, domain, distance, online, age bracket (for
    those who opted in; no bracket is ever shown). Suggestions first for a member who
    looks for a mentor."""
    viewer = signed_in_member(request)
    filters = queries.MentorFilters.from_query(request.GET)
    page = paginate_capped(request, queries.search_mentors(viewer, filters), per_page=PER_PAGE)
    profile = queries.profile_of(viewer)
    suggestions: list[matching.Suggestion] = []
    if profile is not None and viewer.seeks_mentoring and page.number == 1:
        need = matching.need_of_member(viewer, profile, age_bracket=filters.age)
        suggestions = matching.suggest(need)
    context = {
        "filters": filters,
        "page_obj": page,
        "skills": _skills(),
        "age_brackets": AgeBracket.choices,
        "match_suggestions": suggestions,
        "profile": profile,
        "suggestions": places.suggest_cities(filters.near) if filters.near_unknown else [],
    }
    return render(request, "mentoring/mentors.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mentor_detail(request: HttpRequest, username: str) -> HttpResponse:
    """A mentor's card, and the form to ask them for a mentorship while they have room
    (the service refuses with the reason if that changed meanwhile)."""
    viewer = signed_in_member(request)
    profile = queries.mentor_page(username)
    if profile is None:
        raise Http404
    mentor = profile.user
    if mentor.pk == viewer.pk:
        return redirect("mentoring:profile")
    free_places = max(profile.capacity - getattr(profile, "mentees", 0), 0)
    domains = Skill.objects.filter(mentor_profiles=profile).order_by("position", "slug")
    form = MentorshipRequestForm(posted_data(request), skills=domains)
    if request.method == "POST" and form.is_valid():
        try:
            mentorship = services.request_mentorship(
                actor=viewer,
                mentor=mentor,
                skill=form.cleaned_data["skill"],
                message=form.cleaned_data["message"],
                goals=form.cleaned_data["goals"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your request is sent."))
            return redirect(mentorship)
    context = {
        "profile": profile,
        "mentor": mentor,
        "form": form,
        "existing": queries.open_pair(mentor, viewer),
        "free_places": free_places,
        "takes_mentees": profile.accepting and free_places > 0,
        "languages": [
            (code, name)
            for code, name in SPOKEN_LANGUAGES
            if code in (profile.languages or mentor.languages)
        ],
    }
    return render(request, "mentoring/mentor_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The member's own mentoring profile (the only page that shows their age bracket)."""
    member = signed_in_member(request)
    profile = queries.profile_of(member)
    form = ProfileForm(posted_data(request), member=member, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(actor=member, member=member, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your mentoring profile is saved."))
            return redirect("mentoring:home")
    context = {
        "form": form,
        "profile": profile,
        "listings": list(queries.listings_of(member)),
    }
    return render(request, "mentoring/profile_form.html", context)


# --- Mentorships


@login_required
@require_GET
def mentorships(request: HttpRequest) -> HttpResponse:
    """The member's mentorships, grouped: to answer, asked, under way, past."""
    member = signed_in_member(request)
    groups: dict[str, list[Mentorship]] = {"to_answer": [], "asked": [], "active": [], "past": []}
    for mentorship in queries.mentorships_of(member)[:MY_MENTORSHIPS_SHOWN]:
        if mentorship.status == Mentorship.Status.REQUESTED:
            key = "to_answer" if mentorship.answerer_id == member.pk else "asked"
        elif mentorship.status == Mentorship.Status.ACTIVE:
            key = "active"
        else:
            key = "past"
        groups[key].append(mentorship)
    return render(request, "mentoring/mentorships.html", {"groups": groups, "member": member})


def _party_mentorship(request: HttpRequest, pk: int) -> tuple[User, Mentorship]:
    member = signed_in_member(request)
    mentorship = queries.mentorship_page(pk)
    if mentorship is None:
        raise Http404
    if not mentorship.is_party(member.pk):
        raise PermissionDenied(_("Only the mentor and the mentee can see this mentorship."))
    return member, mentorship


def _mentorship_page(
    request: HttpRequest, member: User, mentorship: Mentorship, bound: dict[str, forms.Form]
) -> HttpResponse:
    forms_by_action: dict[str, forms.Form] = {
        "accept": AcceptForm(auto_id="accept_%s"),
        "decline": DeclineForm(auto_id="decline_%s"),
        "goals": GoalsForm(initial={"goals": mentorship.goals}, auto_id="goals_%s"),
        "session": SessionForm(initial={"held_on": timezone.localdate()}, auto_id="session_%s"),
        "end": EndForm(auto_id="end_%s"),
    } | bound
    is_mentor = member.pk == mentorship.mentor_id
    context: dict[str, Any] = {
        "mentorship": mentorship,
        "member": member,
        "other": mentorship.mentee if is_mentor else mentorship.mentor,
        "is_mentor": is_mentor,
        "answers": mentorship.answerer_id == member.pk,
        "sessions": list(queries.sessions_of(mentorship)),
        "forms": forms_by_action,
        "check_in_open": mentorship.check_in_sent_at is not None,
        "i_continue": (
            mentorship.mentor_continues_at if is_mentor else mentorship.mentee_continues_at
        ),
        "they_continue": (
            mentorship.mentee_continues_at if is_mentor else mentorship.mentor_continues_at
        ),
    }
    return render(request, "mentoring/mentorship_detail.html", context, status=200)


@login_required
@require_GET
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A mentorship, for its two parties only: the request and its answer, the goals,
    the sessions log, the check-in and the end."""
    member, mentorship = _party_mentorship(request, pk)
    return _mentorship_page(request, member, mentorship, {})


ACTIONS: dict[str, type[forms.Form] | None] = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "withdraw": None,
    "goals": GoalsForm,
    "session": SessionForm,
    "continue": None,
    "end": EndForm,
}
DONE = {
    "accept": _("The mentorship begins."),
    "decline": _("The request is declined."),
    "withdraw": _("Your request is withdrawn."),
    "goals": _("The goals are saved."),
    "session": _("The session is logged."),
    "continue": _("Noted: you continue."),
    "end": _("The mentorship has ended. Thank you for passing on what you know."),
}


def _act(action: str, actor: User, mentorship: Mentorship, data: dict[str, Any]) -> None:
    if action == "accept":
        services.accept_mentorship(
            actor=actor, mentorship=mentorship, check_in_months=data["check_in_months"]
        )
    elif action == "decline":
        services.decline_mentorship(actor=actor, mentorship=mentorship, note=data["note"])
    elif action == "withdraw":
        services.withdraw_request(actor=actor, mentorship=mentorship)
    elif action == "goals":
        services.update_goals(actor=actor, mentorship=mentorship, goals=data["goals"])
    elif action == "session":
        services.log_session(
            actor=actor, mentorship=mentorship, held_on=data["held_on"], note=data["note"]
        )
    elif action == "continue":
        services.continue_mentorship(actor=actor, mentorship=mentorship)
    else:
        services.end_mentorship(actor=actor, mentorship=mentorship, thanks=data["thanks"])


@login_required
@require_POST
def mentorship_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of a mentorship. A refused or invalid form comes back on the page with
    what was typed and why."""
    if action not in ACTIONS:
        raise Http404
    member, mentorship = _party_mentorship(request, pk)
    form_class = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"{action}_%s") if form_class is not None else None
    if form is not None and not form.is_valid():
        return _mentorship_page(request, member, mentorship, {action: form})
    try:
        _act(action, member, mentorship, form.cleaned_data if form is not None else {})
    except DomainError as error:
        if form is None:
            messages.error(request, str(error.message))
            return redirect(mentorship)
        form.add_error(None, str(error.message))
        return _mentorship_page(request, member, mentorship, {action: form})
    messages.success(request, str(DONE[action]))
    return redirect(mentorship)
