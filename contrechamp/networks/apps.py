from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "contrechamp.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.networks import member_data

        registry.register(
            registry.MemberDataContributor(
                name="networks",
                export=member_data.export_member_networks,
                check_deletion=member_data.ensure_not_last_admin,
                anonymise=member_data.leave_all_networks,
            )
        )
        registry.register_circle(member_data.share_a_network)
