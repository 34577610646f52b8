"""The projects app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `ProjectsConfig.ready()`.
"""

from datetime import date, datetime

from django.db import transaction

from contrechamp.accounts.models import User
from contrechamp.projects.models import (
    Application,
    AvailabilityPeriod,
    CallProfile,
    CallTime,
    Invitation,
    Project,
    Task,
    TeamMember,
)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_projects(user: User) -> dict[str, object]:
    """Projects owned, places on teams, applications, availability and call times."""
    profile = CallProfile.objects.filter(member=user).first()
    owned = Project.objects.filter(owner=user).order_by("pk")
    roles = TeamMember.objects.filter(member=user).select_related("project").order_by("pk")
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("role_call__project")
        .order_by("pk")
    )
    periods = AvailabilityPeriod.objects.filter(member=user).order_by("pk")
    calls = CallTime.objects.filter(member=user).select_related("shooting_day__project")
    tasks = Task.objects.filter(assignee=user).select_related("project").order_by("pk")
    return {
        "open_to_role_calls": profile.open_to_calls if profile else False,
        "travel_km": profile.travel_km if profile else None,
        "owned_projects": [
            {"title": p.title, "slug": p.slug, "created_at": _iso(p.created_at)} for p in owned
        ],
        "teams": [
            {"project": row.project.title, "role": row.role, "is_manager": row.is_manager}
            for row in roles
        ],
        "applications": [
            {
                "project": a.role_call.project.title,
                "role_call": a.role_call.title,
                "message": a.message,
                "links": list(a.links),
                "status": a.status,
                "created_at": _iso(a.created_at),
            }
            for a in applications
        ],
        "availability": [
            {"from": _iso(p.starts_on), "to": _iso(p.ends_on), "note": p.note} for p in periods
        ],
        "call_times": [
            {
                "project": c.shooting_day.project.title,
                "date": _iso(c.shooting_day.date),
                "call_at": c.call_at.isoformat(),
            }
            for c in calls
        ],
        "tasks": [
            {"project": t.project.title, "task": t.title, "due_on": _iso(t.due_on)} for t in tasks
        ],
    }


@transaction.atomic
def withdraw_member_projects(user: User) -> None:
    """On account deletion: availability, the call profile, pending applications,
    invitations and call times go; places on other people's teams end; a project owned
    passes to another manager of its team when there is one (its team's work stays)."""
    AvailabilityPeriod.objects.filter(member=user).delete()
    CallProfile.objects.filter(member=user).delete()
    Invitation.objects.filter(member=user).delete()
    CallTime.objects.filter(member=user).delete()
    Application.objects.filter(
        applicant=user,
        status__in=[Application.Status.RECEIVED, Application.Status.SHORTLISTED],
    ).delete()
    Task.objects.filter(assignee=user).update(assignee=None)
    for project in Project.objects.filter(owner=user).select_for_update():
        heir = (
            TeamMember.objects.filter(project=project, is_manager=True)
            .exclude(member=user)
            .order_by("joined_at", "pk")
            .first()
        )
        if heir is not None:
            Project.objects.filter(pk=project.pk).update(owner_id=heir.member_id)
    TeamMember.objects.filter(member=user).exclude(project__owner=user).delete()
