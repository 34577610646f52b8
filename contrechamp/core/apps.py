from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "contrechamp.core"
    label = "core"
