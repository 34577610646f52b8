"""One of each projects thing for the API fuzzer: a project of another member's with an
open call, an application of the caller's and a published call sheet that calls them; a
project of the caller's with a call another member applied to."""

import datetime as dt

from django.utils import timezone

from contrechamp.accounts.models import User
from contrechamp.projects import services
from contrechamp.projects.models import Project, RoleCall


def _details(title: str) -> services.ProjectDetails:
    return services.ProjectDetails(
        title=title, kind=Project.Kind.SHORT_FILM, city="Marseille", description="Fuzz"
    )


def _call(actor: User, project: Project) -> RoleCall:
    today = timezone.localdate()
    return services.create_call(
        actor=actor,
        project=project,
        details=services.CallDetails(
            kind=RoleCall.Kind.VOLUNTEER,
            title="Régie plateau",
            starts_on=today + dt.timedelta(days=10),
            ends_on=today + dt.timedelta(days=11),
            deadline=today + dt.timedelta(days=5),
        ),
    )


def build(*, owner: User, caller: User) -> None:
    theirs = services.create_project(actor=owner, details=_details("La Calanque (fuzz)"))
    call = _call(owner, theirs)
    services.apply(actor=caller, call=call, message="Présent", links=["https://example.org"])
    services.add_team_member(actor=owner, project=theirs, member=caller, role="Son")
    day = services.create_shooting_day(
        actor=owner,
        project=theirs,
        details=services.DayDetails(
            date=timezone.localdate() + dt.timedelta(days=10),
            general_call=dt.time(7, 30),
            address="Plage des Catalans",
            scenes="Sc. 1",
        ),
    )
    services.set_call_time(actor=owner, day=day, member=caller, call_at=dt.time(7))
    services.publish_call_sheet(actor=owner, day=day)
    mine = services.create_project(actor=caller, details=_details("Les Goélands (fuzz)"))
    own_call = _call(caller, mine)
    services.apply(actor=owner, call=own_call, message="Je viens", links=[])
