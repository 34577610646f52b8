import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from contrechamp.accounts import services
from contrechamp.accounts.models import Skill, User
from contrechamp.accounts.tests.factories import SkillFactory, UserFactory
from contrechamp.core.errors import DomainError


def _form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "display_name": "Juliette B.",
        "city": "Grenoble",
        "languages": ["fr", "it"],
        "bio": "Je programme le ciné-club **étudiant**.",
        "skills": [],
        "equipment": "Un projecteur 16 mm",
        "favourite_films": "Les Glaneurs et la Glaneuse\nCléo de 5 à 7",
        "favourite_genres": "documentaire, nouvelle vague",
        "offers_mentoring": "on",
        "visibility_city": "public",
        "visibility_languages": "public",
        "visibility_bio": "public",
        "visibility_skills": "public",
        "visibility_equipment": "networks",
        "visibility_favourites": "public",
        "visibility_mentoring": "members",
    }
    data.update(overrides)
    return data


# The settings page ----------------------------------------------------------------------


def test_settings_require_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_settings_page_offers_the_city_datalist_filled_by_htmx(
    client: Client, member: User
) -> None:
    client.force_login(member)
    response = client.get(reverse("accounts:settings"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'list="city-suggestions"' in html
    assert f'hx-get="{reverse("city_suggestions")}"' in html
    assert '<datalist id="city-suggestions">' in html
    assert 'name="languages"' in html and 'value="fsl"' in html
    assert 'name="visibility_equipment"' in html
    assert reverse("account_email") in html
    assert reverse("account_change_password") in html
    assert reverse("mfa_index") in html


def test_saving_the_profile_stores_it_and_redirects(client: Client, member: User) -> None:
    editing = Skill.objects.get(slug="editing")
    projection = Skill.objects.get(slug="projection")
    client.force_login(member)
    response = client.post(
        reverse("accounts:settings"), _form_data(skills=[editing.pk, projection.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings")
    member.refresh_from_db()
    assert member.display_name == "Juliette B."
    assert member.city_name == "Grenoble"
    assert member.languages == ["fr", "it"]
    assert member.offers_mentoring is True
    assert member.seeks_mentoring is False
    assert set(member.skills.all()) == {editing, projection}
    assert member.visibility_of("equipment") == "networks"
    assert member.visibility_of("mentoring") == "members"


def test_the_city_is_stored_as_coordinates_rounded_to_a_kilometre(member: User) -> None:
    updated = services.update_profile(actor=member, member=member, city="grenoble")
    assert updated.city_name == "Grenoble"
    assert updated.latitude is not None and updated.longitude is not None
    assert updated.latitude == round(updated.latitude, 2)
    assert updated.longitude == round(updated.longitude, 2)
    assert 45.1 < updated.latitude < 45.3


def test_clearing_the_city_clears_its_coordinates(member: User) -> None:
    services.update_profile(actor=member, member=member, city="Lyon")
    updated = services.update_profile(actor=member, member=member, city="")
    assert updated.city_name == ""
    assert updated.latitude is None and updated.longitude is None


def test_parts_not_given_are_left_unchanged(member: User) -> None:
    services.update_profile(actor=member, member=member, bio="Projectionniste", city="Lyon")
    updated = services.update_profile(actor=member, member=member, display_name="Ju")
    assert updated.bio == "Projectionniste"
    assert updated.city_name == "Lyon"


def test_an_unknown_city_comes_back_with_suggestions_and_what_was_typed(
    client: Client, member: User
) -> None:
    client.force_login(member)
    response = client.post(reverse("accounts:settings"), _form_data(city="Grenobel"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Grenobel" in html  # the typed value is kept
    assert "Grenoble" in html.split("field__errors", 1)[1].split("</ul>", 1)[0]
    member.refresh_from_db()
    assert member.city_name == ""
    assert member.display_name == "Juliette"


def test_the_service_refuses_an_unknown_city(member: User) -> None:
    with pytest.raises(DomainError):
        services.update_profile(actor=member, member=member, city="Nulle-Part-sur-Mer")
    member.refresh_from_db()
    assert member.city_name == ""


@pytest.mark.parametrize(
    ("field", "length"),
    [("display_name", 81), ("bio", 2001), ("favourite_films", 1001), ("favourite_genres", 201)],
)
def test_over_long_fields_are_refused_next_to_the_field(
    client: Client, member: User, field: str, length: int
) -> None:
    client.force_login(member)
    response = client.post(reverse("accounts:settings"), _form_data(**{field: "x" * length}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    member.refresh_from_db()
    assert member.city_name == ""


def test_the_service_refuses_over_long_text_too(member: User) -> None:
    with pytest.raises(DomainError):
        services.update_profile(actor=member, member=member, bio="x" * 2001)


def test_the_service_refuses_nul_characters(member: User) -> None:
    with pytest.raises(DomainError):
        services.update_profile(actor=member, member=member, display_name="Ju\x00liette")


def test_a_nul_character_typed_in_the_form_is_a_form_error(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.post(reverse("accounts:settings"), _form_data(display_name="Ju\x00"))
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"skills": ["not-a-number"]},
        {"skills": ["999999"]},
        {"languages": ["klingon"]},
        {"visibility_city": "everyone-and-their-dog"},
        {"visibility_city": ""},
    ],
)
def test_tampered_choices_are_form_errors_not_server_errors(
    client: Client, member: User, overrides: dict[str, object]
) -> None:
    client.force_login(member)
    response = client.post(reverse("accounts:settings"), _form_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_service_refuses_unknown_languages_and_privacy_levels(member: User) -> None:
    with pytest.raises(DomainError):
        services.update_profile(actor=member, member=member, languages=["xx"])
    with pytest.raises(DomainError):
        services.update_profile(actor=member, member=member, visibility={"city": "world"})
    with pytest.raises(DomainError):
        services.update_profile(actor=member, member=member, visibility={"password": "public"})


def test_languages_are_stored_once_in_the_list_order(member: User) -> None:
    updated = services.update_profile(actor=member, member=member, languages=["it", "fr", "it"])
    assert updated.languages == ["fr", "it"]


def test_submitting_the_same_form_twice_changes_nothing_more(client: Client, member: User) -> None:
    editing = Skill.objects.get(slug="editing")
    client.force_login(member)
    for _attempt in range(2):
        response = client.post(reverse("accounts:settings"), _form_data(skills=[editing.pk]))
        assert response.status_code == 302
    member.refresh_from_db()
    assert list(member.skills.all()) == [editing]
    assert member.languages == ["fr", "it"]


def test_the_settings_page_only_ever_edits_the_signed_in_member(
    client: Client, member: User, other_member: User
) -> None:
    client.force_login(other_member)
    client.post(reverse("accounts:settings"), _form_data(display_name="Pirate"))
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.display_name == "Juliette"
    assert other_member.display_name == "Pirate"


def test_nobody_edits_another_members_profile(member: User, other_member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.update_profile(actor=other_member, member=member, display_name="Pirate")
    member.refresh_from_db()
    assert member.display_name == "Juliette"


def test_settings_page_queries_do_not_grow_with_the_taxonomy(
    client: Client, member: User, django_assert_max_num_queries
) -> None:
    client.force_login(member)
    member.skills.set(SkillFactory.create_batch(3))
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("accounts:settings"))
    member.skills.add(*SkillFactory.create_batch(10))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("accounts:settings"))


# The profile page -----------------------------------------------------------------------


def _filled_profile(member: User) -> User:
    member = services.update_profile(
        actor=member,
        member=member,
        city="Grenoble",
        languages=["fr", "it"],
        bio="Je programme le ciné-club **étudiant**.",
        skills=Skill.objects.filter(slug__in=["projection", "cine-club-programming"]),
        equipment="Un projecteur 16 mm",
        favourite_films="Les Glaneurs et la Glaneuse\nCléo de 5 à 7",
        favourite_genres="documentaire",
        offers_mentoring=True,
        visibility=dict.fromkeys(User.PRIVACY_FIELDS, "public"),
    )
    return member


def test_a_profile_shows_what_its_member_shares(client: Client, member: User) -> None:
    _filled_profile(member)
    response = client.get(reverse("accounts:profile", args=[member.username]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Juliette</h1>" in html
    assert "Grenoble" in html
    assert "<strong>étudiant</strong>" in html
    assert '<span class="tag">Projection (16/35 mm and digital)</span>' in html
    assert '<cite class="film-title">Cléo de 5 à 7</cite>' in html
    assert "Français" in html or "French" in html
    assert "Un projecteur 16 mm" in html


def test_a_profile_never_shows_coordinates(client: Client, member: User) -> None:
    member = _filled_profile(member)
    client.force_login(member)
    html = client.get(reverse("accounts:profile", args=[member.username])).content.decode()
    assert str(member.latitude) not in html
    assert str(member.longitude) not in html


def test_html_and_script_in_names_and_bio_are_neutralised(client: Client, member: User) -> None:
    services.update_profile(
        actor=member,
        member=member,
        display_name="<script>alert('nom')</script>",
        bio=(
            "<script>alert('bio')</script> <img src=x onerror=alert(1)> [lien](javascript:alert(1))"
        ),
        favourite_films="<b>Vertigo</b>",
    )
    response = client.get(reverse("accounts:profile", args=[member.username]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;nom&#x27;)&lt;/script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "<b>Vertigo</b>" not in html


@pytest.mark.parametrize("state", ["deleted", "inactive", "unknown"])
def test_a_profile_that_cannot_be_shown_is_a_404(client: Client, db: None, state: str) -> None:
    username = "ghost"
    if state == "deleted":
        ghost = UserFactory.create(username=username)
        services.delete_account(actor=ghost, member=ghost)
        username = User.objects.get(pk=ghost.pk).username
    elif state == "inactive":
        UserFactory.create(username=username, is_active=False)
    response = client.get(reverse("accounts:profile", args=[username]))
    assert response.status_code == 404


def test_the_member_sees_a_link_to_edit_their_own_profile(client: Client, member: User) -> None:
    client.force_login(member)
    html = client.get(reverse("accounts:profile", args=[member.username])).content.decode()
    assert reverse("accounts:settings") in html


def test_profile_queries_do_not_grow_with_skills(
    client: Client, member: User, django_assert_max_num_queries
) -> None:
    member.skills.set(SkillFactory.create_batch(3))
    url = reverse("accounts:profile", args=[member.username])
    with django_assert_max_num_queries(6) as first:
        response = client.get(url)
    assert response.content.decode().count('class="tag"') >= 3
    member.skills.add(*SkillFactory.create_batch(10))
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="tag"') >= 13


@pytest.mark.parametrize(
    "path", ["/members/a%00b/", "/members/" + "x" * 500 + "/", "/members/<b>/"]
)
def test_a_name_no_account_can_have_is_a_404_not_a_server_error(
    client: Client, db: None, path: str
) -> None:
    assert client.get(path).status_code == 404
