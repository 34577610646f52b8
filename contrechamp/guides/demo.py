"""Demo guides: the Grenoble student club pools its technical sheets with the Méliès and
the Voiron médiathèque — an open-air screening guide, the 16 mm checklist (with a printable
PDF), a model letter to ask for screening rights and the wiring of the club's projector,
each with a short history of edits. Idempotent, through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.guides import services
from contrechamp.guides.models import Guide
from contrechamp.networks.models import Network

CLUB = "Ciné-club étudiant de Grenoble"
SHARED_WITH = ("Cinéma Le Méliès", "Ciné-débats de la médiathèque de Voiron")

OPEN_AIR = """Une projection en plein air se prépare **deux mois avant**.

## Autorisations

- Demander l'occupation du domaine public à la mairie (formulaire en ligne, 6 semaines).
- Obtenir les droits de projection publique auprès du distributeur du film
  (voir notre *modèle de lettre*).
- Prévenir le voisinage : un mot dans les boîtes aux lettres une semaine avant.

## Matériel

- Écran gonflable ou toile tendue (6 m de base pour 200 personnes).
- Vidéoprojecteur de 5 000 lumens au moins, à lancer après le coucher du soleil.
- Sonorisation : deux enceintes sur pied, table de mixage, câbles XLR.
- Rallonges et groupe électrogène si aucune prise n'est accessible.

## Le soir même

1. Installer et tester le son avant 20 h.
2. Faire l'essai de l'image dès qu'il fait assez sombre.
3. Garder une lampe frontale par bénévole.
"""

OPEN_AIR_RAIN = (
    OPEN_AIR
    + """
## Plan B en cas de pluie

Réserver une salle de repli (le gymnase du campus) et l'annoncer sur l'affiche.
Décider à 17 h au plus tard, au vu de la météo.
"""
)

CHECKLIST_16MM = """Avant chaque séance en 16 mm :

- Nettoyer le couloir et le presseur avec un pinceau antistatique.
- Vérifier la lampe et avoir une lampe de rechange.
- Contrôler la boucle supérieure et la boucle inférieure.
- Amorcer la bobine avec une amorce neuve.
- Faire un essai de mise au point sur l'amorce.
- Régler le son optique : lecture de la piste, volume à mi-course.
"""

CHECKLIST_16MM_BELT = CHECKLIST_16MM.replace(
    "- Contrôler la boucle supérieure",
    "- Vérifier la tension de la courroie d'entraînement.\n- Contrôler la boucle supérieure",
)

RIGHTS_LETTER = """Objet : demande d'autorisation de projection publique non commerciale

Madame, Monsieur,

Le **[nom du ciné-club]**, association loi 1901, souhaite projeter le film
*[titre du film]* ([année], de [réalisateur ou réalisatrice]) le **[date]** à
[lieu], devant un public d'environ [nombre] personnes.

La séance est [gratuite / à participation libre / au tarif de X €]. Elle sera suivie
d'un débat animé par [intervenant].

Nous vous remercions de nous indiquer les conditions de cette diffusion (montant des
droits, support disponible : DCP, Blu-ray, copie 16 mm ou 35 mm) et les mentions à faire
figurer sur nos supports de communication.

Dans l'attente de votre réponse, veuillez agréer, Madame, Monsieur, nos salutations
distinguées.

[Prénom Nom], pour le bureau du [nom du ciné-club]
[adresse électronique, téléphone]
"""

WIRING = """Le projecteur du club (vidéoprojecteur de la salle 12) :

- **HDMI 1** : ordinateur de régie (câble HDMI de 10 m, étiquette rouge).
- **HDMI 2** : lecteur Blu-ray.
- **Audio** : sortie analogique vers la table de mixage, voie 3-4.
- Télécommande : dans le tiroir de la régie, piles AAA de rechange à côté.

Allumer le projecteur **avant** l'ordinateur, sinon la résolution n'est pas détectée.
"""


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (Latin-1 text), built by hand: tiny and valid."""
    text = "BT /F1 12 Tf 50 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines
    )
    stream = text.encode("latin-1", "replace") + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _network(name: str) -> Network | None:
    return Network.objects.filter(name_normalised=places.normalise(name)).first()


def seed(members: dict[str, User]) -> None:
    """Seed the club's guides once; nothing happens if they exist or the club does not."""
    club = _network(CLUB)
    if club is None or Guide.objects.filter(owner_network=club).exists():
        return
    juliette, mathieu = members["juliette"], members["mathieu"]
    shared = [network for name in SHARED_WITH if (network := _network(name)) is not None]

    open_air = services.create_guide(
        actor=juliette,
        network=club,
        shared_with=shared,
        details=services.GuideDetails(
            kind=Guide.Kind.GUIDE,
            title="Organiser une projection en plein air",
            summary="Autorisations, matériel et déroulé du soir, pour 200 spectateurs.",
            body=OPEN_AIR,
            tags=["plein air", "organisation", "droits"],
        ),
        note="Première version, après la séance de juin",
    )
    services.update_guide(
        actor=mathieu,
        guide=open_air,
        based_on=open_air.version,
        details=services.GuideDetails(
            kind=Guide.Kind.GUIDE,
            title=open_air.title,
            summary=open_air.summary,
            body=OPEN_AIR_RAIN,
            tags=["plein air", "organisation", "droits", "météo"],
        ),
        note="Ajout du plan B en cas de pluie",
    )

    checklist = services.create_guide(
        actor=juliette,
        network=club,
        shared_with=shared,
        details=services.GuideDetails(
            kind=Guide.Kind.CHECKLIST,
            title="Checklist projection 16 mm",
            summary="Les gestes à faire avant chaque séance en pellicule.",
            body=CHECKLIST_16MM,
            tags=["16 mm", "projection", "pellicule"],
        ),
    )
    services.update_guide(
        actor=mathieu,
        guide=checklist,
        based_on=checklist.version,
        details=services.GuideDetails(
            kind=Guide.Kind.CHECKLIST,
            title=checklist.title,
            summary=checklist.summary,
            body=CHECKLIST_16MM_BELT,
            tags=["16 mm", "projection", "pellicule"],
        ),
        note="La courroie a lâché en octobre : on la vérifie maintenant",
    )
    printable = _pdf(
        [
            f"Checklist projection 16 mm - {CLUB}",
            "",
            *[line for line in CHECKLIST_16MM_BELT.splitlines() if line.startswith("- ")],
        ]
    )
    services.attach_file(
        actor=mathieu,
        guide=checklist,
        upload=SimpleUploadedFile("checklist-16mm.pdf", printable, "application/pdf"),
    )
    if "camille" in members:
        services.add_editor(actor=juliette, guide=checklist, member=members["camille"])

    letter = services.create_guide(
        actor=juliette,
        network=club,
        is_public=True,
        shared_with=shared,
        details=services.GuideDetails(
            kind=Guide.Kind.TEMPLATE,
            title="Modèle de lettre de demande de droits de projection",
            summary="À envoyer au distributeur pour une séance publique non commerciale.",
            body=RIGHTS_LETTER,
            tags=["droits", "modèle de lettre"],
        ),
    )

    services.create_guide(
        actor=juliette,
        network=club,
        details=services.GuideDetails(
            kind=Guide.Kind.SHEET,
            title="Câblage du projecteur du club",
            summary="Quelle entrée pour quel appareil, salle 12.",
            body=WIRING,
            tags=["câblage", "projecteur"],
        ),
    )

    for username, guide in (("paul", letter), ("amandine", checklist), ("sebastien", letter)):
        if username in members:
            services.mark_helpful(actor=members[username], guide=guide)
