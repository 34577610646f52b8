"""Everything a person does with skill offers and requests, their mentoring profile and
mentorships.

Each function takes the acting member first, checks who is acting before it changes
anything and runs in one transaction: a refusal (`PermissionDenied` or a `DomainError`)
leaves everything as it was. Writing needs the site's code of conduct accepted.

Capacity: a mentor's mentees at once are counted while holding the row lock of the
mentor's `MentoringProfile` (`select_for_update`), by every service that may add one
(asking, offering, accepting). On PostgreSQL two acceptances for the last place queue on
that lock and the second sees the first; on SQLite the IMMEDIATE transactions queue and
`serialised` retries a writer that found the database busy. So a mentor never has more
active mentorships than their capacity allowed at the time of each acceptance.

Notifications are recorded inside the transaction, in the recipient's language, and
emailed after it commits.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts import services as accounts
from contrechamp.accounts.models import SPOKEN_LANGUAGES, Skill, User
from contrechamp.core import places
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.core.transactions import serialised
from contrechamp.events.models import Event
from contrechamp.events.permissions import visible_events
from contrechamp.mentoring.models import (
    MAX_CAPACITY,
    AgeBracket,
    Format,
    Level,
    MentoringProfile,
    MentoringSession,
    Mentorship,
    SkillListing,
)
from contrechamp.notifications.services import in_language_of, notify

TITLE_MAX = 150
DESCRIPTION_MAX = 3000
MESSAGE_MAX = 2000
GOALS_MAX = 2000
DECLINE_NOTE_MAX = 500
SESSION_NOTE_MAX = 500
THANKS_MAX = 1000
AVAILABILITY_MAX = 300
INTRODUCTION_MAX = 2000
# Months after the start when both parties are asked how it goes.
CHECK_IN_MONTHS = (1, 2, 3, 6)
DEFAULT_CHECK_IN_MONTHS = 3


# --- Shared checks


def _ensure_can_write(actor: User) -> None:
    """A signed-in, open account that accepted the current code of conduct."""
    if not actor.is_authenticated or not actor.is_active or actor.is_deleted:
        raise PermissionDenied(_("Sign in to take part in mentoring."))
    accounts.ensure_code_of_conduct_accepted(actor)


def _text(value: str, *, limit: int, label: str, required: bool = False) -> str:
    """The text stripped; refused (DomainError) when empty but required, too long, or
    holding a NUL character that no column can store."""
    value = value.strip()
    if required and not value:
        raise DomainError(_("“%(field)s” cannot be empty.") % {"field": label})
    if len(value) > limit:
        raise DomainError(
            _("“%(field)s” is too long: at most %(limit)d characters.")
            % {"field": label, "limit": limit}
        )
    if "\x00" in value:
        raise DomainError(
            _("“%(field)s” contains a character that is not allowed.") % {"field": label}
        )
    return value


def _set_place(
    row: SkillListing | MentoringProfile, place: places.Place | None, fmt: str, where: str
) -> None:
    if fmt not in Format.values:
        raise DomainError(_("Choose in person, online, or both."))
    if place is None and fmt != Format.ONLINE:
        raise DomainError(
            _("Give a city for %(what)s in person, or choose online only.") % {"what": where}
        )
    row.format = fmt
    if place is None:
        row.city_name, row.latitude, row.longitude = "", None, None
    else:
        row.city_name = place.name
        row.latitude, row.longitude = places.approximate(place.latitude, place.longitude)


def _active_count(mentor_id: int) -> int:
    return Mentorship.objects.filter(mentor_id=mentor_id, status=Mentorship.Status.ACTIVE).count()


def _locked_profile(user_id: int) -> MentoringProfile | None:
    """The member's mentoring profile with its row lock, or None if they have none."""
    return MentoringProfile.objects.select_for_update().filter(user_id=user_id).first()


def _ensure_room(profile: MentoringProfile | None, mentor: User, *, asked_by_mentor: bool) -> None:
    """Refuse when the mentor already has as many mentees as their capacity (call while
    holding the profile's row lock). A mentor without a profile sets no limit."""
    if profile is None or _active_count(mentor.pk) < profile.capacity:
        return
    if asked_by_mentor:
        raise Conflict(
            _(
                "You already mentor as many people as your profile allows: end a mentorship "
                "or raise your capacity first."
            )
        )
    raise Conflict(
        _(
            "%(name)s already mentors as many people as they can at once. Try again later, "
            "or ask another mentor."
        )
        % {"name": mentor.public_name}
    )


