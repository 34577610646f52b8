"""The demo's wanted requests: Sébastien looks for *La Jetée* with English subtitles for
a screening with the exchange students of his forum; Lucie then lists her DVD of it in
the library, so the match is on his request's page and in his notifications. Nora looks
for a 16 mm print of *Sans toit ni loi* for her club. Needs the shipped catalogue
(`load_catalogue`); idempotent: what exists already is left as it is."""

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.films.models import Film
from contrechamp.lending import services as lending
from contrechamp.lending.models import Item
from contrechamp.wanted import matching, services
from contrechamp.wanted.models import Format, WantedRequest

JETEE_NOTE = (
    "Pour une séance du forum avec des étudiants Erasmus à Lyon : je cherche une copie "
    "de *La Jetée* sous-titrée en anglais. Un DVD ou un Blu-ray me va, une copie 16 mm "
    "serait un rêve. Je peux me déplacer dans la région lyonnaise et grenobloise."
)
JETEE_ITEM = "La Jetée / Sans soleil, DVD Arte (sous-titres anglais)"
JETEE_ITEM_DESCRIPTION = (
    "Le double DVD Arte des deux films de Chris Marker, version française, sous-titres "
    "anglais et allemands. Livret de 16 pages."
)
SANS_TOIT_NOTE = (
    "Le ciné-club de Marseille prépare un cycle Agnès Varda en mars : une copie 16 mm de "
    "*Sans toit ni loi* en prêt, même un peu rayée, nous ferait très plaisir."
)


def _film(title: str, year: int) -> Film | None:
    return Film.objects.filter(title=title, year=year).first()


def _request(member: User, details: services.RequestDetails) -> None:
    if not WantedRequest.objects.filter(requester=member, film=details.film).exists():
        services.post_request(actor=member, details=details)


def seed(members: dict[str, User]) -> None:
    sebastien, lucie, nora = (members.get(name) for name in ("sebastien", "lucie", "nora"))
    jetee = _film("La Jetée", 1962)
    if sebastien is not None and jetee is not None:
        _request(
            sebastien,
            services.RequestDetails(
                film=jetee,
                formats=[Format.DVD, Format.BLU_RAY, Format.FILM_16],
                subtitle_languages=["en"],
                note=JETEE_NOTE,
            ),
        )
        if (
            lucie is not None
            and not Item.objects.filter(owner_user=lucie, title=JETEE_ITEM).exists()
        ):
            lyon = places.find_city("Lyon")
            assert lyon is not None  # noqa: S101 - the shipped gazetteer knows Lyon
            item = lending.create_item(
                actor=lucie,
                details=lending.ItemDetails(
                    kind=Item.Kind.DVD,
                    title=JETEE_ITEM,
                    film=jetee,
                    description=JETEE_ITEM_DESCRIPTION,
                    place=lyon,
                ),
            )
            # The library matches after its commit; the demo loads in one transaction, so
            # the match is made now (the later run finds it made and announces nothing).
            matching.offers_changed("library", [item.pk])
    sans_toit = _film("Sans toit ni loi", 1985)
    if nora is not None and sans_toit is not None:
        _request(
            nora,
            services.RequestDetails(film=sans_toit, formats=[Format.FILM_16], note=SANS_TOIT_NOTE),
        )
