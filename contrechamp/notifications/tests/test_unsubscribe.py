from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contrechamp.notifications import unsubscribe
from contrechamp.notifications.models import Preference
from contrechamp.notifications.tests.conftest import AT_ONCE, DAILY

pytestmark = pytest.mark.django_db


def link(member, *slugs):
    return reverse(
        "notifications:unsubscribe", args=[unsubscribe.make_token(member.pk, list(slugs))]
    )


def off(member):
    return set(
        member.notification_preferences.filter(delivery="off").values_list("kind", flat=True)
    )


def test_the_link_asks_for_confirmation_first_and_changes_nothing(client, member):
    response = client.get(link(member, AT_ONCE))

    assert response.status_code == 200
    assert "A loan request" in response.text
    assert "Stop these emails" in response.text
    assert not Preference.objects.exists()


def test_confirming_switches_the_kinds_off_without_signing_in(client, member):
    response = client.post(link(member, AT_ONCE, DAILY))

    assert response.status_code == 200
    assert "Done" in response.text
    assert off(member) == {AT_ONCE, DAILY}


def test_a_mail_clients_one_click_post_works_without_a_csrf_token(member):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        link(member, AT_ONCE),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert off(member) == {AT_ONCE}


def test_unsubscribing_twice_is_harmless(client, member):
    client.post(link(member, AT_ONCE))
    response = client.post(link(member, AT_ONCE))

    assert response.status_code == 200
    assert Preference.objects.count() == 1


def test_a_tampered_link_is_refused_and_changes_nothing(client, member, other_member):
    token = unsubscribe.make_token(member.pk, [AT_ONCE])
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")

    response = client.post(reverse("notifications:unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert "not valid" in response.text
    assert not Preference.objects.exists()


def test_a_link_signed_for_another_purpose_is_refused(client, member):
    from django.core import signing

    token = signing.dumps({"m": member.pk, "k": [AT_ONCE]}, salt="something.else")

    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 400
    assert not Preference.objects.exists()


@pytest.mark.parametrize("token", ["x", "a" * 5000, "..:..", "%00"])
def test_garbage_in_the_link_is_refused_with_a_page(client, token):
    response = client.get(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400


def test_an_expired_link_is_refused_with_a_way_forward(client, member):
    with time_machine.travel(timezone.now() - unsubscribe.MAX_AGE - timedelta(days=1)):
        url = link(member, AT_ONCE)

    response = client.post(url)

    assert response.status_code == 410
    assert reverse("notifications:preferences") in response.text
    assert not Preference.objects.exists()


def test_a_link_for_a_deleted_account_changes_nothing(client, member):
    url = link(member, AT_ONCE)
    member.deleted_at = timezone.now()
    member.save()

    assert client.post(url).status_code == 400
    assert not Preference.objects.exists()


def test_kinds_no_longer_registered_are_ignored(client, member):
    response = client.post(link(member, "gone.kind", AT_ONCE))

    assert response.status_code == 200
    assert off(member) == {AT_ONCE}