def _ensure_no_open_pair(mentor: User, mentee: User) -> None:
    current = (
        Mentorship.objects.filter(mentor=mentor, mentee=mentee, status__in=Mentorship.OPEN)
        .values_list("status", flat=True)
        .first()
    )
    if current == Mentorship.Status.ACTIVE:
        raise Conflict(_("This mentorship is already under way."))
    if current == Mentorship.Status.REQUESTED:
        raise Conflict(_("A request between you two is already waiting for an answer."))


def _create_mentorship(**fields: object) -> Mentorship:
    """Insert, turning a concurrent duplicate (the one-open-per-pair constraint) into the
    same readable refusal as the check before it."""
    try:
        with transaction.atomic():
            return Mentorship.objects.create(**fields)
    except IntegrityError:
        raise Conflict(_("A request between you two is already waiting for an answer.")) from None


def _open_account(user: User) -> User:
    fresh = User.objects.filter(pk=user.pk).first()
    if fresh is None or not fresh.is_active or fresh.is_deleted:
        raise Conflict(_("This member's account is closed."))
    return fresh


# --- Skill offers and requests


@dataclass(frozen=True)
class ListingDetails:
    """What an author says about an offer or a request (the fields of its form)."""

    skill: Skill
    title: str
    description: str = ""
    level: str = Level.ALL
    format: str = Format.IN_PERSON
    place: places.Place | None = None
    workshop: Event | None = None


def _apply_listing(listing: SkillListing, details: ListingDetails, actor: User) -> None:
    listing.skill = details.skill
    listing.title = " ".join(
        _text(details.title, limit=TITLE_MAX, label=_("Title"), required=True).split()
    )
    listing.description = _text(details.description, limit=DESCRIPTION_MAX, label=_("Description"))
    if details.level not in Level.values:
        raise DomainError(_("Choose a level from the list."))
    listing.level = details.level
    where = _("an offer") if listing.is_offer else _("a request")
    _set_place(listing, details.place, details.format, str(where))
    workshop = details.workshop
    if workshop is not None and workshop.pk != listing.workshop_id:
        if not listing.is_offer:
            raise DomainError(_("Only an offer can point to a workshop."))
        usable = (
            visible_events(actor)
            .filter(pk=workshop.pk, kind=Event.Kind.WORKSHOP, status=Event.Status.PUBLISHED)
            .exists()
        )
        if not usable:
            raise DomainError(_("Choose a published workshop that you can see."))
    listing.workshop = workshop
    listing.updated_at = timezone.now()


@transaction.atomic
def create_listing(*, actor: User, kind: str, details: ListingDetails) -> SkillListing:
    """Post an offer or a request, open at once; free of charge by design (no price)."""
    _ensure_can_write(actor)
    if kind not in SkillListing.Kind.values:
        raise DomainError(_("An offer or a request: nothing else."))
    listing = SkillListing(kind=kind, author=actor)
    _apply_listing(listing, details, actor)
    listing.save()
    return listing


def _own_listing(actor: User, listing: SkillListing) -> SkillListing:
    locked = SkillListing.objects.select_for_update().get(pk=listing.pk)
    if locked.author_id != actor.pk:
        raise PermissionDenied(_("Only its author can change this."))
    return locked


@transaction.atomic
def update_listing(*, actor: User, listing: SkillListing, details: ListingDetails) -> SkillListing:
    """Change what the author says (its kind stays)."""
    _ensure_can_write(actor)
    listing = _own_listing(actor, listing)
    _apply_listing(listing, details, actor)
    listing.save()
    return listing


@transaction.atomic
def set_listing_open(*, actor: User, listing: SkillListing, is_open: bool) -> SkillListing:
    """Close an offer or request (nobody can answer it any more) or open it again.
    Doing it twice changes nothing; mentorships it led to go on."""
    _ensure_can_write(actor)
    listing = _own_listing(actor, listing)
    status = SkillListing.Status.OPEN if is_open else SkillListing.Status.CLOSED
    if listing.status == status:
        return listing
    now = timezone.now()
    listing.status, listing.updated_at = status, now
    listing.closed_at = None if is_open else now
    listing.save(update_fields=["status", "updated_at", "closed_at"])
    return listing


