"""Demo feedback on Nora's short film "La Calanque": the screenplay's first version read by
Juliette and Sébastien, a second version where some comments follow their lines and one
is left outdated, and the first cut shared by link with comments at timecodes.

Idempotent: a part already seeded (a version, the cut) is left as it is.
"""

from pathlib import Path

from contrechamp.accounts.models import User
from contrechamp.feedback import services
from contrechamp.feedback.models import Cut, ScreenplayVersion
from contrechamp.projects import services as project_services
from contrechamp.projects.models import Project

SCREENPLAYS = Path(__file__).parent / "screenplays"
PROJECT_SLUG = "la-calanque"
CUT_TITLE = "Premier montage"


def screenplay(version: str) -> str:
    return (SCREENPLAYS / f"la_calanque_{version}.fountain").read_text(encoding="utf-8")


def _project(nora: User) -> Project:
    existing = Project.objects.filter(slug=PROJECT_SLUG, owner=nora).first()
    if existing is not None:
        return existing
    return project_services.create_project(
        actor=nora,
        details=project_services.ProjectDetails(
            title="La Calanque",
            kind=Project.Kind.SHORT_FILM,
            description=(
                "Un court métrage sur un cabanon, une calanque et une vente qui n'a pas lieu."
            ),
            city="Marseille",
        ),
    )


def _reviewers(members: dict[str, User]) -> list[User]:
    return [members[name] for name in ("juliette", "sebastien") if name in members]


def _screenplay(nora: User, project: Project, reviewers: list[User]) -> None:
    if ScreenplayVersion.objects.filter(project=project).exists():
        return
    first = services.add_screenplay_version(
        actor=nora, project=project, source=screenplay("v1"), change_note="Premier jet"
    )
    if not reviewers:
        return
    services.request_feedback(
        actor=nora,
        project=project,
        version=first,
        usernames=[member.username for member in reviewers],
        message=(
            "Voici le premier jet de La Calanque. Je doute surtout de la scène sur la route "
            "des Crêtes et du rythme des dialogues avec Marc. Soyez francs !"
        ),
    )
    juliette, sebastien = reviewers[0], reviewers[-1]
    services.comment_on_screenplay(
        actor=juliette,
        version=first,
        line=17,
        body="Très court, et c'est bien. Peut-être un mot de plus pour qu'on sente le cabanon ?",
    )
    cliche = services.comment_on_screenplay(
        actor=sebastien,
        version=first,
        line=30,
        body=(
            "La réplique de Marc sonne un peu comme une maxime : "
            "on la comprend déjà dans son silence."
        ),
    )
    services.reply_to_screenplay_comment(
        actor=nora, comment=cliche, body="Tu as raison, je la coupe dans la version 2."
    )
    services.comment_on_screenplay(
        actor=juliette,
        version=first,
        line=36,
        body="Dix figurants en maillot : pensez à l'autorisation du Parc national des Calanques.",
    )
    services.comment_on_screenplay(
        actor=sebastien,
        version=first,
        scene=3,
        body=(
            "Belle image, mais la scène redit ce que la suivante montre. À garder pour le montage ?"
        ),
    )
    services.add_screenplay_version(
        actor=nora,
        project=project,
        source=screenplay("v2"),
        change_note="Réplique de Marc coupée, scène de la route retirée",
    )


def _cut(nora: User, project: Project, reviewers: list[User]) -> None:
    if Cut.objects.filter(project=project, title=CUT_TITLE).exists():
        return
    cut = services.add_cut(
        actor=nora,
        project=project,
        details=services.CutDetails(
            title=CUT_TITLE,
            frame_rate="25",
            duration="00:14:32:10",
            video_url="https://videos.example.org/la-calanque/premier-montage.mp4",
        ),
    )
    if not reviewers:
        return
    services.request_feedback(
        actor=nora,
        project=project,
        cut=cut,
        usernames=[member.username for member in reviewers],
        message="Le premier montage, son témoin. Je cherche surtout où ça traîne.",
    )
    juliette, sebastien = reviewers[0], reviewers[-1]
    services.comment_on_cut(
        actor=juliette,
        cut=cut,
        at="00:01:12:05",
        body="Le plan sur les filets dure deux secondes de trop : on a compris.",
    )
    raccord = services.comment_on_cut(
        actor=sebastien,
        cut=cut,
        at="00:04:48:17",
        body="Faux raccord : le sac de Lina change d'épaule entre les deux plans.",
    )
    services.reply_to_cut_comment(
        actor=nora, comment=raccord, body="Bien vu, je prends l'autre prise."
    )
    services.set_cut_comment_resolved(actor=nora, comment=raccord, resolved=True)
    services.comment_on_cut(
        actor=juliette,
        cut=cut,
        at="00:11:03:00",
        body="Le silence chez le notaire est magnifique. Surtout ne mettez pas de musique ici.",
    )


def seed(members: dict[str, User]) -> None:
    nora = members.get("nora")
    if nora is None:
        return
    project = _project(nora)
    reviewers = _reviewers(members)
    _screenplay(nora, project, reviewers)
    _cut(nora, project, reviewers)
