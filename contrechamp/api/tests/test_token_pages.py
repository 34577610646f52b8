from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.models import User
from contrechamp.api import services
from contrechamp.api.models import ApiToken


@pytest.fixture
def signed_in(client: Client, member: User) -> Client:
    client.force_login(member)
    return client


def test_the_page_asks_a_visitor_to_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("api_tokens:list"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_member_without_tokens_is_told_so(signed_in: Client) -> None:
    response = signed_in.get(reverse("api_tokens:list"))

    assert response.status_code == 200
    assert b"You have no token yet" in response.content
    assert b'name="name"' in response.content


def test_a_new_token_is_shown_once_on_the_answer_to_the_form(
    signed_in: Client, member: User
) -> None:
    response = signed_in.post(
        reverse("api_tokens:list"), {"name": "Phone app", "scope": "write", "expires_in": "90"}
    )

    token = ApiToken.objects.get(owner=member)
    page = response.content.decode()
    secret = page.split('id="new-token"')[1].split('value="')[1].split('"')[0]
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert token.secret_hash == services.hash_secret(secret)
    assert token.scope == ApiToken.Scope.WRITE
    assert token.expires_at is not None

    again = signed_in.get(reverse("api_tokens:list"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    assert "Phone app" in again.content.decode()


def test_a_refused_token_keeps_what_was_typed(signed_in: Client, member: User) -> None:
    services.create_token(actor=member, name="Phone app", scope=ApiToken.Scope.READ)

    response = signed_in.post(
        reverse("api_tokens:list"), {"name": "Phone app", "scope": "read", "expires_in": "30"}
    )

    assert response.status_code == 200
    assert b"You already have a token called" in response.content
    assert b'value="Phone app"' in response.content
    assert b'id="new-token"' not in response.content
    assert ApiToken.objects.count() == 1


def test_bad_choices_are_shown_beside_the_form(signed_in: Client) -> None:
    response = signed_in.post(
        reverse("api_tokens:list"), {"name": "Phone", "scope": "root", "expires_in": "9999"}
    )

    assert response.status_code == 200
    assert b"field__errors" in response.content
    assert not ApiToken.objects.exists()


def test_a_token_without_expiry_can_be_made(signed_in: Client, member: User) -> None:
    signed_in.post(
        reverse("api_tokens:list"), {"name": "Server", "scope": "read", "expires_in": "never"}
    )

    assert ApiToken.objects.get(owner=member).expires_at is None


def test_the_owner_revokes_a_token(signed_in: Client, member: User) -> None:
    token = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ).token

    response = signed_in.post(reverse("api_tokens:revoke", args=[token.pk]), follow=True)

    token.refresh_from_db()
    assert token.is_revoked
    assert "is revoked" in response.content.decode()
    assert "Revoked or expired" in response.content.decode()


def test_nobody_revokes_another_members_token(signed_in: Client, other_member: User) -> None:
    token = services.create_token(actor=other_member, name="Nora", scope=ApiToken.Scope.READ).token

    response = signed_in.post(reverse("api_tokens:revoke", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404
    assert not token.is_revoked


def test_revoking_takes_a_post(signed_in: Client, member: User) -> None:
    token = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ).token

    response = signed_in.get(reverse("api_tokens:revoke", args=[token.pk]))

    assert response.status_code == 405


def test_the_page_reads_a_constant_number_of_queries(
    signed_in: Client, member: User, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        services.create_token(actor=member, name=f"Token {number}", scope=ApiToken.Scope.READ)
    with django_assert_max_num_queries(20) as few:
        signed_in.get(reverse("api_tokens:list"))
    for number in range(3, 12):
        issued = services.create_token(
            actor=member, name=f"Token {number}", scope=ApiToken.Scope.READ
        )
        if number % 2:
            services.revoke_token(actor=member, token=issued.token)

    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("api_tokens:list"))
