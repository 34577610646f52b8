import pytest
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.notifications.tests.conftest import QUIET

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory.create(username="admin", is_staff=True, is_superuser=True))
    return client


def test_the_notification_list_is_read_only_and_its_queries_do_not_grow(
    staff_client, member, make_notification, django_assert_max_num_queries
):
    url = reverse("admin:notifications_notification_changelist")
    with zeal_ignore():
        for _ in range(3):
            make_notification(member, QUIET)
    with django_assert_max_num_queries(20) as few:
        response = staff_client.get(url)
    with zeal_ignore():
        for _ in range(10):
            make_notification(member, QUIET)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(url)

    assert response.status_code == 200
    assert staff_client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_the_newsletter_list_opens(staff_client):
    response = staff_client.get(reverse("admin:notifications_newsletter_changelist"))

    assert response.status_code == 200
