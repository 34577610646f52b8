import pytest
from django.urls import reverse

from contrechamp.notifications import kinds
from contrechamp.notifications.kinds import Delivery
from contrechamp.notifications.models import Preference
from contrechamp.notifications.tests.conftest import AT_ONCE, DAILY, QUIET

pytestmark = pytest.mark.django_db

PAGE = reverse("notifications:preferences")


def every_kind(**overrides):
    """What the form posts: every registered kind (other apps add theirs) at its default."""
    data = {kind.slug: str(kind.default_delivery) for kind in kinds.all_kinds()}
    data.update(overrides)
    return data


def test_the_settings_page_asks_to_sign_in(client):
    assert client.get(PAGE).status_code == 302


def test_the_settings_page_lists_every_kind_with_its_default(client, member):
    client.force_login(member)

    response = client.get(PAGE)

    assert response.status_code == 200
    form = response.context["form"]
    assert {AT_ONCE, DAILY, QUIET} <= set(form.fields)
    assert form[DAILY].initial == Delivery.DIGEST
    assert "A loan request" in response.text
    assert '<option value="immediate" selected>' in response.text


def test_a_member_saves_their_choices(client, member):
    client.force_login(member)

    response = client.post(PAGE, every_kind(**{DAILY: "off"}), follow=True)

    assert response.status_code == 200
    assert "Your notification settings are saved." in response.text
    assert list(Preference.objects.values_list("user", "kind", "delivery")) == [
        (member.pk, DAILY, "off")
    ]
    assert response.context["form"][DAILY].initial == "off"


def test_a_forged_choice_is_shown_as_an_error_and_nothing_changes(client, member):
    client.force_login(member)

    response = client.post(PAGE, every_kind(**{DAILY: "<script>"}))

    assert response.status_code == 200
    assert response.context["form"].errors[DAILY]
    assert not Preference.objects.exists()


def test_the_page_query_count_does_not_grow_with_choices(
    client, member, django_assert_max_num_queries
):
    client.force_login(member)
    with django_assert_max_num_queries(8):
        client.get(PAGE)


def test_a_kind_missing_from_the_form_keeps_its_setting(client, member):
    client.force_login(member)
    client.post(PAGE, every_kind(**{DAILY: "off"}))

    data = every_kind()
    del data[DAILY]
    client.post(PAGE, data)

    assert list(Preference.objects.values_list("kind", "delivery")) == [(DAILY, "off")]


def test_the_kinds_are_grouped_by_the_app_they_come_from(client, member):
    client.force_login(member)

    response = client.get(PAGE)

    legends = [name for name, _fields in response.context["form"].groups()]
    assert {"tests", "Networks"} <= set(legends)
    assert "<legend>" in response.text
