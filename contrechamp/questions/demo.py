"""The demo's questions and answers: Juliette asks how to save a 16 mm reel that smells
of vinegar; Sébastien, Hugo and Mathieu answer, others vote and comment, Juliette
accepts Sébastien's answer. In the rare-films forum Lucie asks the same thing, and
Sébastien, its moderator, closes her question into Juliette's. Juliette's student club
has a members-only question about its open-air screening. Idempotent: a question that
exists already (same author and title) is left as it is."""

from contrechamp.accounts.models import User
from contrechamp.networks.models import Membership, Network
from contrechamp.questions import services
from contrechamp.questions.models import Category, Question

VINEGAR = "Comment restaurer une bobine 16 mm qui sent le vinaigre ?"
VINEGAR_BODY = """\
En rangeant le local du ciné-club, on a trouvé une boîte de **16 mm** (un court métrage
des années 70) : dès l'ouverture, une forte odeur de vinaigre. La pellicule gondole un peu
et colle par endroits.

- Est-ce qu'on peut encore la projeter ?
- Comment éviter que ça contamine les autres bobines ?
- À qui s'adresser pour une numérisation ?
"""
SEBASTIEN_ANSWER = """\
C'est le **syndrome du vinaigre** : le support en triacétate de cellulose se décompose et
libère de l'acide acétique. Le processus s'accélère avec la chaleur et l'humidité, et il
est contagieux pour les bobines rangées à côté.

1. **Isolez-la tout de suite** : boîte à part, hors du local, jamais dans une boîte
   hermétique en métal (l'acide s'y concentre).
2. **Ne la projetez pas** : une pellicule qui gondole peut casser dans le couloir et
   abîmer le projecteur.
3. **Au frais et au sec** : moins de 10 °C et 30 à 40 % d'humidité ralentissent beaucoup
   la dégradation. Des tamis moléculaires dans la boîte absorbent l'acide.
4. **Faites-la numériser vite** : la Cinémathèque régionale ou un laboratoire spécialisé
   sauront dire si un scan est encore possible.

Les bandelettes A-D Strips permettent de mesurer le degré d'acidité des autres bobines.
"""
HUGO_ANSWER = """\
Pour la numérisation : un scanner à défilement continu sans griffes (type *Lasergraphics*)
accepte les films rétractés jusqu'à 1,5 %. Au-delà, il faut un passage image par image.
Je peux regarder la bobine si vous passez à Paris.
"""
MATHIEU_ANSWER = """\
Côté cabine : vérifiez aussi les autres boîtes du même carton avec des bandelettes, et
notez l'état de chaque bobine dans la fiche d'inventaire du club. On a perdu deux copies
l'an dernier faute de les avoir séparées à temps.
"""
DUPLICATE = "Ma copie 16 mm sent l'acide acétique : est-elle perdue ?"
DUPLICATE_BODY = (
    "Une copie achetée en brocante sent fort le vinaigre. Est-ce qu'il y a quelque chose "
    "à faire ou est-ce fichu ?"
)
INES_ANSWER = (
    "Pas forcément perdue : isolez-la et faites-la numériser avant que le support ne "
    "devienne cassant. Les tamis moléculaires aident à gagner du temps."
)
CLUB = "Ciné-club étudiant de Grenoble"
FORUM = "Forum des films rares"
CLUB_QUESTION = "Qui sait charger le projecteur 16 mm pour la séance en plein air ?"
CLUB_BODY = (
    "Pour la séance du campus en juillet, on a besoin de deux personnes qui savent charger "
    "le projecteur 16 mm et faire la boucle. Qui est disponible ?"
)
RIGHTS = "Faut-il payer des droits pour une projection gratuite en médiathèque ?"
RIGHTS_BODY = (
    "La médiathèque de Voiron veut projeter un film du domaine privé, entrée libre. "
    "Est-ce qu'une autorisation est nécessaire même sans billetterie ?"
)
RIGHTS_ANSWER = """\
Oui : la gratuité ne dispense pas des **droits de représentation publique**. Il faut
l'accord du distributeur (ou d'une centrale comme l'ADAV ou Swank pour les médiathèques),
et déclarer la séance à la SACEM si le film contient de la musique.
"""
UNANSWERED = "Quel micro pour un tournage en extérieur avec du vent ?"
UNANSWERED_BODY = (
    "Je tourne mon premier court en bord de mer. Quel micro et quelle bonnette choisir "
    "pour un petit budget ?"
)


