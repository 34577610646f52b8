from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "contrechamp.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.api import member_data

        registry.register(
            registry.MemberDataContributor(
                name="api_tokens",
                export=member_data.export_member_tokens,
                anonymise=member_data.delete_member_tokens,
            )
        )
