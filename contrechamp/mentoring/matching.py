"""Mentors suggested for a mentee, or for an open request, each with its reasons.

Two steps, so that it stays fast among 100,000 members:

1. SQL prefilter (one query): mentors who take mentees (offering, accepting, with room
   left under their capacity, account open, mentoring not hidden by their privacy
   setting), in at least one of the wanted domains (required), and either within reach in
   person (a latitude/longitude bounding box around the seeker) or available online when
   the seeker is. Optionally only those who opted in to be matched by the age bracket
   asked for. At most `CANDIDATES` rows, those sharing the most domains first.
2. Python scoring on that bounded set: shared domains, distance, online availability,
   shared languages and free places, each turned into a readable reason
   ("Projection · 12 km · speaks French and English").

A constant number of queries whatever the data size: the wanted domains, the prefilter,
and the candidates' shared domains. The seeker's age bracket is never a reason and never shown.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrechamp.accounts.models import SPOKEN_LANGUAGES, Skill, User, Visibility
from contrechamp.core import places
from contrechamp.mentoring.models import (
    IN_PERSON_FORMATS,
    ONLINE_FORMATS,
    Format,
    MentoringProfile,
    Mentorship,
    SkillListing,
)

CANDIDATES = 500
# What scoring and a suggestion card read: fewer columns to fetch for 500 candidates.
CANDIDATE_FIELDS = (
    "user_id",
    "capacity",
    "format",
    "latitude",
    "longitude",
    "languages",
    "availability",
    "updated_at",
    "user__username",
    "user__display_name",
    "user__deleted_at",
    "user__languages",
)
DEFAULT_KM = 50
SUGGESTIONS = 10

# Weights of the score: a shared domain matters most, then being reachable, then
# understanding each other.
DOMAIN_WEIGHT = 3.0
NEARBY_WEIGHT = 3.0
ONLINE_WEIGHT = 1.5
LANGUAGE_WEIGHT = 1.0
NO_SHARED_LANGUAGE_PENALTY = 3.0
FREE_PLACE_WEIGHT = 0.25


@dataclass(frozen=True)
class Need:
    """What a seeker looks for: domains, where (a point and a radius, online or both),
    the languages they speak, and optionally an age bracket to filter mentors by."""

    seeker_id: int | None
    skill_ids: frozenset[int]
    format: str = Format.BOTH
    latitude: float | None = None
    longitude: float | None = None
    km: int = DEFAULT_KM
    languages: frozenset[str] = frozenset()
    age_bracket: str = ""

    @property
    def in_person(self) -> bool:
        return self.format in IN_PERSON_FORMATS and self.latitude is not None

    @property
    def online(self) -> bool:
        return self.format in ONLINE_FORMATS


@dataclass(frozen=True)
class Suggestion:
    profile: MentoringProfile
    shared_skills: tuple[Skill, ...]
    distance_km: float | None
    online: bool
    shared_languages: tuple[str, ...]
    free_places: int
    score: float

    @property
    def mentor(self) -> User:
        return self.profile.user

    @property
    def reasons(self) -> list[str]:
        """Each reason as a short phrase, most important first."""
        reasons = [get_text_list([skill.name for skill in self.shared_skills], _("and"))]
        if self.distance_km is not None:
            reasons.append(
                _("less than 1 km") if self.distance_km < 1 else f"{round(self.distance_km)} km"
            )
        if self.online:
            reasons.append(_("online"))
        if self.shared_languages:
            names = [str(name) for code, name in SPOKEN_LANGUAGES if code in self.shared_languages]
            reasons.append(
                _("speaks %(languages)s") % {"languages": get_text_list(names, _("and"))}
            )
        reasons.append(
            ngettext("%(count)d place free", "%(count)d places free", self.free_places)
            % {"count": self.free_places}
        )
        return reasons

    @property
    def reasons_text(self) -> str:
        return " · ".join(self.reasons)


def _languages_of(profile: MentoringProfile | None, user: User) -> frozenset[str]:
    """The languages stated for mentoring, else those of the member's profile."""
    chosen = profile.languages if profile is not None and profile.languages else user.languages
    return frozenset(chosen if isinstance(chosen, list) else [])


def need_of_member(member: User, profile: MentoringProfile, *, age_bracket: str = "") -> Need:
    """A mentee's need from their mentoring profile (call with `learning_skills`
    prefetched to save a query)."""
    return Need(
        seeker_id=member.pk,
        skill_ids=frozenset(skill.pk for skill in profile.learning_skills.all()),
        format=profile.format,
        latitude=profile.latitude,
        longitude=profile.longitude,
        languages=_languages_of(profile, member),
        age_bracket=age_bracket,
    )


def need_of_listing(
    listing: SkillListing, author_profile: MentoringProfile | None, *, age_bracket: str = ""
) -> Need:
    """The need an open request states: its domain, place and format, in the languages
    of its author."""
    return Need(
        seeker_id=listing.author_id,
        skill_ids=frozenset({listing.skill_id}),
        format=listing.format,
        latitude=listing.latitude,
        longitude=listing.longitude,
        languages=_languages_of(author_profile, listing.author),
        age_bracket=age_bracket,
    )


