import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.test import Client, override_settings

from contrechamp.accounts import code_of_conduct
from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.accounts.tests.helpers import PASSWORD

STRONG_PASSWORD = "Une-bobine-de-35-mm"


def _signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "email": "nora@example.org",
        "username": "nora",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        "accept_code_of_conduct": "on",
    }
    data.update(overrides)
    return data


def test_signing_up_sends_a_link_that_confirms_and_signs_in(
    client: Client, db: None, mailoutbox: list
) -> None:
    response = client.post("/accounts/signup/", _signup_data())
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    user = User.objects.get(username="nora")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nora@example.org"]

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link is not None
    path = urlsplit(link.group(0)).path
    page = client.get(path)
    assert page.status_code == 200
    assert b"site-header" in page.content
    response = client.post(path)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified


def test_signing_up_records_the_code_of_conduct_accepted(client: Client, db: None) -> None:
    client.post("/accounts/signup/", _signup_data())
    user = User.objects.get(username="nora")
    assert user.code_of_conduct_version == code_of_conduct.CURRENT_VERSION
    assert user.code_of_conduct_accepted_at is not None


def test_signing_up_without_accepting_the_code_of_conduct_is_refused(
    client: Client, db: None, mailoutbox: list
) -> None:
    data = _signup_data()
    del data["accept_code_of_conduct"]
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["accept_code_of_conduct"]
    assert 'value="nora@example.org"' in response.content.decode()
    assert not User.objects.filter(username="nora").exists()
    assert mailoutbox == []


def test_the_deleted_account_name_space_is_reserved(client: Client, db: None) -> None:
    response = client.post("/accounts/signup/", _signup_data(username="Former-Member-12"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not User.objects.filter(email="nora@example.org").exists()


def test_an_over_long_username_is_a_form_error(client: Client, db: None) -> None:
    response = client.post("/accounts/signup/", _signup_data(username="n" * 500))
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_an_unverified_member_cannot_sign_in(client: Client, db: None) -> None:
    user = UserFactory.create(username="sebastien")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post("/accounts/login/", {"login": "sebastien", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] != "/"
    assert SESSION_KEY not in client.session


def test_a_verified_member_signs_in(client: Client, member: User) -> None:
    response = client.post("/accounts/login/", {"login": "juliette", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_the_26th_sign_in_attempt_in_five_minutes_gets_a_readable_429(
    client: Client, member: User
) -> None:
    statuses = [
        client.post("/accounts/login/", {"login": f"inconnu-{n}", "password": "faux"}).status_code
        for n in range(25)
    ]
    assert set(statuses) == {200}
    response = client.post("/accounts/login/", {"login": "juliette", "password": PASSWORD})
    assert response.status_code == 429
    assert "429.html" in [template.name for template in response.templates]
    assert b"site-header" in response.content
    assert SESSION_KEY not in client.session


def test_the_sign_in_limit_is_no_lock_out(client: Client, member: User) -> None:
    for n in range(26):
        client.post("/accounts/login/", {"login": f"inconnu-{n}", "password": "faux"})
    cache.clear()  # the window has passed
    response = client.post("/accounts/login/", {"login": "juliette", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_the_6th_password_reset_for_one_address_in_30_minutes_gets_a_429(
    client: Client, member: User, mailoutbox: list
) -> None:
    statuses = [
        client.post("/accounts/password/reset/", {"email": "juliette@example.org"}).status_code
        for _attempt in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert len(mailoutbox) == 5
    response = client.post("/accounts/password/reset/", {"email": "nora@example.org"})
    assert response.status_code == 302  # another address is not blocked


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    hashers = [path.rsplit(".", 1)[1] for path in settings.PASSWORD_HASHERS]
    assert "Argon2PasswordHasher" in hashers
    # Tests put a fast hasher in front of the production list, which starts with argon2.
    production = [name for name in hashers if name != "MD5PasswordHasher"]
    assert production[0] == "Argon2PasswordHasher"
    production_paths = [p for p in settings.PASSWORD_HASHERS if "MD5" not in p]
    with override_settings(PASSWORD_HASHERS=production_paths):
        encoded = make_password("motdepasse-1")
        assert encoded.startswith("argon2$")
        assert check_password("motdepasse-1", encoded)


def test_behind_a_proxy_each_visitor_has_their_own_sign_in_limit(
    client: Client, member: User, settings
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(26):
        client.post(
            "/accounts/login/",
            {"login": f"inconnu-{n}", "password": "faux"},
            headers={"x-forwarded-for": "203.0.113.7"},
        )
    blocked = client.post(
        "/accounts/login/",
        {"login": "juliette", "password": PASSWORD},
        headers={"x-forwarded-for": "203.0.113.7"},
    )
    other_visitor = client.post(
        "/accounts/login/",
        {"login": "juliette", "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.20"},
    )
    assert blocked.status_code == 429
    assert other_visitor.status_code == 302


def test_the_admin_signs_in_through_the_rate_limited_sign_in(client: Client, db: None) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    posted = client.post("/admin/login/", {"username": "admin", "password": "x"})
    assert posted.status_code == 302
    assert posted.headers["Location"].startswith("/accounts/login/")