# --- Mentoring profile


@dataclass(frozen=True)
class ProfileDetails:
    """What a member says for mentoring (the fields of the mentoring profile form)."""

    offers_mentoring: bool
    seeks_mentoring: bool
    mentor_skills: Sequence[Skill] = ()
    capacity: int = 2
    accepting: bool = True
    availability: str = ""
    introduction: str = ""
    learning_skills: Sequence[Skill] = ()
    learning_goals: str = ""
    format: str = Format.BOTH
    languages: Sequence[str] = field(default_factory=tuple)
    place: places.Place | None = None
    age_bracket: str = ""
    match_by_age: bool = False


@transaction.atomic
def save_profile(*, actor: User, member: User, details: ProfileDetails) -> MentoringProfile:
    """Create or change the member's own mentoring profile, and set the "I offer / I look
    for mentoring" flags of their member profile to match.

    A mentor names at least one domain, a mentee at least one domain to learn. The age
    bracket is optional and private; `match_by_age` only counts with a bracket stated.
    Lowering the capacity below the current number of mentees ends no mentorship: new
    ones wait until there is room."""
    if actor.pk != member.pk:
        raise PermissionDenied(_("You can only edit your own mentoring profile."))
    _ensure_can_write(actor)
    if details.offers_mentoring and not details.mentor_skills:
        raise DomainError(_("Choose at least one domain you mentor in."))
    if details.seeks_mentoring and not details.learning_skills:
        raise DomainError(_("Choose at least one domain you want to learn."))
    if not 1 <= details.capacity <= MAX_CAPACITY:
        raise DomainError(
            _("A mentor takes between 1 and %(max)d mentees at once.") % {"max": MAX_CAPACITY}
        )
    known = {code for code, _name in SPOKEN_LANGUAGES}
    if not set(details.languages) <= known:
        raise DomainError(_("One of the languages is not in the list."))
    if details.age_bracket and details.age_bracket not in AgeBracket.values:
        raise DomainError(_("Choose an age bracket from the list, or none."))

    profile = _locked_profile(member.pk) or MentoringProfile(user=member)
    profile.capacity = details.capacity
    profile.accepting = details.accepting
    profile.availability = _text(
        details.availability, limit=AVAILABILITY_MAX, label=_("Availability")
    )
    profile.introduction = _text(
        details.introduction, limit=INTRODUCTION_MAX, label=_("What I can pass on")
    )
    profile.learning_goals = _text(
        details.learning_goals, limit=GOALS_MAX, label=_("What I want to learn")
    )
    _set_place(profile, details.place, details.format, str(_("mentoring")))
    chosen = set(details.languages)
    profile.languages = [code for code, _name in SPOKEN_LANGUAGES if code in chosen]
    profile.age_bracket = details.age_bracket
    profile.match_by_age = bool(details.age_bracket) and details.match_by_age
    profile.updated_at = timezone.now()
    profile.save()
    profile.mentor_skills.set(list(details.mentor_skills))
    profile.learning_skills.set(list(details.learning_skills))
    accounts.update_profile(
        actor=actor,
        member=member,
        offers_mentoring=details.offers_mentoring,
        seeks_mentoring=details.seeks_mentoring,
    )
    return profile


# --- Mentorships: asking and answering


def _tell_request(mentorship: Mentorship, recipient: User, actor: User) -> None:
    with in_language_of(recipient):
        if mentorship.proposed_by == Mentorship.Side.MENTEE:
            title = _("%(name)s asks you for a mentorship in %(domain)s") % {
                "name": actor.public_name,
                "domain": mentorship.skill.name,
            }
        else:
            title = _("%(name)s offers to mentor you in %(domain)s") % {
                "name": actor.public_name,
                "domain": mentorship.skill.name,
            }
        notify(
            recipient=recipient,
            kind="mentoring.request_received",
            title=title,
            body=mentorship.message[:500],
            url=mentorship.get_absolute_url(),
            actor=actor,
        )


