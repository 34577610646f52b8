import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.accounts.reputation import reputation_of
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.guides import services
from contrechamp.guides.member_data import POINTS_PER_HELPED
from contrechamp.guides.models import Guide, GuideHelpful
from contrechamp.guides.tests.conftest import edit, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_guide(member, guide):
    return services.set_sharing(actor=member, guide=guide, is_public=True, networks=[])


def test_a_member_says_a_guide_helped_them_once(member, other_member, public_guide):
    services.mark_helpful(actor=other_member, guide=public_guide)
    with pytest.raises(Conflict):
        services.mark_helpful(actor=other_member, guide=public_guide)
    assert Guide.objects.get(pk=public_guide.pk).helped_count == 1


def test_taking_it_back_lowers_the_count(other_member, public_guide):
    services.mark_helpful(actor=other_member, guide=public_guide)
    services.withdraw_helpful(actor=other_member, guide=public_guide)
    assert Guide.objects.get(pk=public_guide.pk).helped_count == 0
    with pytest.raises(Conflict):
        services.withdraw_helpful(actor=other_member, guide=public_guide)


def test_its_authors_cannot_say_it_helped_them(member, other_member, outsider, public_guide):
    with pytest.raises(DomainError):
        services.mark_helpful(actor=member, guide=public_guide)
    services.add_editor(actor=member, guide=public_guide, member=other_member)
    edit(public_guide, other_member, "Nora a contribué")
    services.remove_editor(actor=member, guide=public_guide, member=other_member)
    with pytest.raises(DomainError):
        services.mark_helpful(actor=other_member, guide=public_guide)
    assert not GuideHelpful.objects.exists()


def test_a_guide_not_shared_with_someone_cannot_help_them(outsider, guide):
    with pytest.raises(PermissionDenied):
        services.mark_helpful(actor=outsider, guide=guide)


def test_guides_that_helped_count_in_the_reputation_of_their_author(
    member, other_member, outsider, club, public_guide, club_guide
):
    services.mark_helpful(actor=other_member, guide=public_guide)
    services.mark_helpful(actor=outsider, guide=public_guide)
    join(other_member, club)
    services.mark_helpful(actor=other_member, guide=club_guide)

    reputation = reputation_of([member.pk, other_member.pk])
    assert dict(reputation[member.pk].parts)["Guides that helped others"] == 3 * POINTS_PER_HELPED
    assert reputation[other_member.pk].total == 0
