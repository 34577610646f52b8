"""Load the demo: members with profiles and skills, ciné-clubs in several cities, roles.

Idempotent: members and networks that already exist are left as they are; missing ones
are created with their memberships and roles.
Everything but the creation of the accounts themselves goes through the apps' services, so
the demo obeys the same rules as real members.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from contrechamp.accounts import services as accounts
from contrechamp.accounts.models import Skill, User
from contrechamp.core import places
from contrechamp.demo.people import MEMBERS, NETWORKS, PASSWORD, RATINGS
from contrechamp.films import discovery
from contrechamp.films import services as films_services
from contrechamp.films.models import Availability, Film, Rating, Recommendation
from contrechamp.lending import services as lending
from contrechamp.lending.models import Item
from contrechamp.networks import services as networks
from contrechamp.networks.models import Membership, Network


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