@serialised
def request_mentorship(
    *,
    actor: User,
    mentor: User,
    skill: Skill | None = None,
    message: str = "",
    goals: str = "",
    listing: SkillListing | None = None,
) -> Mentorship:
    """The actor asks `mentor` to mentor them, in one of the mentor's domains, or through
    one of the mentor's open offers (`listing`, whose domain is then the one).

    Refused: asking oneself, a mentor who does not take mentees (no profile, not
    offering, or not accepting: an open offer is enough), a domain the mentor does not
    mentor in, a request already waiting or a mentorship already under way between the
    two, and a mentor at capacity."""
    _ensure_can_write(actor)
    if mentor.pk == actor.pk:
        raise DomainError(_("You cannot ask yourself for a mentorship."))
    mentor = _open_account(mentor)
    message = _text(message, limit=MESSAGE_MAX, label=_("Message"))
    goals = _text(goals, limit=GOALS_MAX, label=_("Goals"))
    profile = _locked_profile(mentor.pk)
    if listing is not None:
        listing = SkillListing.objects.select_related("skill").get(pk=listing.pk)
        if listing.kind != SkillListing.Kind.OFFER or listing.author_id != mentor.pk:
            raise DomainError(_("This offer is not this member's."))
        if not listing.is_open:
            raise Conflict(_("This offer is closed."))
        skill = listing.skill
    else:
        takes_mentees = profile is not None and mentor.offers_mentoring and profile.accepting
        if not takes_mentees:
            raise Conflict(
                _("%(name)s does not take new mentees at the moment.")
                % {"name": mentor.public_name}
            )
        assert profile is not None  # noqa: S101 - takes_mentees says so
        if skill is None or not profile.mentor_skills.filter(pk=skill.pk).exists():
            raise DomainError(
                _("%(name)s does not mentor in this domain: choose one of theirs.")
                % {"name": mentor.public_name}
            )
    _ensure_no_open_pair(mentor, actor)
    _ensure_room(profile, mentor, asked_by_mentor=False)
    now = timezone.now()
    mentorship = _create_mentorship(
        mentor=mentor,
        mentee=actor,
        skill=skill,
        listing=listing,
        proposed_by=Mentorship.Side.MENTEE,
        message=message,
        goals=goals,
        created_at=now,
        updated_at=now,
    )
    _tell_request(mentorship, mentor, actor)
    return mentorship


@serialised
def offer_mentorship(*, actor: User, listing: SkillListing, message: str = "") -> Mentorship:
    """A member answers an open request ("I want to learn…") by offering to mentor its
    author, who then accepts or declines. Refused on one's own request, a closed one,
    an existing request or mentorship between the two, and when the actor's own
    capacity is reached."""
    _ensure_can_write(actor)
    listing = SkillListing.objects.select_related("skill", "author").get(pk=listing.pk)
    if listing.kind != SkillListing.Kind.REQUEST:
        raise DomainError(_("Only a request can be answered with an offer to mentor."))
    if listing.author_id == actor.pk:
        raise DomainError(_("This is your own request."))
    if not listing.is_open:
        raise Conflict(_("This request is closed."))
    mentee = _open_account(listing.author)
    message = _text(message, limit=MESSAGE_MAX, label=_("Message"))
    profile = _locked_profile(actor.pk)
    _ensure_no_open_pair(actor, mentee)
    _ensure_room(profile, actor, asked_by_mentor=True)
    now = timezone.now()
    mentorship = _create_mentorship(
        mentor=actor,
        mentee=mentee,
        skill=listing.skill,
        listing=listing,
        proposed_by=Mentorship.Side.MENTOR,
        message=message,
        goals=listing.description[:GOALS_MAX],
        created_at=now,
        updated_at=now,
    )
    _tell_request(mentorship, mentee, actor)
    return mentorship


def _locked_mentorship(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee", "skill")
        .get(pk=mentorship.pk)
    )


def _ensure_party(actor: User, mentorship: Mentorship) -> None:
    if not mentorship.is_party(actor.pk):
        raise PermissionDenied(_("Only the mentor and the mentee can do this."))


def _ensure_answerer(actor: User, mentorship: Mentorship) -> None:
    _ensure_party(actor, mentorship)
    if actor.pk != mentorship.answerer_id:
        raise PermissionDenied(_("The other person answers this request, not you."))


def _ensure_requested(mentorship: Mentorship) -> None:
    if mentorship.status != Mentorship.Status.REQUESTED:
        raise InvalidTransition(_("This request has already been answered or withdrawn."))


def _other(mentorship: Mentorship, actor: User) -> User:
    return mentorship.mentee if actor.pk == mentorship.mentor_id else mentorship.mentor


