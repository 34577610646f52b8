"""The demo's creative project: Nora's short film "La Calanque", shot in Marseille in
March. She calls for a director of photography, a sound recordist and ten extras for a
beach scene, all volunteer; Yasmine (cinematography, Marseille) is accepted and joins the
team, Camille (sound, Grenoble) is shortlisted, Théo and Paul apply as extras. Yasmine,
Camille and Théo are open to role calls with their March availability, so the calls show
suggestions. One shooting day has its call sheet sent to the team.

Goes through the services; idempotent: what exists already is left as it is."""

import datetime as dt

from django.utils import timezone

from contrechamp.accounts.models import Skill, User
from contrechamp.projects import services
from contrechamp.projects.models import (
    Application,
    AvailabilityPeriod,
    CallProfile,
    Project,
    RoleCall,
    ShootingDay,
)

TITLE = "La Calanque"
DESCRIPTION = (
    "Un court métrage de fiction d'une quinzaine de minutes. Deux sœurs se retrouvent dans "
    "la calanque de leur enfance le jour où l'une d'elles doit quitter Marseille. "
    "Tournage en lumière naturelle sur trois jours, en mars, entre Sormiou et la plage "
    "des Catalans. Équipe bénévole, repas et transports pris en charge."
)
SCENES = (
    "Sc. 4 — EXT. PLAGE DES CATALANS — MATIN : la baignade (figurants)\n"
    "Sc. 5 — EXT. DIGUE — MATIN : Léa regarde partir le ferry\n"
    "Sc. 9 — EXT. PLAGE — MIDI : le pique-nique, dialogue des deux sœurs"
)
NOTES = (
    "Rendez-vous devant le cercle des nageurs. Prévoir vêtements chauds entre les prises, "
    "l'eau est à 14 °C. Repas du midi offert par l'association. Parking difficile : "
    "venez en bus (ligne 83)."
)


def _march() -> tuple[dt.date, dt.date, dt.date]:
    """The next March's shooting days (14 to 16) and the deadline to apply: far enough
    ahead that the calls are still open whenever the demo is loaded."""
    today = timezone.localdate()
    year = today.year + 1 if today.month >= 2 else today.year
    return dt.date(year, 3, 14), dt.date(year, 3, 16), dt.date(year, 3, 1)


def _skill(slug: str) -> Skill | None:
    return Skill.objects.filter(slug=slug).first()


def _project(nora: User, starts: dt.date, ends: dt.date) -> Project:
    existing = Project.objects.filter(owner=nora, title=TITLE).first()
    if existing is not None:
        return existing
    return services.create_project(
        actor=nora,
        details=services.ProjectDetails(
            title=TITLE,
            kind=Project.Kind.SHORT_FILM,
            description=DESCRIPTION,
            city="Marseille",
            starts_on=starts,
            ends_on=ends,
            status=Project.Status.PRE_PRODUCTION,
        ),
    )


def _call(nora: User, project: Project, details: services.CallDetails) -> RoleCall:
    existing = RoleCall.objects.filter(project=project, title=details.title).first()
    if existing is not None:
        return existing
    return services.create_call(actor=nora, project=project, details=details)


def _open_to_calls(member: User | None, starts: dt.date, ends: dt.date, km: int) -> None:
    if member is None:
        return
    if not CallProfile.objects.filter(member=member).exists():
        services.set_call_profile(actor=member, open_to_calls=True, travel_km=km)
    if not AvailabilityPeriod.objects.filter(member=member).exists():
        services.add_availability(
            actor=member,
            starts_on=starts - dt.timedelta(days=7),
            ends_on=ends + dt.timedelta(days=7),
            note="Disponible en semaine comme le week-end",
        )


def _apply(
    member: User | None, call: RoleCall, message: str, links: list[str]
) -> Application | None:
    if member is None:
        return None
    existing = Application.objects.filter(role_call=call, applicant=member).first()
    if existing is not None:
        return existing
    return services.apply(actor=member, call=call, message=message, links=links)


