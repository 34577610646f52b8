"""Who lives in the demo: the three witnesses of the article and the people around them."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoMember:
    username: str
    display_name: str
    city: str
    skills: tuple[str, ...]
    bio: str
    languages: tuple[str, ...] = ("fr",)
    favourite_films: str = ""
    favourite_genres: str = ""
    offers_mentoring: bool = False
    seeks_mentoring: bool = False


@dataclass(frozen=True)
class DemoNetwork:
    name: str
    kind: str
    join_policy: str
    city: str  # empty for an online community
    description: str
    admin: str
    members: tuple[str, ...]
    organisers: tuple[str, ...] = ()
    moderators: tuple[str, ...] = ()
    website: str = ""
    charter: str = ""
    # (previous holder, successor, role, notes): a role handed over in the past.
    handovers: tuple[tuple[str, str, str, str], ...] = field(default=())


PASSWORD = "contrechamp-demo"  # noqa: S105 - the documented demo password

MEMBERS = (
    DemoMember(
        "juliette", "Juliette", "Grenoble",
        ("cine-club-programming", "projection", "event-logistics"),
        "24 ans, je fais tourner le ciné-club étudiant de Grenoble. On mutualise fiches "
        "techniques, décors et caméras avec les autres clubs.",
        ("fr", "en"), "*La Jetée* (1962), *Cléo de 5 à 7* (1962)",
        "Nouvelle Vague, courts métrages",
    ),
    DemoMember(
        "sebastien", "Sébastien", "Lyon",
        ("film-criticism", "film-restoration", "subtitling-translation"),
        "Modérateur d'un forum de films rares. Je vous oriente vers les médiathèques, les "
        "collectionneurs et les copies étrangères sous-titrées, et je veille au droit d'auteur.",
        ("fr", "en", "it"), "*Les Enfants du paradis* (1945)", "cinéma muet, films oubliés",
        offers_mentoring=True,
    ),
    DemoMember(
        "nora", "Nora", "Marseille",
        ("directing", "scriptwriting"),
        "Réalisatrice amateure à Marseille. J'ai trouvé mon chef op' et mes comédiens "
        "bénévoles grâce aux groupes locaux ; je cherche des retours francs mais bienveillants.",
        ("fr", "ar"), "*Sans toit ni loi* (1985)", "drame, documentaire", seeks_mentoring=True,
    ),
    DemoMember(
        "mathieu", "Mathieu", "Grenoble", ("projection", "cinematography"),
        "Projectionniste bénévole, je sais faire tourner un 16 mm.",
    ),
    DemoMember(
        "camille", "Camille", "Grenoble", ("sound-recording", "sound-editing-mixing"),
        "Ingé son, je prête volontiers mes micros.",
    ),
    DemoMember(
        "paul", "Paul", "Voiron", ("acting", "extras"), "Comédien amateur, dispo les week-ends.",
    ),
    DemoMember(
        "yasmine", "Yasmine", "Marseille", ("cinematography", "lighting", "colour-grading"),
        "Cheffe opératrice, je tourne surtout des courts associatifs.", ("fr", "es"),
    ),
    DemoMember(
        "theo", "Théo", "Aix-en-Provence", ("acting",), "Théâtre et courts métrages.",
    ),
    DemoMember(
        "lucie", "Lucie", "Lyon", ("film-criticism", "cine-club-programming"),
        "J'anime le ciné-club de la Croix-Rousse et j'écris sur le cinéma.",
    ),
    DemoMember(
        "hugo", "Hugo", "Paris", ("film-restoration", "projection"),
        "Restauration de bobines et numérisation.", offers_mentoring=True,
    ),
    DemoMember(
        "ines", "Inès", "Paris", ("subtitling-translation", "graphic-design-posters"),
        "Sous-titrage bénévole et affiches de séances.", ("fr", "en", "pt"),
    ),
    DemoMember(
        "bernard", "Bernard", "Lille", ("projection", "cine-club-programming"),
        "Quarante ans de cabine de projection 35 mm. J'aime transmettre.", offers_mentoring=True,
    ),
    DemoMember(
        "elodie", "Élodie", "Lille", ("event-logistics", "production"),
        "Logistique de festival : bénévoles, plannings, buvette.",
    ),
    DemoMember(
        "gwen", "Gwenaëlle", "Rennes", ("film-education",),
        "Médiatrice : ateliers d'analyse de films avec les lycéens.", ("fr", "br"),
    ),
    DemoMember(
        "karim", "Karim", "Rennes", ("editing", "colour-grading"),
        "Monteur, je relis vos premiers montages.", seeks_mentoring=False,
    ),
    DemoMember(
        "amandine", "Amandine", "Grenoble", ("scriptwriting",),
        "J'écris mon premier court et je découvre les ciné-clubs.", seeks_mentoring=True,
    ),
)  # fmt: skip

CHARTER = (
    "## Notre charte de bienveillance\n\n"
    "- On se parle avec respect, même quand on n'est pas d'accord sur un film.\n"
    "- Les retours sur les projets sont francs mais bienveillants.\n"
    "- On ne partage que des copies légales ; pour une projection publique, on demande les "
    "droits.\n"
    "- On rend ce qu'on emprunte, à l'heure et en bon état.\n"
    "- On partage les tâches : personne ne doit tout porter seul."
)

NETWORKS = (
    DemoNetwork(
        "Ciné-club étudiant de Grenoble", "student_club", "request", "Grenoble",
        "Le ciné-club des étudiants grenoblois : une séance par semaine au campus, des "
        "ciné-débats, et un parc de matériel partagé avec les autres clubs de la région.",
        admin="juliette", members=("mathieu", "camille", "amandine", "nora"), charter=CHARTER,
        handovers=(("camille", "mathieu", "organiser",
                    "Contacts : la régie du campus (salle 12), le distributeur pour les "
                    "droits. Tâches récurrentes : programme mensuel, affiches, réservation du "
                    "projecteur. Le matériel est au local B, clé à l'accueil."),),
    ),
    DemoNetwork(
        "Cinéma Le Méliès", "independent_cinema", "open", "Grenoble",
        "Cinéma indépendant art et essai. Séances de patrimoine et avant-premières.",
        admin="mathieu", members=("juliette",),
    ),
    DemoNetwork(
        "Ciné-débats de la médiathèque de Voiron", "mediatheque", "open", "Voiron",
        "Un film, un débat, un jeudi par mois à la médiathèque.",
        admin="paul", members=("juliette", "amandine"),
    ),
    DemoNetwork(
        "Les Écrans de Chambéry", "cine_club", "open", "Chambéry",
        "Ciné-club associatif savoyard.", admin="camille", members=(),
    ),
    DemoNetwork(
        "Forum des films rares", "online_community", "invitation", "",
        "Où trouver une copie légale d'un film introuvable, avec des sous-titres ? Médiathèques, "
        "cinémathèques, éditions étrangères : on s'entraide, dans le respect du droit d'auteur.",
        admin="sebastien", members=("hugo", "ines", "lucie", "juliette"),
        moderators=("sebastien", "ines"),
        charter=CHARTER,
    ),
    DemoNetwork(
        "Collectif Tournages Marseille", "association", "request", "Marseille",
        "Réalisateurs, techniciens et comédiens amateurs qui s'entraident pour tourner des "
        "courts métrages à Marseille et alentour.",
        admin="yasmine", members=("nora", "theo"), organisers=("nora",), charter=CHARTER,
    ),
    DemoNetwork(
        "Ciné-club de la Croix-Rousse", "cine_club", "open", "Lyon",
        "Projections mensuelles et discussions sur les pentes de la Croix-Rousse.",
        admin="lucie", members=("sebastien",),
    ),
    DemoNetwork(
        "Cinémathèque associative du 11e", "association", "request", "Paris",
        "Une collection de bobines 16 mm, restaurées et projetées par des bénévoles.",
        admin="hugo", members=("ines",),
    ),
    DemoNetwork(
        "Festival du court métrage de Lille", "festival", "open", "Lille",
        "Un festival de courts métrages porté par des bénévoles chaque printemps.",
        admin="elodie", members=("bernard",), organisers=("elodie", "bernard"),
    ),
    DemoNetwork(
        "Ciné-club rennais", "cine_club", "open", "Rennes",
        "Séances commentées et ateliers d'analyse pour tous les âges.",
        admin="gwen", members=("karim",),
    ),
)  # fmt: skip


# Who rated what (film title, year, stars): enough shared taste for /discover/ to explain
# its suggestions, with a few famous films everyone has seen and some hidden gems.
RATINGS = {
    "juliette": (("Cléo de 5 à 7", 1962, 5), ("La Jetée", 1962, 5),
                 ("Le Voyage dans la Lune", 1902, 4), ("Les Enfants du paradis", 1945, 4)),
    "sebastien": (("Les Enfants du paradis", 1945, 5), ("La Jetée", 1962, 4.5),
                  ("Jeanne Dielman, 23 quai du Commerce, 1080 Bruxelles", 1975, 5),
                  ("Sans toit ni loi", 1985, 4.5), ("Cléo de 5 à 7", 1962, 4)),
    "nora": (("Sans toit ni loi", 1985, 5), ("Cléo de 5 à 7", 1962, 4.5),
             ("Jeanne Dielman, 23 quai du Commerce, 1080 Bruxelles", 1975, 4.5)),
    "lucie": (("La Jetée", 1962, 5), ("Cléo de 5 à 7", 1962, 5), ("Sans toit ni loi", 1985, 4),
              ("Jeanne Dielman, 23 quai du Commerce, 1080 Bruxelles", 1975, 4)),
    "hugo": (("Le Voyage dans la Lune", 1902, 5), ("Les Enfants du paradis", 1945, 4.5),
             ("La Jetée", 1962, 4), ("Sans toit ni loi", 1985, 4)),
    "mathieu": (("Le Voyage dans la Lune", 1902, 4.5), ("La Jetée", 1962, 4),
                ("Cléo de 5 à 7", 1962, 4.5)),
}  # fmt: skip