@serialised
def accept_mentorship(
    *, actor: User, mentorship: Mentorship, check_in_months: int = DEFAULT_CHECK_IN_MONTHS
) -> Mentorship:
    """The side that did not propose accepts: the mentorship starts now, and both are
    asked how it goes after `check_in_months`. Refused when the mentor is at capacity
    (counted under the mentor profile's row lock, taken before the mentorship's)."""
    _ensure_can_write(actor)
    if check_in_months not in CHECK_IN_MONTHS:
        raise DomainError(_("Choose when to check in from the list."))
    mentor_id = (
        Mentorship.objects.filter(pk=mentorship.pk).values_list("mentor_id", flat=True).get()
    )
    profile = _locked_profile(mentor_id)
    mentorship = _locked_mentorship(mentorship)
    _ensure_answerer(actor, mentorship)
    _ensure_requested(mentorship)
    _ensure_room(profile, mentorship.mentor, asked_by_mentor=actor.pk == mentor_id)
    now = timezone.now()
    mentorship.status = Mentorship.Status.ACTIVE
    mentorship.answered_at = mentorship.started_at = mentorship.updated_at = now
    mentorship.check_in_due_at = now + relativedelta(months=check_in_months)
    mentorship.save()
    proposer = _other(mentorship, actor)
    with in_language_of(proposer):
        notify(
            recipient=proposer,
            kind="mentoring.request_answered",
            title=_("%(name)s said yes: your mentorship in %(domain)s begins")
            % {"name": actor.public_name, "domain": mentorship.skill.name},
            body=_("Agree on your goals and log your sessions on the mentorship's page."),
            url=mentorship.get_absolute_url(),
            actor=actor,
        )
    return mentorship


@transaction.atomic
def decline_mentorship(*, actor: User, mentorship: Mentorship, note: str = "") -> Mentorship:
    """The side that did not propose declines, with an optional word of explanation."""
    _ensure_can_write(actor)
    note = _text(note, limit=DECLINE_NOTE_MAX, label=_("A word of explanation"))
    mentorship = _locked_mentorship(mentorship)
    _ensure_answerer(actor, mentorship)
    _ensure_requested(mentorship)
    now = timezone.now()
    mentorship.status = Mentorship.Status.DECLINED
    mentorship.decline_note = note
    mentorship.answered_at = mentorship.updated_at = now
    mentorship.save(update_fields=["status", "decline_note", "answered_at", "updated_at"])
    proposer = _other(mentorship, actor)
    with in_language_of(proposer):
        notify(
            recipient=proposer,
            kind="mentoring.request_answered",
            title=_("%(name)s cannot take up the mentorship in %(domain)s")
            % {"name": actor.public_name, "domain": mentorship.skill.name},
            body=note,
            url=mentorship.get_absolute_url(),
            actor=actor,
        )
    return mentorship


@transaction.atomic
def withdraw_request(*, actor: User, mentorship: Mentorship) -> Mentorship:
    """The side that proposed withdraws a request not answered yet."""
    _ensure_can_write(actor)
    mentorship = _locked_mentorship(mentorship)
    _ensure_party(actor, mentorship)
    if actor.pk != mentorship.proposer_id:
        raise PermissionDenied(_("Only the person who asked can withdraw the request."))
    _ensure_requested(mentorship)
    mentorship.status = Mentorship.Status.WITHDRAWN
    mentorship.updated_at = timezone.now()
    mentorship.save(update_fields=["status", "updated_at"])
    return mentorship


# --- Mentorships: under way


def _ensure_active(mentorship: Mentorship) -> None:
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise InvalidTransition(_("This mentorship is not under way."))


@transaction.atomic
def update_goals(*, actor: User, mentorship: Mentorship, goals: str) -> Mentorship:
    """Either party rewrites the goals, while the request waits or the mentorship runs."""
    _ensure_can_write(actor)
    goals = _text(goals, limit=GOALS_MAX, label=_("Goals"))
    mentorship = _locked_mentorship(mentorship)
    _ensure_party(actor, mentorship)
    if mentorship.status not in Mentorship.OPEN:
        raise InvalidTransition(_("This mentorship is over: its goals stay as they were."))
    mentorship.goals = goals
    mentorship.updated_at = timezone.now()
    mentorship.save(update_fields=["goals", "updated_at"])
    return mentorship


