import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from contrechamp.accounts import code_of_conduct, registry, services
from contrechamp.accounts.models import Skill, User
from contrechamp.accounts.registry import MemberDataContributor
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.accounts.tests.helpers import PASSWORD
from contrechamp.core.errors import Conflict, DomainError


@pytest.fixture
def rich_member(member: User) -> User:
    services.update_profile(
        actor=member,
        member=member,
        city="Grenoble",
        languages=["fr", "it"],
        bio="Ciné-club étudiant",
        skills=Skill.objects.filter(slug__in=["projection", "editing"]),
        equipment="Projecteur 16 mm",
        favourite_films="Cléo de 5 à 7",
        favourite_genres="documentaire",
        offers_mentoring=True,
        visibility={"bio": "private"},
    )
    services.accept_code_of_conduct(actor=member, member=member)
    Authenticator.objects.create(
        user=member, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    member.groups.add(Group.objects.create(name="moderators"))
    return User.objects.get(pk=member.pk)


@pytest.fixture
def recorded_contributor(isolated_registry: None) -> dict[str, list[User]]:
    """A fake app that exports, may refuse deletion, and records its anonymisation."""
    record: dict[str, list[User]] = {"anonymised": [], "refuse": []}

    def check_deletion(member: User) -> None:
        if record["refuse"]:
            raise DomainError("Hand over your admin role in Ciné-club de Grenoble first.")

    registry.register(
        MemberDataContributor(
            name="loans",
            export=lambda member: [{"item": "Projecteur", "returned_on": timezone.now()}],
            check_deletion=check_deletion,
            anonymise=lambda member: record["anonymised"].append(member),
        )
    )
    return record


# Export ---------------------------------------------------------------------------------


def test_the_export_holds_profile_skills_emails_privacy_and_conduct(
    rich_member: User, recorded_contributor: dict
) -> None:
    data: Any = services.export_member_data(actor=rich_member, member=rich_member)
    profile = data["profile"]
    assert profile["username"] == "juliette"
    assert profile["email"] == "juliette@example.org"
    assert profile["city"]["name"] == "Grenoble"
    assert profile["languages"] == ["fr", "it"]
    assert profile["offers_mentoring"] is True
    assert {skill["slug"] for skill in data["skills"]} == {"projection", "editing"}
    assert data["email_addresses"] == [
        {"email": "juliette@example.org", "verified": True, "primary": True}
    ]
    assert data["privacy"]["bio"] == "private"
    assert data["privacy"]["city"] == "members"
    assert data["code_of_conduct"]["version_accepted"] == code_of_conduct.CURRENT_VERSION
    assert data["two_factor"][0]["type"] == "totp"
    assert "JBSWY3DPEHPK3PXP" not in json.dumps(data, default=str)
    assert data["loans"][0]["item"] == "Projecteur"


def test_nobody_exports_someone_elses_data(member: User, other_member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.export_member_data(actor=other_member, member=member)


def test_the_export_downloads_as_a_json_file(
    client: Client, rich_member: User, recorded_contributor: dict
) -> None:
    client.force_login(rich_member)
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="contrechamp-juliette.json"'
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["bio"] == "Ciné-club étudiant"
    assert isinstance(data["loans"][0]["returned_on"], str)


def test_opening_the_export_address_leads_to_the_settings(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings") + "#your-data"


def test_the_export_requires_sign_in(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_app_cannot_take_a_name_the_export_uses(isolated_registry: None) -> None:
    with pytest.raises(ValueError):
        registry.register(MemberDataContributor(name="profile", export=lambda member: None))


# Deletion -------------------------------------------------------------------------------


def test_deletion_anonymises_the_member_and_keeps_the_row(
    rich_member: User, recorded_contributor: dict
) -> None:
    services.delete_account(actor=rich_member, member=rich_member)
    deleted = User.objects.get(pk=rich_member.pk)
    assert deleted.username == f"former-member-{rich_member.pk}"
    assert deleted.email == ""
    assert deleted.display_name == ""
    assert deleted.city_name == ""
    assert deleted.latitude is None and deleted.longitude is None
    assert deleted.languages == []
    assert deleted.bio == deleted.equipment == deleted.favourite_films == ""
    assert deleted.favourite_genres == ""
    assert deleted.offers_mentoring is False
    assert deleted.visibility == {}
    assert not deleted.skills.exists()
    assert not deleted.groups.exists()
    assert not deleted.has_usable_password()
    assert deleted.is_active is False
    assert deleted.deleted_at is not None
    assert not EmailAddress.objects.filter(user=deleted).exists()
    assert not Authenticator.objects.filter(user=deleted).exists()


def test_a_deleted_member_is_shown_as_former_member(member: User) -> None:
    services.delete_account(actor=member, member=member)
    deleted = User.objects.get(pk=member.pk)
    with translation.override("en"):
        assert deleted.public_name == "Former member"
        assert str(deleted) == "Former member"


def test_deletion_ends_every_session_of_the_member(
    member: User, other_member: User, isolated_registry: None
) -> None:
    phone, laptop, friend = Client(), Client(), Client()
    phone.force_login(member)
    laptop.force_login(member)
    friend.force_login(other_member)
    services.delete_account(actor=member, member=member)
    # The password hash changed, so Django refuses every session opened with the old one.
    assert friend.get(reverse("accounts:settings")).status_code == 200
    assert phone.get(reverse("accounts:settings")).status_code == 302
    assert laptop.get(reverse("accounts:settings")).status_code == 302


def test_each_app_anonymises_its_own_data(member: User, recorded_contributor: dict) -> None:
    services.delete_account(actor=member, member=member)
    assert [m.pk for m in recorded_contributor["anonymised"]] == [member.pk]


def test_an_app_can_refuse_the_deletion_and_nothing_changes(
    rich_member: User, recorded_contributor: dict
) -> None:
    recorded_contributor["refuse"].append(True)
    with pytest.raises(DomainError, match="Hand over your admin role"):
        services.delete_account(actor=rich_member, member=rich_member)
    unchanged = User.objects.get(pk=rich_member.pk)
    assert unchanged.username == "juliette"
    assert unchanged.is_active and unchanged.deleted_at is None
    assert unchanged.has_usable_password()
    assert unchanged.skills.count() == 2
    assert EmailAddress.objects.filter(user=unchanged).exists()
    assert recorded_contributor["anonymised"] == []


def test_nobody_deletes_someone_elses_account(member: User, other_member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.delete_account(actor=other_member, member=member)
    assert User.objects.get(pk=member.pk).deleted_at is None


def test_a_superuser_can_delete_an_account(member: User, isolated_registry: None) -> None:
    admin = UserFactory.create(username="admin", is_superuser=True, is_staff=True)
    services.delete_account(actor=admin, member=member)
    assert User.objects.get(pk=member.pk).deleted_at is not None


def test_an_account_is_deleted_only_once(member: User, isolated_registry: None) -> None:
    services.delete_account(actor=member, member=member)
    with pytest.raises(Conflict):
        services.delete_account(actor=member, member=User.objects.get(pk=member.pk))


def test_the_former_member_name_stays_unique_even_if_taken(
    member: User, isolated_registry: None
) -> None:
    UserFactory.create(username=f"former-member-{member.pk}")
    services.delete_account(actor=member, member=member)
    username = User.objects.get(pk=member.pk).username
    assert username.startswith(f"former-member-{member.pk}-")


# The deletion page ----------------------------------------------------------------------


def test_the_deletion_page_explains_what_goes_and_what_stays(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 200
    assert 'type="password"' in response.content.decode()
    assert reverse("accounts:export") in response.content.decode()


def test_a_wrong_password_deletes_nothing(
    client: Client, member: User, recorded_contributor: dict
) -> None:
    client.force_login(member)
    response = client.post(reverse("accounts:delete"), {"password": "not-mine"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert User.objects.get(pk=member.pk).deleted_at is None


def test_deleting_signs_out_and_says_goodbye_on_the_home_page(
    client: Client, member: User, recorded_contributor: dict
) -> None:
    client.force_login(member)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert not response.context["user"].is_authenticated
    assert "message--success" in response.content.decode()
    assert User.objects.get(pk=member.pk).deleted_at is not None


def test_submitting_the_deletion_twice_is_harmless(
    client: Client, member: User, recorded_contributor: dict
) -> None:
    client.force_login(member)
    client.post(reverse("accounts:delete"), {"password": PASSWORD})
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert len(recorded_contributor["anonymised"]) == 1


def test_a_refusal_shows_the_apps_message_on_the_page(
    client: Client, member: User, recorded_contributor: dict
) -> None:
    recorded_contributor["refuse"].append(True)
    client.force_login(member)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Hand over your admin role in Ciné-club de Grenoble first." in (
        response.content.decode()
    )
    assert User.objects.get(pk=member.pk).deleted_at is None


def test_guessing_the_password_on_the_deletion_page_is_rate_limited(
    client: Client, member: User, isolated_registry: None
) -> None:
    client.force_login(member)
    statuses = [
        client.post(reverse("accounts:delete"), {"password": f"guess-{n}"}).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert User.objects.get(pk=member.pk).deleted_at is None
