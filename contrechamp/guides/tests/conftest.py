"""Scene for the guides tests: Juliette (`member`) runs the Grenoble student club
(`club`, she is its admin and organiser); Nora (`other_member`) runs a club in Lyon
(`lyon_club`); `outsider` belongs to neither. Guides go through the services; `pdf` and
`png` make small real files, `liar` a file whose name says PDF and whose bytes do not."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from zeal import zeal_ignore

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.guides import services
from contrechamp.guides.models import Guide, GuideTag
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def city(name: str) -> places.Place:
    place = places.find_city(name)
    assert place is not None, name
    return place


def make_network(admin: User, name: str, town: str = "Grenoble") -> Network:
    with zeal_ignore():
        return network_services.create_network(
            actor=admin,
            name=name,
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=city(town),
        )


def join(member: User, network: Network) -> None:
    with zeal_ignore():
        network_services.join_network(actor=member, network=network, accept_charter=True)


def make_guide(owner: User, *, network: Network | None = None, **kwargs: Any) -> Guide:
    details = services.GuideDetails(
        title=kwargs.pop("title", "Checklist projection 16 mm"),
        body=kwargs.pop("body", "- Nettoyer le couloir\n- Vérifier la lampe\n- Amorcer la bobine"),
        kind=kwargs.pop("kind", Guide.Kind.CHECKLIST),
        summary=kwargs.pop("summary", "Avant chaque séance en 16 mm."),
        tags=kwargs.pop("tags", ("16 mm", "projection")),
    )
    with zeal_ignore():
        return services.create_guide(actor=owner, details=details, network=network, **kwargs)


def edit(guide: Guide, actor: User, body: str, **kwargs: Any) -> Guide:
    details = services.GuideDetails(
        title=kwargs.pop("title", guide.title),
        body=body,
        kind=kwargs.pop("kind", guide.kind),
        summary=kwargs.pop("summary", guide.summary),
        tags=kwargs.pop(
            "tags", list(GuideTag.objects.filter(guides=guide).values_list("name", flat=True))
        ),
    )
    return services.update_guide(
        actor=actor,
        guide=guide,
        details=details,
        based_on=kwargs.pop("based_on", guide.version),
        **kwargs,
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def club(member: User) -> Network:
    return make_network(member, "Ciné-club étudiant de Grenoble")


@pytest.fixture
def lyon_club(other_member: User) -> Network:
    return make_network(other_member, "Ciné-club de la Croix-Rousse", "Lyon")


@pytest.fixture
def guide(member: User) -> Guide:
    """Juliette's own checklist, shared with nobody yet."""
    return make_guide(member)


@pytest.fixture
def club_guide(member: User, club: Network) -> Guide:
    return make_guide(
        member,
        network=club,
        title="Organiser une projection en plein air",
        kind=Guide.Kind.GUIDE,
        body=(
            "## Avant\n\nDemander l'autorisation à la mairie.\n\n## Le soir même\n\nTester le son."
        ),
    )


@pytest.fixture
def pdf() -> SimpleUploadedFile:
    return upload("branchements.pdf", PDF_BYTES)


@pytest.fixture
def png() -> SimpleUploadedFile:
    return upload("schema.png", PNG_BYTES, "image/png")


@pytest.fixture
def liar() -> SimpleUploadedFile:
    return upload("facture.pdf", b"MZ\x90\x00 this is a program, not a PDF", "application/pdf")
