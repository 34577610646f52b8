from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "contrechamp.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from contrechamp.accounts import registry as member_data
        from contrechamp.core import periodic
        from contrechamp.search import registry, services

        # Every app's `search_documents.register_search()`: the kinds of the search.
        registry.discover()
        periodic.register(
            periodic.Job(
                name="search.purge_expired",
                every=timedelta(hours=24),
                run=services.purge_expired_documents,
            )
        )
        # Registered after the apps whose things a member owns: when an account is
        # deleted, their anonymisation has run when this one reindexes what was theirs.
        member_data.register(
            member_data.MemberDataContributor(
                name="search",
                export=services.export_member_documents,
                anonymise=services.reindex_owned_on_commit,
            )
        )
