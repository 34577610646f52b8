"""Helpers shared by the accounts tests."""

from django.test import Client

from contrechamp.accounts.models import User

PASSWORD = "motdepasse-1"


def sign_in(client: Client, user: User, password: str = PASSWORD) -> None:
    """Sign in through allauth's page, so that allauth records the authentication time."""
    response = client.post("/accounts/login/", {"login": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def confirm_password(client: Client, password: str = PASSWORD) -> None:
    """allauth asks for the password again before two-factor changes."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
