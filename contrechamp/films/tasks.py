from django.tasks import task

from contrechamp.films import discovery


@task()
def recompute_neighbours() -> int:
    """Rebuild the discovery neighbour table from all ratings."""
    return discovery.recompute_neighbours()


@task()
def refresh_film_neighbours(*, film_id: int) -> int:
    """Update one film's neighbours after it was rated."""
    return discovery.refresh_film_neighbours(film_id)
