"""Suggestions for a role call: members ranked by skill, distance and availability, each
with the reasons a person can read ("has the skill Sound recording; 12 km away; available
on all 3 days").

Only members who switched on "open to role calls" are ever suggested, and only those with
a declared availability that overlaps the call's days. Among 100,000 members the SQL
prefilter (open profile, skill, availability overlap, bounding box) keeps a bounded set
of candidates (CANDIDATES), which is ranked in Python.

Privacy: a member whose city is shown only to their networks or to nobody is not ranked by
distance, nor is their distance shown: they are ranked on skill and availability alone.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User, Visibility
from contrechamp.core import places
from contrechamp.projects.models import (
    Application,
    AvailabilityPeriod,
    CallProfile,
    RoleCall,
    TeamMember,
)

RADIUS_KM = 300.0
CANDIDATES = 400
HIDDEN_CANDIDATES = 100
LIMIT = 20
SHARED_CITY = (Visibility.PUBLIC, Visibility.MEMBERS)


@dataclass
class Suggestion:
    member: User
    score: float
    distance_km: float | None
    available_days: int
    total_days: int
    has_skill: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def _candidates(call: RoleCall) -> QuerySet[User]:
    overlapping = AvailabilityPeriod.objects.filter(
        member=OuterRef("pk"), starts_on__lte=call.ends_on, ends_on__gte=call.starts_on
    )
    open_profile = CallProfile.objects.filter(member=OuterRef("pk"), open_to_calls=True)
    on_team = TeamMember.objects.filter(project_id=call.project_id, member=OuterRef("pk"))
    applied = Application.objects.filter(role_call=call, applicant=OuterRef("pk"))
    members = User.objects.filter(
        Exists(open_profile),
        Exists(overlapping),
        ~Exists(on_team),
        ~Exists(applied),
        is_active=True,
        deleted_at__isnull=True,
    )
    if call.skill_id is not None:
        members = members.filter(skills=call.skill_id)
    periods = AvailabilityPeriod.objects.filter(
        starts_on__lte=call.ends_on, ends_on__gte=call.starts_on
    ).order_by("starts_on")
    return members.select_related("call_profile").prefetch_related(
        Prefetch("availability_periods", queryset=periods, to_attr="overlapping_periods")
    )


def _shares_city() -> Q:
    """Members whose city signed-in members may see: said so, or the default (members).
    A missing key must be tested on its own: in SQL it reads as NULL, never "not in"."""
    return ~Q(visibility__has_key="city") | Q(visibility__city__in=SHARED_CITY)


def _covered_days(periods: list[AvailabilityPeriod], days: list[date]) -> int:
    return sum(1 for day in days if any(p.starts_on <= day <= p.ends_on for p in periods))


def suggest(call: RoleCall, *, limit: int = LIMIT) -> list[Suggestion]:
    """The best `limit` members for the call, best first (ties by name)."""
    base = _candidates(call)
    pools: list[User] = []
    if call.latitude is not None and call.longitude is not None:
        located = places.near(
            base.filter(_shares_city(), latitude__isnull=False),
            call.latitude,
            call.longitude,
            RADIUS_KM,
        )
        pools.extend(located[:CANDIDATES])
        elsewhere = base.filter(Q(latitude__isnull=True) | ~_shares_city()).order_by("pk")
        pools.extend(elsewhere[:HIDDEN_CANDIDATES])
    else:
        pools.extend(base.order_by("pk")[: CANDIDATES + HIDDEN_CANDIDATES])
    days = call.days
    skill_name = call.skill.name if call.skill is not None else ""
    suggestions = []
    for member in pools:
        suggestion = _rank(call, member, days, skill_name)
        if suggestion is not None:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.member.public_name.casefold(), s.member.pk))
    return suggestions[:limit]


def _rank(call: RoleCall, member: User, days: list[date], skill_name: str) -> Suggestion | None:
    periods: list[AvailabilityPeriod] = getattr(member, "overlapping_periods", [])
    available = _covered_days(periods, days)
    if available == 0:
        return None
    reasons: list[str] = []
    score = 0.0
    has_skill = call.skill_id is not None
    if has_skill:
        score += 3.0
        reasons.append(_("has the skill %(skill)s") % {"skill": skill_name})
    distance: float | None = None
    shares_city = member.visibility_of("city") in SHARED_CITY
    if (
        shares_city
        and member.latitude is not None
        and member.longitude is not None
        and call.latitude is not None
        and call.longitude is not None
    ):
        distance = places.distance_km(
            call.latitude, call.longitude, member.latitude, member.longitude
        )
        travel = member.call_profile.travel_km
        if distance > travel:
            return None
        score += 2.0 * (1.0 - min(distance, RADIUS_KM) / RADIUS_KM)
        reasons.append(_("%(km)d km away") % {"km": round(distance)})
    total = len(days)
    score += 2.0 * available / total
    if available == total:
        reasons.append(
            _("available on the only day")
            if total == 1
            else _("available on all %(count)d days") % {"count": total}
        )
    else:
        reasons.append(
            _("available on %(available)d of %(count)d days")
            % {"available": available, "count": total}
        )
    return Suggestion(
        member=member,
        score=score,
        distance_km=distance,
        available_days=available,
        total_days=total,
        has_skill=has_skill,
        reasons=reasons,
    )
