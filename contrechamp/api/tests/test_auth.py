from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from contrechamp.accounts import services as account_services
from contrechamp.accounts.models import User
from contrechamp.api import services
from contrechamp.api.models import ApiToken
from contrechamp.api.tests.conftest import ApiClient
from contrechamp.films.models import Film


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_public_lists_need_no_token(api: ApiClient, db: None) -> None:
    assert api.get("/api/networks").status_code == 200


def test_a_members_list_needs_credentials(api: ApiClient, db: None) -> None:
    response = api.get("/api/me/events")

    assert response.status_code == 401
    assert _error(response)["code"] == "unauthenticated"
    assert "Authorization: Bearer" in str(_error(response)["message"])


def test_a_token_says_who_is_calling(api: ApiClient, member: User, read_token: str) -> None:
    response = api.get("/api/me", token=read_token)

    assert response.status_code == 200
    assert response.json()["username"] == "juliette"
    assert response.json()["token"]["name"] == "Reader"
    assert response.json()["token"]["scope"] == "read"


def test_an_unknown_token_is_refused_even_where_anonymous_calls_are_welcome(
    api: ApiClient, db: None
) -> None:
    response = api.get("/api/networks", token="cct_made-up")

    assert response.status_code == 401
    assert _error(response) == {
        "code": "unauthenticated",
        "message": "This token is not valid.",
        "fields": {},
    }


def test_another_authorization_scheme_is_refused(api: ApiClient, db: None) -> None:
    for header in ("Basic anVsaWV0dGU6bW90ZGVwYXNzZQ==", "Bearer", "Token abc", "bearer  "):
        response = api.get("/api/networks", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert _error(response)["code"] == "unauthenticated"


def test_the_scheme_is_read_whatever_its_case(api: ApiClient, read_token: str) -> None:
    response = api.get("/api/me", headers={"Authorization": f"bearer {read_token}"})

    assert response.status_code == 200


def test_a_revoked_token_is_refused(api: ApiClient, member: User) -> None:
    issued = services.create_token(actor=member, name="Old", scope=ApiToken.Scope.READ)
    services.revoke_token(actor=member, token=issued.token)

    response = api.get("/api/me", token=issued.secret)

    assert response.status_code == 401
    assert _error(response)["message"] == "This token was revoked."


def test_an_expired_token_is_refused(api: ApiClient, member: User) -> None:
    issued = services.create_token(
        actor=member,
        name="Short",
        scope=ApiToken.Scope.READ,
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert api.get("/api/me", token=issued.secret).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = api.get("/api/me", token=issued.secret)

    assert response.status_code == 401
    assert _error(response)["message"] == "This token has expired."


def test_the_token_of_a_closed_account_is_refused(
    api: ApiClient, member: User, read_token: str
) -> None:
    member.is_active = False
    member.save()

    response = api.get("/api/me", token=read_token)

    assert response.status_code == 401
    assert _error(response)["message"] == "The account of this token is closed."


def test_a_deleted_account_leaves_no_working_token(
    api: ApiClient, member: User, read_token: str
) -> None:
    account_services.delete_account(actor=member, member=member)

    assert api.get("/api/me", token=read_token).status_code == 401


def test_a_read_only_token_cannot_write(api: ApiClient, read_token: str, film: Film) -> None:
    response = api.put(f"/api/films/{film.pk}/rating", {"stars": 4}, token=read_token)

    assert response.status_code == 403
    assert _error(response)["code"] == "insufficient_scope"
    assert "may only read" in str(_error(response)["message"])
    assert not film.ratings.exists()


def test_a_write_token_also_reads(api: ApiClient, write_token: str) -> None:
    assert api.get("/api/me/events", token=write_token).status_code == 200


def test_a_token_records_when_it_was_used(api: ApiClient, member: User, read_token: str) -> None:
    api.get("/api/me", token=read_token)

    assert ApiToken.objects.get(name="Reader").last_used_at is not None


def test_a_signed_in_browser_reads_through_its_session(client: Client, member: User) -> None:
    client.force_login(member)

    response = client.get("/api/me")

    assert response.status_code == 200
    assert response.json() == {
        "username": "juliette",
        "name": "Juliette",
        "city": "",
        "token": None,
    }


def test_a_session_never_writes(client: Client, member: User, film: Film) -> None:
    client.force_login(member)

    response = client.put(
        f"/api/films/{film.pk}/rating", {"stars": 4}, content_type="application/json"
    )

    assert response.status_code == 401
    assert not film.ratings.exists()