@transaction.atomic
def log_session(
    *, actor: User, mentorship: Mentorship, held_on: date, note: str
) -> MentoringSession:
    """Either party logs a session of a mentorship under way: a date (not in the future,
    not before the start) and a short note."""
    _ensure_can_write(actor)
    mentorship = _locked_mentorship(mentorship)
    _ensure_party(actor, mentorship)
    _ensure_active(mentorship)
    note = _text(note, limit=SESSION_NOTE_MAX, label=_("Short note"), required=True)
    today = timezone.localdate()
    if held_on > today:
        raise DomainError(_("Log a session once it has taken place: the date is in the future."))
    assert mentorship.started_at is not None  # noqa: S101 - mentorship_active_has_start
    if held_on < timezone.localdate(mentorship.started_at):
        raise DomainError(_("This date is before the mentorship began."))
    now = timezone.now()
    session = MentoringSession.objects.create(
        mentorship=mentorship, held_on=held_on, note=note, logged_by=actor, created_at=now
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(updated_at=now)
    return session


@transaction.atomic
def continue_mentorship(*, actor: User, mentorship: Mentorship) -> Mentorship:
    """Answer the check-in: "it goes well, we continue". Saying it again changes nothing."""
    _ensure_can_write(actor)
    mentorship = _locked_mentorship(mentorship)
    _ensure_party(actor, mentorship)
    _ensure_active(mentorship)
    field_name = (
        "mentor_continues_at" if actor.pk == mentorship.mentor_id else "mentee_continues_at"
    )
    if getattr(mentorship, field_name) is None:
        setattr(mentorship, field_name, timezone.now())
        mentorship.save(update_fields=[field_name])
    return mentorship


@transaction.atomic
def end_mentorship(*, actor: User, mentorship: Mentorship, thanks: str = "") -> Mentorship:
    """Either party ends a mentorship under way, with an optional thanks note that the
    other reads (and that recognition can count)."""
    _ensure_can_write(actor)
    thanks = _text(thanks, limit=THANKS_MAX, label=_("Thanks"))
    mentorship = _locked_mentorship(mentorship)
    _ensure_party(actor, mentorship)
    _ensure_active(mentorship)
    now = timezone.now()
    mentorship.status = Mentorship.Status.ENDED
    mentorship.ended_at = mentorship.updated_at = now
    mentorship.ended_by = actor
    mentorship.thanks_note = thanks
    mentorship.save(update_fields=["status", "ended_at", "updated_at", "ended_by", "thanks_note"])
    other = _other(mentorship, actor)
    with in_language_of(other):
        notify(
            recipient=other,
            kind="mentoring.ended",
            title=_("%(name)s ended your mentorship in %(domain)s")
            % {"name": actor.public_name, "domain": mentorship.skill.name},
            body=thanks,
            url=mentorship.get_absolute_url(),
            actor=actor,
        )
    return mentorship


# --- Check-ins (a periodic job: idempotent, returns how many mentorships were asked)


@transaction.atomic
def send_check_ins() -> int:
    """Ask both parties of each mentorship under way whose check-in is due how it goes
    and whether they continue, once (`Mentorship.check_in_sent_at`). A constant number
    of queries per mentorship."""
    now = timezone.now()
    due = list(
        Mentorship.objects.select_for_update(of=("self",))
        .filter(
            status=Mentorship.Status.ACTIVE,
            check_in_sent_at__isnull=True,
            check_in_due_at__lte=now,
        )
        .select_related("skill", "mentor__notification_language", "mentee__notification_language")
        .order_by("check_in_due_at", "pk")
    )
    for mentorship in due:
        for recipient, other in (
            (mentorship.mentor, mentorship.mentee),
            (mentorship.mentee, mentorship.mentor),
        ):
            with in_language_of(recipient):
                notify(
                    recipient=recipient,
                    kind="mentoring.check_in",
                    title=_("How is your mentorship with %(name)s going?")
                    % {"name": other.public_name},
                    body=_(
                        "Your mentorship in %(domain)s began a while ago. Tell each other "
                        "whether you continue, log your last sessions, or end it with a "
                        "word of thanks."
                    )
                    % {"domain": mentorship.skill.name},
                    url=mentorship.get_absolute_url(),
                )
    Mentorship.objects.filter(pk__in=[m.pk for m in due]).update(check_in_sent_at=now)
    return len(due)
