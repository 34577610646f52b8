from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilmsConfig(AppConfig):
    name = "contrechamp.films"
    label = "films"
    verbose_name = _("Films")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.core import periodic
        from contrechamp.films import discovery, member_data, queries, search, wanted_offers
        from contrechamp.notifications import kinds, newsletter

        search.register_lookups()
        newsletter.register_section(
            newsletter.Section(
                slug="films.recommendations",
                title=_("Films recommended to the network"),
                items=queries.newsletter_recommendations,
                position=20,
            )
        )
        periodic.register(
            periodic.Job(
                name="films.recompute_neighbours",
                every=timedelta(hours=24),
                run=discovery.recompute_neighbours,
            )
        )
        kinds.register(
            kinds.Kind(
                slug="films.availability_outdated",
                label=_("Someone reports that a place you added no longer shows a film"),
                default_delivery=kinds.Delivery.DIGEST,
            )
        )
        kinds.register(
            kinds.Kind(
                slug="films.recommended_to_you",
                label=_("A member recommends a film to you"),
                default_delivery=kinds.Delivery.IMMEDIATE,
            )
        )
        kinds.register(
            kinds.Kind(
                slug="films.reaction",
                label=_("Someone thanks you for a recommendation or watched the film"),
                default_delivery=kinds.Delivery.DIGEST,
            )
        )
        registry.register(
            registry.MemberDataContributor(
                name="films",
                export=member_data.export_member_films,
                anonymise=member_data.forget_member_films,
            )
        )
        wanted_offers.register()
