"""Demo: the live room of the Grenoble club's first ciné-club night (*Le Voyage dans la
Lune*), where members react after the screening, and a watch party of the film itself,
from Wikimedia Commons (public domain; the server never fetches it)."""

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.demo.people import NETWORKS
from contrechamp.events.models import Event
from contrechamp.live import services
from contrechamp.live.models import Message, Room
from contrechamp.networks.models import Network

FILM_URL = (
    "https://upload.wikimedia.org/wikipedia/commons/transcoded/6/6d/"
    "Le_Voyage_dans_la_Lune_%281902%29.webm/"
    "Le_Voyage_dans_la_Lune_%281902%29.webm.480p.vp9.webm"
)

CONVERSATION = (
    ("juliette", "Merci à toutes et à tous d'être venus ce soir ! Vos impressions ?"),
    ("mathieu", "La fusée dans l'œil de la lune, en vrai sur grand écran… **magique**."),
    ("camille", "J'ignorais que la version coloriée à la main avait été retrouvée en 1993."),
    ("nora", "Le débat sur les trucages de Méliès m'a donné envie de tourner un court."),
    ("amandine", "Quelqu'un a le lien vers l'article sur la restauration ? *Merci !*"),
    (
        "juliette",
        "Le voici : https://fr.wikipedia.org/wiki/Le_Voyage_dans_la_Lune — "
        "et on se retrouve dans le salon vocal pour continuer.",
    ),
)


def seed(members: dict[str, User]) -> None:
    """Idempotent: the room, its conversation and the watch party are made once."""
    club = Network.objects.filter(name_normalised=places.normalise(NETWORKS[0].name)).first()
    juliette = members.get("juliette")
    if club is None or juliette is None:
        return
    night = (
        Event.objects.filter(network=club, status=Event.Status.PUBLISHED)
        .order_by("starts_at")
        .first()
    )
    if night is None:
        return
    room = services.open_event_room(actor=juliette, event=night)
    if not Message.objects.filter(room=room).exists():
        for username, text in CONVERSATION:
            author = members.get(username)
            if author is not None:
                services.post_message(actor=author, room=room, body=text)
    watch = services.open_network_room(actor=juliette, network=club)
    if not Room.objects.filter(pk=watch.pk, video_url=FILM_URL).exists():
        services.start_watch_party(actor=juliette, room=watch, video_url=FILM_URL)
