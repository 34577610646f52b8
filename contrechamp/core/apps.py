from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "contrechamp.core"
    label = "core"

    def ready(self) -> None:
        from contrechamp.core import checks  # noqa: F401 - registers the system checks