def _decide(nora: User, application: Application | None, status: str) -> None:
    if application is not None and application.status == Application.Status.RECEIVED:
        services.decide_application(actor=nora, application=application, status=status)


def seed(members: dict[str, User]) -> None:
    nora = members.get("nora")
    if nora is None:
        return
    starts, ends, deadline = _march()
    project = _project(nora, starts, ends)
    for name, km in (("yasmine", 50), ("camille", 400), ("theo", 60)):
        _open_to_calls(members.get(name), starts, ends, km)
    dop = _call(
        nora,
        project,
        services.CallDetails(
            kind=RoleCall.Kind.CREW,
            skill=_skill("cinematography"),
            title="Directeur ou directrice de la photographie",
            requirements=(
                "Expérience du tournage en lumière naturelle, idéalement en extérieur. "
                "Caméra fournie (Blackmagic Pocket 6K, empruntée à la banque de matériel)."
            ),
            starts_on=starts,
            ends_on=ends,
            deadline=deadline,
        ),
    )
    sound = _call(
        nora,
        project,
        services.CallDetails(
            kind=RoleCall.Kind.CREW,
            skill=_skill("sound-recording"),
            title="Ingénieur·e du son",
            requirements="Prise de son en extérieur avec du vent : perche et bonnettes.",
            starts_on=starts,
            ends_on=ends,
            deadline=deadline,
        ),
    )
    extras = _call(
        nora,
        project,
        services.CallDetails(
            kind=RoleCall.Kind.EXTRA,
            title="Dix figurants pour une scène de plage",
            requirements=(
                "Tous âges, en tenue de plage de printemps. Une matinée, baignade facultative !"
            ),
            people_needed=10,
            starts_on=starts + dt.timedelta(days=1),
            ends_on=starts + dt.timedelta(days=1),
            deadline=deadline,
        ),
    )
    yasmine = members.get("yasmine")
    _decide(
        nora,
        _apply(
            yasmine,
            dop,
            "Bonjour Nora, je tourne surtout des courts associatifs en lumière naturelle. "
            "Le projet me touche, je suis libre ces trois jours.",
            ["https://vimeo.com/contrechamp-demo-yasmine"],
        ),
        Application.Status.ACCEPTED,
    )
    _decide(
        nora,
        _apply(
            members.get("camille"),
            sound,
            "Ingé son à Grenoble, je peux descendre en train avec mon Zoom F6 et une perche.",
            [],
        ),
        Application.Status.SHORTLISTED,
    )
    for name, message in (
        ("theo", "Comédien à Aix, je serai ravi de faire de la figuration."),
        ("paul", "Dispo le week-end, je viens avec ma serviette !"),
    ):
        _apply(members.get(name), extras, message, [])
    day_date = starts + dt.timedelta(days=1)
    if not ShootingDay.objects.filter(project=project, date=day_date).exists():
        day = services.create_shooting_day(
            actor=nora,
            project=project,
            details=services.DayDetails(
                date=day_date,
                general_call=dt.time(7, 30),
                wrap_at=dt.time(14, 0),
                address="Plage des Catalans, 3 rue des Catalans, Marseille",
                scenes=SCENES,
                notes=NOTES,
            ),
        )
        services.set_call_time(actor=nora, day=day, member=nora, call_at=dt.time(7, 0))
        if yasmine is not None and project.team.filter(member=yasmine).exists():
            services.set_call_time(
                actor=nora, day=day, member=yasmine, call_at=dt.time(6, 30), note="Repérage lumière"
            )
        services.publish_call_sheet(actor=nora, day=day)
    if not project.tasks.exists():
        services.add_task(
            actor=nora,
            project=project,
            title="Demander l'autorisation de tournage à la mairie",
            due_on=deadline,
        )
        services.add_task(
            actor=nora,
            project=project,
            title="Réserver la caméra à la banque de matériel",
            assignee=yasmine if yasmine and project.team.filter(member=yasmine).exists() else None,
            due_on=deadline,
        )
