import pytest

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.films import services


@pytest.fixture
def staff(db):
    return UserFactory.create(username="archiviste", display_name="Archiviste", is_staff=True)


@pytest.fixture
def make_film(member):
    """Add a film through the service, as a member would."""

    def make(title: str, year: int, **kwargs):
        return services.create_film(actor=member, title=title, year=year, **kwargs)

    return make


@pytest.fixture
def classics(make_film):
    return {
        "enfants": make_film(
            "Les Enfants du paradis",
            1945,
            directors=["Marcel Carné"],
            countries=["FR"],
            genres=["drama", "romance"],
        ),
        "cleo": make_film("Cléo de 5 à 7", 1962, directors=["Agnès Varda"], countries=["FR", "IT"]),
        "vivre": make_film(
            "Vivre", 1952, original_title="Ikiru", directors=["Akira Kurosawa"], countries=["JP"]
        ),
        "chevaux": make_film(
            "On achève bien les chevaux",
            1969,
            original_title="They Shoot Horses, Don't They?",
            directors=["Sydney Pollack"],
            countries=["US"],
        ),
    }
