from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`: it sits above every other app and goes through their services."""

    name = "contrechamp.demo"
    label = "demo"
