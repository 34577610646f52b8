"""Scene for the stories tests: Nora (`other_member`) runs the ciné-club `club` (its
admin); Juliette (`member`) is one of its members and tells stories; `outsider` belongs to
nothing. Images are made with Pillow; everything else goes through the services."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.stories import services
from contrechamp.stories.models import Story


def make_network(admin: User, name: str, town: str = "Grenoble") -> Network:
    return network_services.create_network(
        actor=admin,
        name=name,
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=places.find_city(town),
    )


@pytest.fixture
def club(other_member: User, member: User) -> Network:
    network = make_network(other_member, "Ciné-club du Vercors")
    network_services.join_network(actor=member, network=network, accept_charter=True)
    return network


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def png(name: str = "projecteur.png", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/png")


MakeStory = Callable[..., Story]


@pytest.fixture
def make_story(member: User) -> MakeStory:
    def make(author: User | None = None, **kwargs: Any) -> Story:
        kwargs.setdefault("title", "Un projecteur pour trois clubs")
        kwargs.setdefault("body", "Tout l'été, le projecteur a voyagé.")
        kwargs.setdefault("publish", True)
        return services.create_story(actor=author or member, **kwargs)

    return make
