"""One of each thing of the stories app, for the API fuzzing (see api/tests/test_schemathesis.py):
a network run by `owner` that `caller` belongs to, a published story naming both, a draft,
a comment and a recommendation."""

from contrechamp.accounts.models import User
from contrechamp.core import places
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.stories import services


def build(*, owner: User, caller: User) -> None:
    network = network_services.create_network(
        actor=owner,
        name="Ciné-club des récits",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=places.find_city("Grenoble"),
    )
    network_services.join_network(actor=caller, network=network, accept_charter=True)
    story = services.create_story(
        actor=owner,
        title="Un projecteur, trois clubs",
        body="Tout l'été.",
        networks=[network],
        people=[caller],
        publish=True,
    )
    services.create_story(actor=caller, title="Brouillon", body="À finir.")
    services.add_comment(actor=caller, story=story, body="Merci !")
    services.endorse(actor=caller, network=network, text="Un club généreux.", story=story)
