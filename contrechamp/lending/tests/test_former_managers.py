"""Leaving a network ends one's equipment duties there: no more notifications or lists."""

import pytest

from contrechamp.lending import queries, services
from contrechamp.lending.models import Item
from contrechamp.lending.permissions import item_keepers
from contrechamp.lending.tests.conftest import slot
from contrechamp.networks import services as network_services
from contrechamp.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_serving_equipment_manager_hears_about_bookings(camera, member, other_member):
    start, end = slot()
    services.book_equipment(actor=other_member, item=camera, start=start, end=end)
    assert member in item_keepers(camera)
    assert Notification.objects.filter(recipient=member).exists()


def test_a_former_equipment_manager_is_no_longer_told_nor_shown_anything(
    camera, network, member, other_member
):
    network_services.leave_network(actor=member, network=network)
    start, end = slot()
    services.book_equipment(actor=other_member, item=camera, start=start, end=end)

    assert member not in item_keepers(camera)
    assert member not in queries.keepers_of([camera])
    assert not Item.objects.filter(queries.looked_after_by(member)).filter(pk=camera.pk).exists()
    assert not Notification.objects.filter(recipient=member).exists()
