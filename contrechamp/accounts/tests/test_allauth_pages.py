"""allauth's pages render inside the site's design, with nothing the CSP would block."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.helpers import confirm_password, sign_in


def assert_in_the_design(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200, html[:500]
    assert 'class="site-header"' in html
    assert 'href="/static/css/contrechamp.css"' in html or "contrechamp.css" in html
    assert html.count("<h1") == 1
    assert " style=" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag or "nonce=" in tag, tag
    return html


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_use_the_design(client: Client, db: None, url_name: str) -> None:
    assert_in_the_design(client.get(reverse(url_name)))


def test_the_sign_in_form_keeps_visible_labels(client: Client, db: None) -> None:
    html = assert_in_the_design(client.get(reverse("account_login")))
    assert '<label for="id_login"' in html
    assert '<label for="id_password"' in html
    assert 'class="form form--entrance"' in html


def test_the_sign_up_page_asks_to_accept_the_code_of_conduct(client: Client, db: None) -> None:
    html = assert_in_the_design(client.get(reverse("account_signup")))
    assert 'name="accept_code_of_conduct"' in html
    assert reverse("accounts:code_of_conduct") in html


def test_an_invalid_confirmation_link_explains_itself(client: Client, db: None) -> None:
    html = assert_in_the_design(client.get(reverse("account_confirm_email", args=["nope"])))
    assert reverse("account_email") in html


def test_the_password_reset_link_leads_to_a_designed_form(
    client: Client, member: User, mailoutbox: list
) -> None:
    client.post(reverse("account_reset_password"), {"email": member.email})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mailoutbox[0].body)
    assert link is not None
    response = client.get(urlsplit(link.group(0)).path, follow=True)
    html = assert_in_the_design(response)
    assert 'name="password1"' in html


@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "mfa_index", "account_reauthenticate"],
)
def test_account_pages_use_the_design(client: Client, member: User, url_name: str) -> None:
    sign_in(client, member)
    html = assert_in_the_design(client.get(reverse(url_name)))
    if url_name != "account_reauthenticate":
        assert 'class="account-nav"' in html


def test_the_email_page_groups_addresses_in_a_fieldset(client: Client, member: User) -> None:
    sign_in(client, member)
    html = assert_in_the_design(client.get(reverse("account_email")))
    assert "<fieldset" in html and "<legend>" in html
    assert member.email in html


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_two_factor_activation_shows_a_qr_code_then_recovery_codes(
    client: Client, member: User
) -> None:
    sign_in(client, member)
    confirm_password(client)
    response = client.get(reverse("mfa_activate_totp"))
    html = assert_in_the_design(response)
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+"\s+class="qr-code"', html)
    secret = response.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    html = assert_in_the_design(client.get(reverse("mfa_view_recovery_codes")))
    assert 'id="recovery_codes"' in html
    assert_in_the_design(client.get(reverse("mfa_index")))
    assert_in_the_design(client.get(reverse("mfa_generate_recovery_codes")))
    assert_in_the_design(client.get(reverse("mfa_deactivate_totp")))


def test_signing_in_with_two_factor_asks_for_the_code_on_a_designed_page(
    client: Client, member: User
) -> None:
    sign_in(client, member)
    confirm_password(client)
    response = client.get(reverse("mfa_activate_totp"))
    secret = response.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    client.post(reverse("account_logout"))

    response = client.post(
        reverse("account_login"), {"login": member.username, "password": "motdepasse-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert_in_the_design(client.get(reverse("mfa_authenticate")))
