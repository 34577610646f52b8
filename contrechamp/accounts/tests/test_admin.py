import pytest
from django.test import Client
from django.urls import reverse

from contrechamp.accounts.models import Skill, User
from contrechamp.accounts.tests.factories import UserFactory


@pytest.fixture
def admin_client(client: Client, db: None, isolated_registry: None) -> Client:
    admin = UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_member_list_searches_and_filters(admin_client: Client, member: User) -> None:
    url = reverse("admin:accounts_user_changelist")
    response = admin_client.get(url, {"q": "juliette", "is_active__exact": "1"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [member]


def test_the_member_list_queries_do_not_grow_with_members(
    admin_client: Client, django_assert_max_num_queries
) -> None:
    UserFactory.create_batch(3)
    url = reverse("admin:accounts_user_changelist")
    with django_assert_max_num_queries(20) as first:
        admin_client.get(url)
    UserFactory.create_batch(10)
    with django_assert_max_num_queries(len(first.captured_queries)):
        admin_client.get(url)


def test_the_member_page_shows_the_profile_fields(admin_client: Client, member: User) -> None:
    response = admin_client.get(reverse("admin:accounts_user_change", args=[member.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("display_name", "bio", "skills", "offers_mentoring", "visibility"):
        assert f'name="{field}"' in html
    assert 'name="latitude"' not in html


def test_members_are_anonymised_from_the_admin_never_deleted(
    admin_client: Client, member: User
) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "anonymise_accounts", "_selected_action": [member.pk]},
    )
    assert response.status_code == 302
    anonymised = User.objects.get(pk=member.pk)
    assert anonymised.deleted_at is not None
    assert anonymised.username == f"former-member-{member.pk}"
    delete_url = reverse("admin:accounts_user_delete", args=[member.pk])
    assert admin_client.get(delete_url).status_code == 403


def test_the_skill_list_shows_the_taxonomy(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:accounts_skill_changelist"))
    assert response.status_code == 200
    assert Skill.objects.get(slug="projection").name_fr in response.content.decode()
