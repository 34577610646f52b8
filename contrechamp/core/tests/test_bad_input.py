"""Whatever a person types into a public page's query string or a city field, no 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.core.forms import CityField

typed_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]),
    max_size=300,
)


@given(query=typed_text)
def test_normalise_is_idempotent_and_lowercase(query: str) -> None:
    once = places.normalise(query)
    assert places.normalise(once) == once
    assert once == once.casefold()


@given(name=typed_text)
def test_a_city_field_either_finds_a_place_or_says_why(name: str) -> None:
    field = CityField(required=False)
    try:
        result = field.clean(name)
    except Exception as error:  # only a validation error is acceptable
        assert type(error).__name__ == "ValidationError"
    else:
        assert result is None or isinstance(result, places.Place)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=typed_text, kind=typed_text, near=typed_text, km=typed_text, page=typed_text)
def test_the_directory_answers_any_query_string_without_error(
    client: Client, q: str, kind: str, near: str, km: str, page: str
) -> None:
    response = client.get(
        "/networks/", {"q": q, "type": kind, "near": near, "km": km, "page": page}
    )
    assert response.status_code == 200


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=typed_text,
    description=typed_text,
    city=st.sampled_from(["Grenoble", "Saint-Étienne", ""]),
)
def test_creating_a_network_with_any_text_is_created_or_refused_readably(
    client: Client, member, name: str, description: str, city: str
) -> None:
    client.force_login(member)
    response = client.post(
        "/networks/new/",
        {
            "name": name,
            "kind": "cine_club",
            "join_policy": "open",
            "city": city,
            "is_online": "" if city else "on",
            "description": description,
        },
    )
    assert response.status_code in {200, 302}
    if response.status_code == 200:  # refused: the form comes back with what was typed
        assert 'name="name"' in response.content.decode()


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    display_name=typed_text,
    bio=typed_text,
    city=st.sampled_from(["Grenoble", "Lyon", ""]),
    genres=typed_text,
)
def test_saving_a_profile_with_any_text_never_fails(
    client: Client, member, display_name: str, bio: str, city: str, genres: str
) -> None:
    client.force_login(member)
    visibility = {f"visibility_{group}": "public" for group in User.PRIVACY_FIELDS}
    form = {"display_name": display_name, "bio": bio, "city": city, "favourite_genres": genres}
    response = client.post("/me/", form | visibility)
    assert response.status_code in {200, 302}
    if response.status_code == 302:  # saved: what was typed is what is stored
        member.refresh_from_db()
        assert member.bio == bio.strip() or member.bio == bio