def active_mentees() -> Subquery:
    """How many mentorships under way the profile's member mentors (for an annotation)."""
    active = (
        Mentorship.objects.filter(mentor_id=OuterRef("user_id"), status=Mentorship.Status.ACTIVE)
        .order_by()
        .values("mentor_id")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return Subquery(active, output_field=IntegerField())


def listed_mentors() -> QuerySet[MentoringProfile]:
    """Profiles of members who offer mentoring, account open, annotated with `mentees`
    (their mentorships under way). Mentors whose "mentoring" privacy setting is narrower
    than signed-in members are not listed: a network-only setting would need a test per
    mentor, and "only me" means not at all."""
    # Said as "no setting, or not a hidden one": the planner then expects most members to
    # pass, as they do ("no setting, or one of the shown ones" made it expect almost none,
    # and scan every member instead of starting from the domain).
    hidden = [Visibility.PRIVATE, Visibility.NETWORKS]
    shown = Q(user__visibility__mentoring__isnull=True) | ~Q(user__visibility__mentoring__in=hidden)
    return MentoringProfile.objects.filter(
        shown,
        user__offers_mentoring=True,
        user__is_active=True,
        user__deleted_at__isnull=True,
    ).annotate(mentees=Coalesce(active_mentees(), 0))


def available_mentors() -> QuerySet[MentoringProfile]:
    """Listed mentors who take mentees now: accepting, with room under their capacity."""
    return listed_mentors().filter(Q(mentees__lt=F("capacity")), accepting=True)


def _prefilter(need: Need) -> QuerySet[MentoringProfile]:
    # The many-to-many table, typed loosely: the type checker cannot follow annotations
    # on Django's generated model.
    through: Any = MentoringProfile.mentor_skills.through
    # Driven from the domain's rows of the many-to-many table (its skill index), not from
    # a scan of every member: a domain holds a small share of the mentors.
    in_domain = through.objects.filter(skill_id__in=need.skill_ids).values("mentoringprofile_id")
    reach = Q()
    if need.in_person:
        assert need.latitude is not None and need.longitude is not None  # noqa: S101
        min_lat, max_lat, min_lon, max_lon = places.bounding_box(
            need.latitude, need.longitude, need.km
        )
        reach |= Q(
            format__in=IN_PERSON_FORMATS,
            latitude__range=(min_lat, max_lat),
            longitude__range=(min_lon, max_lon),
        )
    if need.online:
        reach |= Q(format__in=ONLINE_FORMATS)
    if not reach:
        return MentoringProfile.objects.none()
    mentors = available_mentors().filter(pk__in=in_domain).filter(reach)
    if need.seeker_id is not None:
        already = Mentorship.objects.filter(
            mentor_id=OuterRef("user_id"),
            mentee_id=need.seeker_id,
            status__in=Mentorship.OPEN,
        )
        mentors = mentors.exclude(user_id=need.seeker_id).exclude(Exists(already))
    if need.age_bracket:
        mentors = mentors.filter(match_by_age=True, age_bracket=need.age_bracket)
    shared = (
        through.objects.filter(mentoringprofile_id=OuterRef("pk"), skill_id__in=need.skill_ids)
        .order_by()
        .values("mentoringprofile_id")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return (
        mentors.annotate(shared=Subquery(shared, output_field=IntegerField()))
        .select_related("user")
        .only(*CANDIDATE_FIELDS)
        .order_by("-shared", "-updated_at", "pk")
    )


def _score(need: Need, profile: MentoringProfile, skills: Iterable[Skill]) -> Suggestion | None:
    shared_skills = tuple(skill for skill in skills if skill.pk in need.skill_ids)
    if not shared_skills:
        return None
    distance = None
    if need.in_person and profile.in_person_possible:
        assert need.latitude is not None and need.longitude is not None  # noqa: S101
        assert profile.latitude is not None and profile.longitude is not None  # noqa: S101
        distance = places.distance_km(
            need.latitude, need.longitude, profile.latitude, profile.longitude
        )
        if distance > need.km:
            distance = None
    online = need.online and profile.online_possible
    if distance is None and not online:
        return None  # the bounding box's corners lie beyond the radius
    languages = _languages_of(profile, profile.user)
    shared_languages = tuple(
        code for code, _name in SPOKEN_LANGUAGES if code in languages & need.languages
    )
    free = max(profile.capacity - getattr(profile, "mentees", 0), 0)
    score = DOMAIN_WEIGHT * len(shared_skills)
    if distance is not None:
        score += NEARBY_WEIGHT * (1 - distance / max(need.km, 1))
    if online:
        score += ONLINE_WEIGHT
    if need.languages:
        if shared_languages:
            score += LANGUAGE_WEIGHT * min(len(shared_languages), 2)
        else:
            score -= NO_SHARED_LANGUAGE_PENALTY
    score += FREE_PLACE_WEIGHT * min(free, 4)
    return Suggestion(
        profile=profile,
        shared_skills=shared_skills,
        distance_km=distance,
        online=online,
        shared_languages=shared_languages,
        free_places=free,
        score=score,
    )


def suggest(need: Need, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The best mentors for `need`, best first (ties: nearer, then older profile id)."""
    if not need.skill_ids:
        return []
    wanted = {skill.pk: skill for skill in Skill.objects.filter(pk__in=need.skill_ids)}
    candidates = list(_prefilter(need)[:CANDIDATES])
    if not candidates:
        return []
    through: Any = MentoringProfile.mentor_skills.through
    shared_of: dict[int, list[Skill]] = {}
    for profile_id, skill_id in through.objects.filter(
        mentoringprofile_id__in=[p.pk for p in candidates], skill_id__in=need.skill_ids
    ).values_list("mentoringprofile_id", "skill_id"):
        shared_of.setdefault(profile_id, []).append(wanted[skill_id])
    for skills in shared_of.values():
        skills.sort(key=lambda skill: (skill.position, skill.slug))
    scored = [
        suggestion
        for profile in candidates
        if (suggestion := _score(need, profile, shared_of.get(profile.pk, []))) is not None
    ]
    scored.sort(
        key=lambda s: (
            -s.score,
            s.distance_km if s.distance_km is not None else float("inf"),
            s.profile.pk,
        )
    )
    return scored[:limit]
