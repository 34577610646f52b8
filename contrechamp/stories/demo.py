"""The demo's community story: Amandine tells how three clubs of the Grenoble area lent
each other one 16 mm projector all summer, names the three networks and two people (who
accept), and recommends the student ciné-club that made it happen. Idempotent: what
exists already is left as it is."""

from contrechamp.accounts.models import User
from contrechamp.core.places import normalise
from contrechamp.networks.models import Network
from contrechamp.stories import services
from contrechamp.stories.models import Endorsement, PersonTag, Story

AUTHOR = "amandine"
TAGGED = ("camille", "paul")
RECOMMENDED = "Ciné-club étudiant de Grenoble"
NETWORKS = (
    "Ciné-club étudiant de Grenoble",
    "Cinéma Le Méliès",
    "Ciné-débats de la médiathèque de Voiron",
)
TITLE = "Un projecteur, trois clubs, un été"
LEAD = (
    "De juin à septembre, le projecteur 16 mm du ciné-club étudiant a voyagé entre "
    "Grenoble et Voiron : douze séances en plein air, aucune panne."
)
BODY = """\
Au printemps, le Méliès préparait son cycle « Cinéma sous les étoiles » et la médiathèque
de Voiron voulait projeter ses copies 16 mm de courts métrages en plein air. Aucun des deux
n'avait de projecteur portable. Le ciné-club étudiant en avait un, qui dort tout l'été
quand le campus ferme.

## Comment on s'est organisés

- un **calendrier partagé** : chaque club réservait ses week-ends ;
- une **fiche de prêt** signée à chaque passage, avec l'état de la lampe et des courroies ;
- Camille a fait la formation des bénévoles : chargement, boucles, nettoyage du couloir ;
- Paul transportait le projecteur entre Grenoble et Voiron dans sa voiture, calé dans sa
  valise d'origine.

## Ce qu'on en retient

Douze séances, plus de six cents spectateurs, et une lampe de rechange achetée à trois.
Le ciné-club étudiant a rendu tout cela possible : il a prêté son matériel sans
contrepartie, et ses bénévoles ont répondu au téléphone tout l'été.

L'an prochain, on recommence, avec un second projecteur si la cagnotte suit.
"""
ENDORSEMENT = (
    "Le ciné-club étudiant nous a prêté son projecteur 16 mm tout l'été, a formé nos "
    "bénévoles et a toujours répondu présent. Un club généreux, qui fait vivre le cinéma "
    "bien au-delà du campus."
)


def seed(members: dict[str, User]) -> None:
    author = members.get(AUTHOR)
    if author is None:
        return
    networks = list(
        Network.objects.filter(name_normalised__in=[normalise(name) for name in NETWORKS])
    )
    if len(networks) != len(NETWORKS):
        return
    people = [members[username] for username in TAGGED if username in members]
    story = Story.objects.filter(author=author, title=TITLE).first()
    if story is None:
        story = services.create_story(
            actor=author,
            title=TITLE,
            lead=LEAD,
            body=BODY,
            networks=networks,
            people=people,
            publish=True,
        )
    by_id = {person.pk: person for person in people}
    pending = PersonTag.objects.filter(
        story=story, person__in=people, status=PersonTag.Status.PENDING
    )
    for tag in pending:
        services.answer_tag(actor=by_id[tag.person_id], tag=tag, accept=True)
    recommended = next(n for n in networks if n.name_normalised == normalise(RECOMMENDED))
    if not Endorsement.objects.filter(network=recommended, author=author).exists():
        services.endorse(actor=author, network=recommended, text=ENDORSEMENT, story=story)
