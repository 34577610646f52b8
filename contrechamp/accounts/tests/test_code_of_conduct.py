import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from contrechamp.accounts import code_of_conduct, services
from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory

BANNER = 'class="notice conduct-banner"'


@pytest.fixture
def member(db: None) -> User:
    """Here, a member who has not accepted the code of conduct yet."""
    return UserFactory.create(username="juliette", code_of_conduct_version=0)


@pytest.fixture
def accepted_member(member: User) -> User:
    return services.accept_code_of_conduct(actor=member, member=member)


@pytest.fixture
def new_version(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(code_of_conduct, "CURRENT_VERSION", code_of_conduct.CURRENT_VERSION + 1)
    return code_of_conduct.CURRENT_VERSION


def test_the_code_of_conduct_is_readable_by_everyone(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:code_of_conduct"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h2") >= 7
    for anchor in (
        "conduct-feedback",
        "conduct-harassment",
        "conduct-copyright",
        "conduct-lending",
        "conduct-load",
        "conduct-report",
    ):
        assert f'id="{anchor}"' in html
    assert f"Version {code_of_conduct.CURRENT_VERSION}, updated on" in html
    assert reverse("account_signup") in html


def test_the_footer_links_to_the_code_of_conduct(client: Client, db: None) -> None:
    html = client.get("/").content.decode()
    assert f'href="{reverse("accounts:code_of_conduct")}"' in html


def test_a_member_who_accepted_the_current_version_sees_no_banner(
    client: Client, accepted_member: User
) -> None:
    client.force_login(accepted_member)
    assert BANNER not in client.get("/").content.decode()


def test_a_member_who_never_accepted_sees_the_banner(client: Client, member: User) -> None:
    client.force_login(member)
    html = client.get("/").content.decode()
    assert BANNER in html
    assert f"{reverse('accounts:code_of_conduct')}?next=/" in html


def test_anonymous_visitors_see_no_banner(client: Client, db: None) -> None:
    assert BANNER not in client.get("/").content.decode()


def test_a_new_version_asks_members_to_accept_again(
    client: Client, accepted_member: User, new_version: int
) -> None:
    client.force_login(accepted_member)
    assert BANNER in client.get("/").content.decode()
    response = client.post(reverse("accounts:code_of_conduct"), {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    accepted_member.refresh_from_db()
    assert accepted_member.code_of_conduct_version == new_version
    assert BANNER not in client.get("/").content.decode()


def test_the_banner_is_not_repeated_on_the_code_of_conduct_page(
    client: Client, member: User
) -> None:
    client.force_login(member)
    html = client.get(reverse("accounts:code_of_conduct")).content.decode()
    assert BANNER not in html
    assert 'action="/code-of-conduct/"' in html


def test_accepting_twice_changes_nothing(client: Client, member: User) -> None:
    client.force_login(member)
    client.post(reverse("accounts:code_of_conduct"))
    first = User.objects.get(pk=member.pk).code_of_conduct_accepted_at
    response = client.post(reverse("accounts:code_of_conduct"))
    assert response.status_code == 302
    again = User.objects.get(pk=member.pk)
    assert again.code_of_conduct_accepted_at == first
    assert again.code_of_conduct_version == code_of_conduct.CURRENT_VERSION


def test_accepting_never_redirects_to_another_site(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.post(
        reverse("accounts:code_of_conduct"), {"next": "https://evil.example.org/"}
    )
    assert response["Location"] == reverse("accounts:code_of_conduct")


def test_anonymous_visitors_cannot_accept(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:code_of_conduct"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_nobody_accepts_for_someone_else(member: User, other_member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.accept_code_of_conduct(actor=other_member, member=member)
    assert User.objects.get(pk=member.pk).code_of_conduct_version == 0


def test_the_page_says_when_the_member_accepted(client: Client, accepted_member: User) -> None:
    client.force_login(accepted_member)
    response = client.get(reverse("accounts:code_of_conduct"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'action="/code-of-conduct/"' not in html
    assert f"You accepted version {code_of_conduct.CURRENT_VERSION} on" in html
