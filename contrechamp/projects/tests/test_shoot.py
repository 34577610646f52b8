import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contrechamp.core.errors import DomainError
from contrechamp.notifications.models import Notification
from contrechamp.projects import models, services
from contrechamp.projects.models import CallTime, SharedFile, ShootingDay, Task
from contrechamp.projects.tests.conftest import in_days

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def day_details(**overrides):
    fields: dict[str, Any] = {
        "date": in_days(30),
        "general_call": dt.time(7, 30),
        "address": "Plage des Catalans, Marseille",
        "scenes": "Sc. 4 — EXT. PLAGE — JOUR\nSc. 5 — EXT. ROCHERS — JOUR",
        "notes": "Crème solaire, eau.",
    } | overrides
    return services.DayDetails(**fields)


@pytest.fixture
def team(project, other_member, member):
    services.add_team_member(actor=other_member, project=project, member=member, role="Son")
    return project


@pytest.fixture
def day(team, other_member):
    return services.create_shooting_day(actor=other_member, project=team, details=day_details())


def test_a_call_sheet_needs_a_place(project, other_member):
    with pytest.raises(DomainError, match="where"):
        services.create_shooting_day(
            actor=other_member, project=project, details=day_details(address="")
        )


def test_only_team_members_are_called(day, other_member, outsider):
    with pytest.raises(DomainError):
        services.set_call_time(actor=other_member, day=day, member=outsider, call_at=dt.time(7))


def test_publishing_tells_each_person_called(day, other_member, member):
    services.set_call_time(actor=other_member, day=day, member=member, call_at=dt.time(6, 45))
    services.publish_call_sheet(actor=other_member, day=day)
    notice = Notification.objects.get(recipient=member, kind="projects.call_sheet")
    assert notice.url == day.get_absolute_url()


def test_a_non_member_editing_the_call_sheet_gets_403_and_nothing_changes(client, day, outsider):
    client.force_login(outsider)
    url = reverse("projects:day_edit", args=[day.project.slug, day.pk])
    response = client.post(
        url,
        {"form": "day", "date": "2030-01-01", "general_call": "05:00", "address": "Ailleurs"},
    )
    assert response.status_code == 403
    day.refresh_from_db()
    assert day.address == "Plage des Catalans, Marseille"
    assert day.general_call == dt.time(7, 30)


def test_a_team_member_who_does_not_manage_cannot_edit_either(day, member):
    with pytest.raises(PermissionDenied):
        services.update_shooting_day(actor=member, day=day, details=day_details(address="X"))


def test_the_call_sheet_is_seen_by_the_team_once_published(
    client, day, other_member, member, outsider
):
    services.set_call_time(actor=other_member, day=day, member=member, call_at=dt.time(6, 45))
    url = day.get_absolute_url()
    client.force_login(member)
    assert client.get(url).status_code == 404
    services.publish_call_sheet(actor=other_member, day=day)
    body = client.get(url).content.decode()
    assert "06:45" in body
    assert "Sc. 5" in body
    assert "Son" in body
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_my_call_sheets_list_the_coming_ones(client, day, other_member, member):
    services.set_call_time(actor=other_member, day=day, member=member, call_at=dt.time(6, 45))
    services.publish_call_sheet(actor=other_member, day=day)
    client.force_login(member)
    response = client.get(reverse("projects:my_call_sheets"))
    assert day.get_absolute_url() not in response.content.decode()  # 30 days ahead
    ShootingDay.objects.filter(pk=day.pk).update(date=in_days(1))
    response = client.get(reverse("projects:my_call_sheets"))
    assert day.get_absolute_url() in response.content.decode()


