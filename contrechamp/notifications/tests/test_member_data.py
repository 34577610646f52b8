import pytest
from django.test import Client

from contrechamp.accounts import services as account_services
from contrechamp.notifications import services
from contrechamp.notifications.models import MemberLanguage, Notification, Preference
from contrechamp.notifications.tests.conftest import DAILY

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_my_notifications_and_settings(member, make_notification):
    make_notification(member, title="Nora asks to borrow your DVD", url="/loans/1/")
    services.set_preferences(actor=member, member=member, choices={DAILY: "off"})
    MemberLanguage.objects.create(user=member, language="fr")

    data = account_services.export_member_data(actor=member, member=member)

    part = data["notifications"]
    assert isinstance(part, dict)
    assert part["email_language"] == "fr"
    assert part["preferences"] == [{"kind": DAILY, "delivery": "off"}]
    assert [n["title"] for n in part["notifications"]] == ["Nora asks to borrow your DVD"]


def test_deleting_the_account_deletes_its_notifications_and_settings(
    member, other_member, make_notification
):
    make_notification(member)
    kept = make_notification(other_member, actor=member)
    services.set_preferences(actor=member, member=member, choices={DAILY: "off"})
    MemberLanguage.objects.create(user=member, language="fr")

    account_services.delete_account(actor=member, member=member)

    assert list(Notification.objects.all()) == [kept]
    assert not Preference.objects.exists()
    assert not MemberLanguage.objects.exists()


def test_signing_in_remembers_the_language_for_emails(member):
    client = Client(headers={"accept-language": "fr"})

    client.post("/accounts/login/", {"login": "juliette", "password": "motdepasse-1"})

    assert MemberLanguage.objects.get(user=member).language == "fr"


def test_switching_language_is_remembered_once(client, member, django_assert_num_queries):
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert MemberLanguage.objects.get(user=member).language == "en"

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert MemberLanguage.objects.get(user=member).language == "fr"

    with django_assert_num_queries(2):  # the session and the user: nothing more to write
        client.post("/i18n/setlang/", {"language": "fr", "next": "/"})


def test_reading_pages_writes_nothing(client, member):
    client.force_login(member)

    client.get("/notifications/", headers={"accept-language": "fr"})

    assert not MemberLanguage.objects.exists()
