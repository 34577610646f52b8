import pytest
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.notifications.models import Notification
from contrechamp.notifications.tests.conftest import QUIET

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
BELL = reverse("notifications:bell")


def open_url(notification):
    return reverse("notifications:open", args=[notification.pk])


def many(make_notification, recipient, count):
    with zeal_ignore():
        for number in range(count):
            make_notification(recipient, QUIET, title=f"News {number}", url=f"/films/{number}/")


def test_the_inbox_asks_to_sign_in(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_inbox_shows_my_notifications_and_marks_the_unread_ones(
    client, member, make_notification
):
    make_notification(member, title="Nora asks to borrow your DVD", body="For Saturday")
    read = make_notification(member, title="Sébastien thanks you")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client.force_login(member)

    response = client.get(INBOX)

    assert response.status_code == 200
    assert "Nora asks to borrow your DVD" in response.text
    assert "For Saturday" in response.text
    assert response.text.count("notification--unread") == 1
    assert "A thank-you" in response.text  # the kind's label


def test_nobody_sees_another_members_notifications(client, member, outsider, make_notification):
    make_notification(member, title="Private to Juliette")
    client.force_login(outsider)

    response = client.get(INBOX)

    assert "Private to Juliette" not in response.text


def test_text_in_a_notification_is_escaped(client, member, make_notification):
    make_notification(member, title="<script>alert(1)</script>", body="<b>bold</b>")
    client.force_login(member)

    response = client.get(INBOX)

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "<b>bold</b>" not in response.text


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    client, member, make_notification
):
    notification = make_notification(member, url="/networks/cine-club/?tab=members")
    client.force_login(member)

    response = client.post(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/networks/cine-club/?tab=members"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_without_a_page_comes_back_to_the_inbox(
    client, member, make_notification
):
    notification = make_notification(member)
    client.force_login(member)

    response = client.post(open_url(notification))

    assert response["Location"] == INBOX


@pytest.mark.parametrize(
    "stored",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_a_foreign_address_slipped_into_the_database_never_becomes_a_redirect(
    client, member, make_notification, stored
):
    notification = make_notification(member)
    Notification.objects.filter(pk=notification.pk).update(url=stored)
    client.force_login(member)

    response = client.post(open_url(notification))

    assert response["Location"] == INBOX


def test_opening_another_members_notification_is_not_found_and_changes_nothing(
    client, member, outsider, make_notification
):
    notification = make_notification(member)
    client.force_login(outsider)

    response = client.post(open_url(notification))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_needs_a_post(client, member, make_notification):
    notification = make_notification(member)
    client.force_login(member)

    assert client.get(open_url(notification)).status_code == 405


def test_an_unknown_notification_is_not_found(client, member):
    client.force_login(member)

    assert client.post(reverse("notifications:open", args=[999_999_999])).status_code == 404


def test_mark_all_as_read_reads_only_mine(client, member, outsider, make_notification):
    many(make_notification, member, 3)
    theirs = make_notification(outsider)
    client.force_login(member)

    response = client.post(reverse("notifications:read_all"), follow=True)

    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_is_paginated_and_a_bad_page_number_gives_a_page(
    client, member, make_notification
):
    many(make_notification, member, 25)
    client.force_login(member)

    first = client.get(INBOX)
    odd = client.get(INBOX, {"page": "lots"})

    assert first.text.count('<li class="notification') == 20
    assert 'rel="next"' in first.text
    assert odd.status_code == 200


def test_the_inbox_query_count_does_not_grow(
    client, member, make_notification, django_assert_max_num_queries
):
    many(make_notification, member, 3)
    client.force_login(member)
    with django_assert_max_num_queries(10) as few:
        client.get(INBOX)
    many(make_notification, member, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INBOX)


def test_the_bell_shows_my_unread_count_as_a_link_that_htmx_refreshes(
    client, member, make_notification
):
    many(make_notification, member, 3)
    client.force_login(member)

    response = client.get(BELL)

    assert response.status_code == 200
    assert f'href="{INBOX}"' in response.text
    assert f'hx-get="{BELL}"' in response.text
    assert 'hx-trigger="every 60s"' in response.text
    assert "3" in response.text
    assert "<html" not in response.text


def test_the_bell_stops_at_ninety_nine_plus(client, member, make_notification):
    many(make_notification, member, 100)
    client.force_login(member)

    assert "99+" in client.get(BELL).text


def test_the_bell_counts_in_one_query_whatever_the_number(
    client, member, make_notification, django_assert_num_queries
):
    many(make_notification, member, 3)
    client.force_login(member)
    client.get(BELL)  # the session is read once, then the counts are compared
    with django_assert_num_queries(3) as few:
        client.get(BELL)
    many(make_notification, member, 27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(BELL)

    assert "30" in response.text
    counts = [q["sql"] for q in few.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1


def test_the_bell_tells_htmx_to_stop_polling_once_signed_out(client):
    response = client.get(BELL)

    assert response.status_code == 286
    assert response.content == b""


def test_the_bell_include_renders_the_same_bell_for_the_page_header(rf, member, make_notification):
    from django.template.loader import render_to_string

    make_notification(member)
    request = rf.get("/")
    request.user = member

    html = render_to_string("notifications/includes/bell.html", request=request)

    assert 'id="notification-bell"' in html
    assert "1" in html


def test_a_number_too_big_for_the_database_is_not_found(client, member):
    client.force_login(member)

    response = client.post(reverse("notifications:open", args=[10**30]))

    assert response.status_code == 404