def test_the_call_sheet_page_keeps_its_query_count(client, day, other_member, member, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.set_call_time(actor=other_member, day=day, member=member, call_at=dt.time(6, 45))
    services.publish_call_sheet(actor=other_member, day=day)
    client.force_login(member)
    with CaptureQueriesContext(connection) as few:
        client.get(day.get_absolute_url())
    for person in people(5):
        services.add_team_member(actor=other_member, project=day.project, member=person)
        services.set_call_time(actor=other_member, day=day, member=person, call_at=dt.time(8))
    with CaptureQueriesContext(connection) as many:
        response = client.get(day.get_absolute_url())
    assert "Figurant 4" in response.content.decode()
    assert len(many) == len(few)


@pytest.fixture
def people(db):
    from contrechamp.accounts.tests.factories import UserFactory

    def make(count):
        return [
            UserFactory.create(username=f"figurant{n}", display_name=f"Figurant {n}")
            for n in range(count)
        ]

    return make


def test_equipment_booked_by_the_team_that_day_is_listed(day, other_member, outsider):
    from contrechamp.lending.models import Booking, Item

    item = Item.objects.create(
        title="Perche et micro",
        kind=Item.Kind.MICROPHONE,
        owner_user=outsider,
        city_name="Marseille",
        latitude=43.3,
        longitude=5.37,
    )
    start = dt.datetime.combine(day.date, dt.time(6), tzinfo=dt.UTC)
    booking = Booking.objects.create(
        item=item,
        booked_by=other_member,
        start=start,
        end=start + dt.timedelta(hours=14),
        status=Booking.Status.APPROVED,
    )
    other_day = Booking.objects.create(
        item=item,
        booked_by=other_member,
        start=start + dt.timedelta(days=3),
        end=start + dt.timedelta(days=3, hours=2),
        status=Booking.Status.APPROVED,
    )
    services.set_day_equipment(actor=other_member, day=day, booking_ids=[booking.pk])
    assert list(day.bookings.all()) == [booking]
    with pytest.raises(DomainError):
        services.set_day_equipment(actor=other_member, day=day, booking_ids=[other_day.pk])


def test_tasks(team, other_member, member, outsider):
    task = services.add_task(actor=member, project=team, title="Repérages", due_on=in_days(3))
    services.set_task_done(actor=other_member, task=task, done=True)
    task.refresh_from_db()
    assert task.is_done
    with pytest.raises(DomainError):
        services.add_task(actor=other_member, project=team, title="X", assignee=outsider)
    with pytest.raises(PermissionDenied):
        services.add_task(actor=outsider, project=team, title="X")
    with pytest.raises(PermissionDenied):
        services.set_task_done(actor=outsider, task=task, done=False)
    assert Task.objects.count() == 1


def test_a_shared_file_is_downloaded_by_the_team_only(client, team, member, outsider):
    shared = services.share_file(
        actor=member, project=team, upload=SimpleUploadedFile("feuille.pdf", PDF)
    )
    url = reverse("projects:file_download", args=[team.slug, shared.pk])
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_file_of_the_wrong_type_is_refused(team, member):
    with pytest.raises(DomainError):
        services.share_file(
            actor=member, project=team, upload=SimpleUploadedFile("script.sh", b"#!/bin/sh\n")
        )
    with pytest.raises(DomainError, match="content"):
        services.share_file(
            actor=member, project=team, upload=SimpleUploadedFile("faux.pdf", b"not a pdf")
        )
    assert not SharedFile.objects.exists()


def test_a_file_too_big_or_beyond_the_quota_is_refused(team, member, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 10)
    with pytest.raises(DomainError, match="larger"):
        services.share_file(actor=member, project=team, upload=SimpleUploadedFile("a.pdf", PDF))
    monkeypatch.setattr(services, "MAX_FILE_BYTES", models.MAX_FILE_BYTES)
    monkeypatch.setattr(services, "PROJECT_QUOTA_BYTES", len(PDF) + 5)
    services.share_file(actor=member, project=team, upload=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(DomainError, match="exceed"):
        services.share_file(actor=member, project=team, upload=SimpleUploadedFile("b.pdf", PDF))
    assert SharedFile.objects.count() == 1


def test_an_outsider_cannot_share_a_file(team, outsider):
    with pytest.raises(PermissionDenied):
        services.share_file(actor=outsider, project=team, upload=SimpleUploadedFile("a.pdf", PDF))


def test_uploading_through_the_page(client, team, member):
    client.force_login(member)
    response = client.post(
        reverse("projects:file_upload", args=[team.slug]),
        {"file": SimpleUploadedFile("son.pdf", PDF)},
    )
    assert response.status_code == 302
    assert SharedFile.objects.get().name == "son.pdf"
    assert CallTime.objects.count() == 0


def test_call_sheets_are_kept_for_offline_reading(day):
    import re

    from contrechamp.core import pwa

    def kept(path: str) -> bool:
        return any(re.search(pattern, path) for pattern in pwa.KEPT_PATHS)

    assert kept(day.get_absolute_url())
    assert kept(reverse("projects:my_call_sheets"))
    assert not kept(reverse("projects:day_edit", args=[day.project.slug, day.pk]))
    assert not kept(day.project.get_absolute_url())