def _category(slug: str) -> Category:
    return Category.objects.get(slug=slug)


def _network(name: str) -> Network | None:
    return Network.objects.filter(name=name).first()


def _is_member(user: User, network: Network) -> bool:
    return Membership.objects.filter(
        user=user, network=network, status=Membership.Status.ACTIVE
    ).exists()


def _ask(
    author: User,
    title: str,
    body: str,
    slug: str,
    tags: tuple[str, ...],
    network: Network | None = None,
) -> tuple[Question, bool]:
    existing = Question.objects.filter(author=author, title=title).first()
    if existing is not None:
        return existing, False
    details = services.QuestionDetails(title=title, body=body, category=_category(slug), tags=tags)
    return services.ask_question(actor=author, details=details, network=network), True


def _vinegar(members: dict[str, User]) -> Question:
    juliette, sebastien = members["juliette"], members["sebastien"]
    question, created = _ask(
        juliette,
        VINEGAR,
        VINEGAR_BODY,
        "formats-et-restauration",
        ("16mm", "syndrome du vinaigre", "acetate", "conservation"),
    )
    if not created:
        return question
    best = services.answer_question(actor=sebastien, question=question, body=SEBASTIEN_ANSWER)
    scan = services.answer_question(actor=members["hugo"], question=question, body=HUGO_ANSWER)
    cabin = services.answer_question(
        actor=members["mathieu"], question=question, body=MATHIEU_ANSWER
    )
    for voter in ("hugo", "mathieu", "camille", "lucie", "ines", "bernard"):
        services.vote_answer(actor=members[voter], answer=best, value=1)
    for voter in ("sebastien", "camille", "juliette"):
        services.vote_answer(actor=members[voter], answer=scan, value=1)
    services.vote_answer(actor=members["camille"], answer=cabin, value=1)
    for voter in ("sebastien", "hugo", "camille", "amandine"):
        services.vote_question(actor=members[voter], question=question, value=1)
    services.comment_answer(
        actor=juliette,
        answer=best,
        body="Merci ! On a trouvé des tamis moléculaires chez un fournisseur d'archives.",
    )
    services.comment_question(
        actor=members["camille"],
        question=question,
        body="Le même carton contient trois autres bobines, je les vérifie ce week-end.",
    )
    services.accept_answer(actor=juliette, answer=best)
    return question


def _duplicate(members: dict[str, User], original: Question) -> None:
    forum = _network(FORUM)
    lucie, sebastien = members["lucie"], members["sebastien"]
    if forum is None or not (_is_member(lucie, forum) and _is_member(members["ines"], forum)):
        return
    question, created = _ask(
        lucie, DUPLICATE, DUPLICATE_BODY, "formats-et-restauration", ("16mm",), forum
    )
    if not created:
        return
    services.answer_question(actor=members["ines"], question=question, body=INES_ANSWER)
    services.close_as_duplicate(actor=sebastien, question=question, original=original)


def _club(members: dict[str, User]) -> None:
    club = _network(CLUB)
    if club is None or not _is_member(members["mathieu"], club):
        return
    question, created = _ask(
        members["juliette"],
        CLUB_QUESTION,
        CLUB_BODY,
        "organiser-une-projection",
        ("16mm", "plein air"),
        club,
    )
    if created:
        services.answer_question(
            actor=members["mathieu"],
            question=question,
            body="Moi ! Et Camille a fait la formation au printemps, elle peut venir aussi.",
        )


def _others(members: dict[str, User]) -> None:
    rights, created = _ask(
        members["paul"],
        RIGHTS,
        RIGHTS_BODY,
        "droits-et-legalite",
        ("droits", "mediatheque"),
    )
    if created:
        answer = services.answer_question(
            actor=members["sebastien"], question=rights, body=RIGHTS_ANSWER
        )
        services.vote_answer(actor=members["paul"], answer=answer, value=1)
        services.accept_answer(actor=members["paul"], answer=answer)
    _ask(members["amandine"], UNANSWERED, UNANSWERED_BODY, "realisation", ("son", "micro"))


def seed(members: dict[str, User]) -> None:
    """Load the demo's questions through the services (idempotent)."""
    original = _vinegar(members)
    _duplicate(members, original)
    _club(members)
    _others(members)
