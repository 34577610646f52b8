import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from contrechamp.accounts import privacy, registry, services
from contrechamp.accounts.models import User, Visibility

LEVELS = {
    "city": Visibility.PUBLIC,
    "languages": Visibility.MEMBERS,
    "bio": Visibility.NETWORKS,
    "skills": Visibility.PRIVATE,
    "equipment": Visibility.NETWORKS,
    "favourites": Visibility.MEMBERS,
    "mentoring": Visibility.PUBLIC,
}


@pytest.fixture
def shared_profile(member: User) -> User:
    return services.update_profile(
        actor=member, member=member, visibility={k: v.value for k, v in LEVELS.items()}
    )


@pytest.fixture
def circle_of_friends(isolated_registry: None, other_member: User) -> list[tuple[User, User]]:
    """other_member shares a network with everyone; the calls made are recorded."""
    calls: list[tuple[User, User]] = []

    def share_a_network(viewer: User, member: User) -> bool:
        calls.append((viewer, member))
        return viewer.pk == other_member.pk

    registry.register_circle(share_a_network)
    return calls


def test_anonymous_visitors_see_public_groups_only(shared_profile: User) -> None:
    assert privacy.visible_groups(AnonymousUser(), shared_profile) == {"city", "mentoring"}


def test_signed_in_members_see_members_groups_too(
    shared_profile: User, outsider: User, circle_of_friends: list
) -> None:
    assert privacy.visible_groups(outsider, shared_profile) == {
        "city",
        "mentoring",
        "languages",
        "favourites",
    }


def test_members_of_the_same_circle_see_networks_groups_too(
    shared_profile: User, other_member: User, circle_of_friends: list
) -> None:
    assert privacy.visible_groups(other_member, shared_profile) == {
        "city",
        "mentoring",
        "languages",
        "favourites",
        "bio",
        "equipment",
    }


def test_private_groups_are_for_the_member_alone(
    shared_profile: User, other_member: User, circle_of_friends: list
) -> None:
    assert "skills" not in privacy.visible_groups(other_member, shared_profile)
    assert privacy.visible_groups(shared_profile, shared_profile) == set(User.PRIVACY_FIELDS)


def test_the_circle_is_not_asked_when_no_group_needs_it(
    member: User, outsider: User, circle_of_friends: list
) -> None:
    services.update_profile(
        actor=member,
        member=member,
        visibility=dict.fromkeys(User.PRIVACY_FIELDS, "public"),
    )
    member.refresh_from_db()
    privacy.visible_groups(outsider, member)
    assert circle_of_friends == []


def test_anonymous_visitors_never_reach_the_circle_test(
    shared_profile: User, circle_of_friends: list
) -> None:
    privacy.visible_groups(AnonymousUser(), shared_profile)
    assert circle_of_friends == []


def test_defaults_show_the_city_to_members_and_the_equipment_to_networks(member: User) -> None:
    assert member.visibility_of("city") == Visibility.MEMBERS
    assert member.visibility_of("equipment") == Visibility.NETWORKS
    assert privacy.visible_groups(AnonymousUser(), member) == {
        "languages",
        "bio",
        "skills",
        "favourites",
        "mentoring",
    }


def test_an_unknown_stored_level_falls_back_to_the_default(member: User) -> None:
    member.visibility = {"city": "everyone"}
    assert member.visibility_of("city") == Visibility.MEMBERS


def test_can_see_refuses_an_unknown_group(member: User) -> None:
    with pytest.raises(ValueError):
        privacy.can_see(AnonymousUser(), member, "password")


def test_the_profile_page_hides_what_the_visitor_may_not_see(
    client: Client, member: User, isolated_registry: None
) -> None:
    services.update_profile(
        actor=member,
        member=member,
        city="Grenoble",
        bio="Secret de tournage",
        equipment="Caméra Super 8",
        visibility={"city": "members", "bio": "private", "equipment": "networks"},
    )
    url = reverse("accounts:profile", args=[member.username])
    html = client.get(url).content.decode()
    assert "Grenoble" not in html
    assert "Secret de tournage" not in html
    assert "Super 8" not in html


def test_a_signed_in_visitor_sees_the_city_but_not_the_private_bio(
    client: Client, member: User, outsider: User, isolated_registry: None
) -> None:
    services.update_profile(
        actor=member,
        member=member,
        city="Grenoble",
        bio="Secret de tournage",
        visibility={"city": "members", "bio": "private"},
    )
    client.force_login(outsider)
    html = client.get(reverse("accounts:profile", args=[member.username])).content.decode()
    assert "Grenoble" in html
    assert "Secret de tournage" not in html


def test_the_member_sees_their_whole_profile(
    client: Client, member: User, isolated_registry: None
) -> None:
    services.update_profile(
        actor=member, member=member, bio="Secret de tournage", visibility={"bio": "private"}
    )
    client.force_login(member)
    html = client.get(reverse("accounts:profile", args=[member.username])).content.decode()
    assert "Secret de tournage" in html
