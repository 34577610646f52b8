"""Load the demo: members with profiles and skills, ciné-clubs in several cities, roles.

Idempotent: members and networks that already exist are left as they are; missing ones
are created with their memberships and roles.
Everything but the creation of the accounts themselves goes through the apps' services, so
the demo obeys the same rules as real members.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from contrechamp.accounts import services as accounts
from contrechamp.accounts.models import Skill, User
from contrechamp.core import places
from contrechamp.demo.people import MEMBERS, NETWORKS, PASSWORD, RATINGS
from contrechamp.events.models import Event, RightsHolder, Rsvp, Shift
from contrechamp.events.services import attendance, rights
from contrechamp.events.services import events as events_services
from contrechamp.events.services.events import EventDetails
from contrechamp.feedback import demo as feedback_demo
from contrechamp.films import discovery
from contrechamp.films import services as films_services
from contrechamp.films.models import Availability, Film, Rating, Recommendation
from contrechamp.guides import demo as guides_demo
from contrechamp.lending import services as lending
from contrechamp.lending.models import Item
from contrechamp.live import demo as live_demo
from contrechamp.networks import services as networks
from contrechamp.networks.models import Membership, Network
from contrechamp.projects import demo as projects_demo
from contrechamp.questions import demo as questions_demo
from contrechamp.stories import demo as stories_demo
from contrechamp.venues.models import Venue
from contrechamp.wanted import demo as wanted_demo

PARIS = ZoneInfo("Europe/Paris")


def first_thursday_after(day: date) -> date:
    """The first Thursday of the month after `day`'s month."""
    first = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first + timedelta(days=(3 - first.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--not-a-production-site",
            action="store_true",
            help="load the demo with DEBUG off (browser tests); never on a real site",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's accounts, the administrator included, share a published password.
        if not settings.DEBUG and not options["not_a_production_site"]:
            raise CommandError(
                "The demo has an administrator with a published password: it only loads "
                "with CONTRECHAMP_DEBUG=1 (make run does it)."
            )
        admin = self._account("admin", "Admin", superuser=True)
        members = {person.username: self._member(person) for person in MEMBERS}
        created = sum(self._network(spec, members) for spec in NETWORKS)
        self._lending(members)
        self._films(members)
        self._events(members)
        # Each pillar's own demo, through its services; each is idempotent.
        for demo in (
            questions_demo,
            guides_demo,
            wanted_demo,
            stories_demo,
            projects_demo,
            feedback_demo,
            live_demo,
        ):
            demo.seed(members)
        self.stdout.write(
            f"Demo ready: {len(members)} members, {Network.objects.count()} networks "
            f"({created} added now)."
        )
        self.stdout.write(f"Demo logins, all with the password “{PASSWORD}”:")
        self.stdout.write(f"  {admin.username}: site administrator (/admin/)")
        self.stdout.write("  members: " + ", ".join(members))

    def _account(self, username: str, display_name: str, *, superuser: bool = False) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=f"{username}@demo.contrechamp.example",
                display_name=display_name,
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.set_password(PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            accounts.accept_code_of_conduct(actor=user, member=user)
        return user

    def _member(self, person: Any) -> User:
        user = self._account(person.username, person.display_name)
        if not user.city_name:
            user = accounts.update_profile(
                actor=user,
                member=user,
                city=person.city,
                languages=list(person.languages),
                bio=person.bio,
                skills=Skill.objects.filter(slug__in=person.skills),
                favourite_films=person.favourite_films,
                favourite_genres=person.favourite_genres,
                offers_mentoring=person.offers_mentoring,
                seeks_mentoring=person.seeks_mentoring,
            )
        return user

    def _network(self, spec: Any, members: dict[str, User]) -> bool:
        """Create one network with its members and roles; False when it already existed."""
        if Network.objects.filter(name_normalised=places.normalise(spec.name)).exists():
            return False
        admin = members[spec.admin]
        network = networks.create_network(
            actor=admin,
            name=spec.name,
            kind=spec.kind,
            join_policy=spec.join_policy,
            place=places.find_city(spec.city) if spec.city else None,
            is_online=not spec.city,
            description=spec.description,
            website=spec.website,
            charter=spec.charter,
        )
        for username in spec.members:
            self._add_member(network, admin, members[username])
        for role, usernames in (("organiser", spec.organisers), ("moderator", spec.moderators)):
            for username in usernames:
                if username != spec.admin:  # the creator is already admin and organiser
                    networks.assign_role(
                        actor=admin, network=network, member=members[username], role=role
                    )
                elif role != "organiser":
                    networks.assign_role(actor=admin, network=network, member=admin, role=role)
        for previous, successor, role, notes in spec.handovers:
            networks.assign_role(actor=admin, network=network, member=members[previous], role=role)
            networks.hand_over_role(
                actor=admin,
                network=network,
                role=role,
                from_member=members[previous],
                to_member=members[successor],
                notes=notes,
            )
        return True

    def _films(self, members: dict[str, User]) -> None:
        """Ratings, a recommendation to the rare-films forum and where to see it legally.
        Needs the shipped catalogue (`load_catalogue`); without it there is nothing to rate."""
        if Rating.objects.filter(user__in=members.values()).exists():
            return
        films = {(film.title, film.year): film for film in Film.objects.filter(
            title__in={title for ratings in RATINGS.values() for title, _year, _stars in ratings}
        )}  # fmt: skip
        if not films:
            self.stdout.write("No catalogue loaded: run `manage.py load_catalogue` for films.")
            return
        for username, ratings in RATINGS.items():
            for title, year, stars in ratings:
                if (title, year) in films:
                    films_services.rate_film(
                        actor=members[username], film=films[(title, year)], stars=stars
                    )
        enfants = films.get(("Les Enfants du paradis", 1945))
        if enfants is None:
            return
        forum = Network.objects.get(name_normalised=places.normalise("Forum des films rares"))
        films_services.recommend_film(
            actor=members["sebastien"],
            film=enfants,
            why="Arletty, Jean-Louis Barrault et le boulevard du Crime : trois heures qui "
            "passent comme un songe. La copie restaurée est superbe.",
            tags=[Recommendation.Tag.HIDDEN_GEM, Recommendation.Tag.CINE_CLUB],
            audience=Recommendation.Audience.NETWORK,
            network=forum,
        )
        films_services.add_availability(
            actor=members["sebastien"],
            film=enfants,
            kind=Availability.Kind.MEDIATHEQUE,
            place="Bibliothèque municipale de Grenoble, DVD en prêt",
            territory="FR",
            audio_languages=["fr"],
            subtitle_languages=["en"],
        )
        discovery.recompute_neighbours()  # so that /discover/ has suggestions at once

    def _lending(self, members: dict[str, User]) -> None:
        """Juliette's Blu-ray out on loan with someone waiting, a poster to swap, and the
        Grenoble student club's equipment bank with a camera kit."""
        juliette, nora, sebastien, mathieu = (
            members[name] for name in ("juliette", "nora", "sebastien", "mathieu")
        )
        if Item.objects.filter(owner_user=juliette).exists():
            return
        grenoble = places.find_city("Grenoble")
        if grenoble is None:  # the gazetteer ships Grenoble; this only guards a broken install
            raise CommandError("The offline gazetteer does not know Grenoble.")
        blu_ray = lending.create_item(
            actor=juliette,
            details=lending.ItemDetails(
                kind=Item.Kind.BLU_RAY,
                title="Jeanne Dielman, 23 quai du Commerce, 1080 Bruxelles (1975)",
                film=Film.objects.filter(title__startswith="Jeanne Dielman", year=1975).first(),
                description="Édition restaurée, sous-titres français. Boîtier un peu rayé.",
                place=grenoble,
            ),
        )
        lending.create_item(
            actor=juliette,
            details=lending.ItemDetails(
                kind=Item.Kind.POSTER,
                title="Affiche originale de Cléo de 5 à 7 (1962)",
                film=Film.objects.filter(title="Cléo de 5 à 7", year=1962).first(),
                description="Format 40 x 60 cm, pliée. Je l'échange contre une affiche de la "
                "Nouvelle Vague.",
                place=grenoble,
                offers_loan=False,
                offers_swap=True,
            ),
        )
        loan = lending.request_loan(actor=nora, item=blu_ray, message="Pour notre ciné-débat !")
        loan = lending.accept_loan(actor=juliette, loan=loan, pickup_note="Au campus, jeudi.")
        lending.hand_over(
            actor=juliette, loan=loan, due_on=timezone.localdate() + timedelta(days=12)
        )
        lending.request_loan(actor=sebastien, item=blu_ray, message="Après Nora, si possible.")

        club = Network.objects.get(name_normalised=places.normalise(NETWORKS[0].name))
        lending.add_equipment_manager(actor=juliette, network=club, member=mathieu)
        parts = [
            lending.create_item(
                actor=mathieu,
                owner_network=club,
                details=lending.ItemDetails(kind=kind, title=title, place=grenoble),
            )
            for kind, title in (
                (Item.Kind.CAMERA, "Boîtier Panasonic GH5"),
                (Item.Kind.LENS, "Objectif 12-35 mm f/2.8"),
                (Item.Kind.LENS, "Objectif 25 mm f/1.7"),
                (Item.Kind.OTHER, "Trois batteries et leur chargeur"),
            )
        ]
        lending.create_item(
            actor=mathieu,
            owner_network=club,
            parts=parts,
            details=lending.ItemDetails(
                kind=Item.Kind.KIT,
                title="Kit caméra GH5 (boîtier, deux objectifs, batteries)",
                description="Le kit de tournage des clubs grenoblois. À rendre chargé.",
                place=grenoble,
                deposit=Decimal(200),
            ),
        )

    def _add_member(self, network: Network, admin: User, user: User) -> None:
        if network.join_policy == Network.JoinPolicy.INVITATION:
            networks.invite_member(actor=admin, network=network, invitee=user)
            networks.accept_invitation(actor=user, network=network, accept_charter=True)
            return
        membership = networks.join_network(actor=user, network=network, accept_charter=True)
        if membership.status == Membership.Status.PENDING:
            networks.approve_request(actor=admin, membership=membership)

    def _events(self, members: dict[str, User]) -> None:
        """The Grenoble student club's monthly ciné-club night (a series whose first date
        shows *Le Voyage dans la Lune*, in the public domain, and whose second shows *Cléo
        de 5 à 7* with granted rights), its volunteer shifts and RSVPs; a summer open-air
        festival whose programme still misses its rights; an all-night Kubrick marathon in
        draft. Needs the venues and rights holders (`load_venues`, `load_rights_holders`)."""
        juliette = members["juliette"]
        club = Network.objects.get(name_normalised=places.normalise(NETWORKS[0].name))
        if Event.objects.filter(network=club).exists():
            return
        cinema = Venue.objects.filter(name="Cinéma Le Club", city_name="Grenoble").first()
        melies = Venue.objects.filter(name="Le Méliès", city_name="Grenoble").first()
        films = {
            (film.title, film.year): film
            for film in Film.objects.filter(
                title__in=[
                    "Le Voyage dans la Lune",
                    "Cléo de 5 à 7",
                    "Barry Lyndon",
                    "Les Sentiers de la gloire",
                    "2001 : l'Odyssée de l'espace",
                ]
            )
        }
        if cinema is None or melies is None or len(films) < 5:
            self.stdout.write("No events in the demo: run `load_catalogue` and `load_venues`.")
            return
        today = timezone.localdate()
        first_night = first_thursday_after(today)
        night = events_services.create_event(
            actor=juliette,
            network=club,
            details=EventDetails(
                kind=Event.Kind.CINE_DEBATE,
                title="Ciné-club du jeudi",
                description="Une séance par mois, suivie d'un débat autour d'un verre. "
                "Entrée libre pour les adhérents, participation libre pour les autres.",
                venue=cinema,
                starts_at=at(first_night, 20, 30),
                ends_at=at(first_night, 23, 0),
                accessibility_notes="Salle de plain-pied, boucle magnétique sur demande.",
                capacity=80,
            ),
            films=[films[("Le Voyage dans la Lune", 1902)]],
            recurrence="FREQ=MONTHLY;BYDAY=1TH;COUNT=6",
        )
        dates = list(Event.objects.filter(series=night.series).order_by("starts_at"))
        second = dates[1]
        for occurrence in dates:
            if occurrence != second:
                rights.record_rights(
                    actor=juliette,
                    screening=occurrence.screenings.get(),
                    holder=None,
                    status="public_domain",
                    notes="Méliès, 1902 : dans le domaine public.",
                )
        events_services.set_films(
            actor=juliette, event=second, films=[films[("Cléo de 5 à 7", 1962)]]
        )
        tamaris = RightsHolder.objects.filter(name="Ciné Tamaris").first()
        rights.record_rights(
            actor=juliette,
            screening=second.screenings.get(),
            holder=tamaris,
            status="granted" if tamaris else "requested",
            licence_reference="CT-2026-118" if tamaris else "",
            fee=Decimal("120.00") if tamaris else None,
            requested_on=today - timedelta(days=10),
            answered_on=today - timedelta(days=3) if tamaris else None,
        )
        events_services.publish_event(
            actor=juliette, event=night, scope="series", acknowledge_missing_rights=True
        )
        for role, slots, start, end in (
            (Shift.Role.WELCOME, 2, (20, 0), (21, 0)),
            (Shift.Role.PROJECTION, 1, (20, 0), (23, 0)),
            (Shift.Role.BAR, 2, (22, 0), (23, 30)),
            (Shift.Role.TIDYING, 2, (23, 0), (23, 45)),
        ):
            attendance.add_shift(
                actor=juliette,
                event=night,
                role=role,
                label="",
                starts_at=at(first_night, *start),
                ends_at=at(first_night, *end),
                slots=slots,
            )
        shifts = {shift.role: shift for shift in night.shifts.all()}
        attendance.sign_up(actor=members["mathieu"], shift=shifts[Shift.Role.PROJECTION])
        attendance.sign_up(actor=members["camille"], shift=shifts[Shift.Role.WELCOME])
        for username in ("nora", "mathieu", "camille", "paul", "amandine", "sebastien"):
            attendance.rsvp(actor=members[username], event=night, status=Rsvp.Status.GOING)
        attendance.rsvp(actor=members["lucie"], event=night, status=Rsvp.Status.MAYBE)

        summer = date(today.year + 1, 7, 1)
        festival = events_services.create_event(
            actor=juliette,
            network=club,
            details=EventDetails(
                kind=Event.Kind.FESTIVAL,
                title="Cinéma sous les étoiles",
                description="Trois soirs de projections en plein air, transats fournis.",
                venue=melies,
                starts_at=at(summer, 21, 0),
                ends_at=at(summer + timedelta(days=2), 23, 59),
            ),
        )
        programme = [
            ("Le Voyage dans la Lune", 1902),
            ("Les Sentiers de la gloire", 1957),
            ("2001 : l'Odyssée de l'espace", 1968),
        ]
        for offset, key in enumerate(programme):
            day = summer + timedelta(days=offset)
            events_services.create_event(
                actor=juliette,
                network=club,
                festival=festival,
                details=EventDetails(
                    kind=Event.Kind.OPEN_AIR_SCREENING,
                    title=f"Sous les étoiles : {key[0]}",
                    venue=melies,
                    starts_at=at(day, 21, 45),
                    ends_at=at(day, 23, 59),
                    capacity=300,
                ),
                films=[films[key]],
            )
        events_services.publish_event(actor=juliette, event=festival)

        marathon_night = first_night + timedelta(days=16)
        events_services.create_event(
            actor=juliette,
            network=club,
            details=EventDetails(
                kind=Event.Kind.MARATHON,
                title="Nuit Kubrick",
                description="Trois films, des croissants au petit matin.",
                venue=cinema,
                starts_at=at(marathon_night, 20, 0),
                ends_at=at(marathon_night + timedelta(days=1), 7, 0),
                capacity=60,
            ),
            films=[
                films[("Les Sentiers de la gloire", 1957)],
                films[("Barry Lyndon", 1975)],
                films[("2001 : l'Odyssée de l'espace", 1968)],
            ],
        )
