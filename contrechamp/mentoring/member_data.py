"""The mentoring app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `MentoringConfig.ready()`.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.mentoring.models import (
    MentoringProfile,
    MentoringSession,
    Mentorship,
    SkillListing,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_mentoring(user: User) -> dict[str, object]:
    """The member's mentoring profile (age bracket included: it is theirs), offers and
    requests, and the mentorships they take part in with their sessions."""
    profile = (
        MentoringProfile.objects.filter(user=user)
        .prefetch_related("mentor_skills", "learning_skills")
        .first()
    )
    listings = SkillListing.objects.filter(author=user).select_related("skill").order_by("pk")
    mentorships = (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("mentor", "mentee", "skill")
        .prefetch_related("sessions__logged_by")
        .order_by("pk")
    )
    return {
        "profile": None
        if profile is None
        else {
            "mentor_domains": [skill.slug for skill in profile.mentor_skills.all()],
            "capacity": profile.capacity,
            "accepting": profile.accepting,
            "availability": profile.availability,
            "introduction": profile.introduction,
            "learning_domains": [skill.slug for skill in profile.learning_skills.all()],
            "learning_goals": profile.learning_goals,
            "format": profile.format,
            "languages": list(profile.languages),
            "city": profile.city_name,
            "age_bracket": profile.age_bracket,
            "match_by_age": profile.match_by_age,
        },
        "listings": [
            {
                "kind": listing.kind,
                "domain": listing.skill.slug,
                "title": listing.title,
                "description": listing.description,
                "level": listing.level,
                "format": listing.format,
                "city": listing.city_name,
                "status": listing.status,
                "posted_at": _iso(listing.created_at),
            }
            for listing in listings
        ],
        "mentorships": [
            {
                "role": "mentor" if m.mentor_id == user.pk else "mentee",
                "other_member": (m.mentee if m.mentor_id == user.pk else m.mentor).username,
                "domain": m.skill.slug,
                "status": m.status,
                "message": m.message,
                "goals": m.goals,
                "requested_at": _iso(m.created_at),
                "started_at": _iso(m.started_at),
                "ended_at": _iso(m.ended_at),
                "thanks": m.thanks_note,
                "sessions": [
                    {
                        "held_on": session.held_on.isoformat(),
                        "note": session.note,
                        "logged_by_me": session.logged_by_id == user.pk,
                    }
                    for session in m.sessions.all()
                ],
            }
            for m in mentorships
        ],
    }


@transaction.atomic
def withdraw_member_mentoring(user: User) -> None:
    """Inside the deletion transaction: the member's profile and their offers and
    requests go; requests waiting are withdrawn (theirs) or declined (to them);
    mentorships under way end. What they wrote in shared mentorships is cleared; the
    rows stay, pointing at the anonymised member, for the other side's history."""
    now = timezone.now()
    MentoringProfile.objects.filter(user=user).delete()
    SkillListing.objects.filter(author=user).delete()
    mine = Q(mentor=user) | Q(mentee=user)
    proposed_by_them = Q(mentee=user, proposed_by=Mentorship.Side.MENTEE) | Q(
        mentor=user, proposed_by=Mentorship.Side.MENTOR
    )
    waiting = Mentorship.objects.filter(mine, status=Mentorship.Status.REQUESTED)
    waiting.filter(proposed_by_them).update(status=Mentorship.Status.WITHDRAWN, updated_at=now)
    waiting.update(status=Mentorship.Status.DECLINED, answered_at=now, updated_at=now)
    Mentorship.objects.filter(mine, status=Mentorship.Status.ACTIVE).update(
        status=Mentorship.Status.ENDED, ended_at=now, ended_by=user, updated_at=now
    )
    Mentorship.objects.filter(proposed_by_them).update(message="")
    Mentorship.objects.filter(ended_by=user).update(thanks_note="")
    MentoringSession.objects.filter(logged_by=user).update(note="")
