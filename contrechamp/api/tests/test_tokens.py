from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contrechamp.accounts import registry
from contrechamp.accounts import services as account_services
from contrechamp.accounts.models import User
from contrechamp.api import queries, services
from contrechamp.api.models import ApiToken
from contrechamp.core.errors import Conflict, DomainError


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(member: User) -> None:
    issued = services.create_token(actor=member, name="Phone app", scope=ApiToken.Scope.READ)

    token = ApiToken.objects.get()
    assert issued.secret.startswith("cct_")
    assert len(issued.secret) > 40
    assert token.secret_hash == services.hash_secret(issued.secret)
    assert issued.secret not in {token.secret_hash, token.prefix, token.name}
    assert issued.secret.startswith(token.prefix)
    assert token.owner == member
    assert token.scope == ApiToken.Scope.READ
    assert token.expires_at is None


def test_the_secret_finds_its_token_and_nothing_else_does(member: User) -> None:
    issued = services.create_token(actor=member, name="Phone app", scope=ApiToken.Scope.READ)

    assert queries.token_for_secret(issued.secret) == issued.token
    assert queries.token_for_secret(issued.secret + "x") is None
    assert queries.token_for_secret("") is None
    assert queries.token_for_secret("x" * 10_000) is None


def test_two_tokens_never_share_a_secret(member: User) -> None:
    first = services.create_token(actor=member, name="One", scope=ApiToken.Scope.READ)
    second = services.create_token(actor=member, name="Two", scope=ApiToken.Scope.READ)

    assert first.secret != second.secret


def test_a_token_needs_a_name(member: User) -> None:
    with pytest.raises(DomainError, match="name"):
        services.create_token(actor=member, name="   ", scope=ApiToken.Scope.READ)
    with pytest.raises(DomainError, match="too long"):
        services.create_token(actor=member, name="x" * 101, scope=ApiToken.Scope.READ)
    assert not ApiToken.objects.exists()


def test_a_token_scope_comes_from_the_list(member: User) -> None:
    with pytest.raises(DomainError):
        services.create_token(actor=member, name="Phone", scope="admin")


def test_a_second_live_token_with_the_same_name_is_refused(member: User) -> None:
    services.create_token(actor=member, name="Phone app", scope=ApiToken.Scope.READ)

    with pytest.raises(Conflict, match="Phone app"):
        services.create_token(actor=member, name=" Phone  app ", scope=ApiToken.Scope.WRITE)
    assert ApiToken.objects.count() == 1


def test_a_revoked_or_expired_token_leaves_its_name_free(member: User) -> None:
    revoked = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)
    services.revoke_token(actor=member, token=revoked.token)
    expiring = services.create_token(
        actor=member,
        name="Script",
        scope=ApiToken.Scope.READ,
        expires_at=timezone.now() + timedelta(days=1),
    )

    services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        services.create_token(actor=member, name="Script", scope=ApiToken.Scope.READ)

    expiring.token.refresh_from_db()
    assert expiring.token.is_revoked
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 2


def test_other_members_may_use_the_same_name(member: User, other_member: User) -> None:
    services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)
    services.create_token(actor=other_member, name="Phone", scope=ApiToken.Scope.READ)

    assert ApiToken.objects.count() == 2


def test_an_expiry_must_be_in_the_future(member: User) -> None:
    with pytest.raises(DomainError, match="future"):
        services.create_token(
            actor=member,
            name="Phone",
            scope=ApiToken.Scope.READ,
            expires_at=timezone.now() - timedelta(minutes=1),
        )


def test_a_member_holds_a_bounded_number_of_live_tokens(member: User) -> None:
    for number in range(services.MAX_LIVE_TOKENS):
        services.create_token(actor=member, name=f"Token {number}", scope=ApiToken.Scope.READ)

    with pytest.raises(Conflict, match="revoke one"):
        services.create_token(actor=member, name="One more", scope=ApiToken.Scope.READ)

    services.revoke_token(actor=member, token=ApiToken.objects.first())  # type: ignore[arg-type]
    services.create_token(actor=member, name="One more", scope=ApiToken.Scope.READ)


def test_making_a_token_needs_the_code_of_conduct_accepted(member: User) -> None:
    member.code_of_conduct_version = 0
    member.save()

    with pytest.raises(DomainError, match="code of conduct"):
        services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)


def test_a_closed_account_makes_no_token(member: User) -> None:
    member.is_active = False
    member.save()

    with pytest.raises(PermissionDenied):
        services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)


def test_only_the_owner_revokes_a_token(member: User, other_member: User) -> None:
    issued = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)

    with pytest.raises(PermissionDenied):
        services.revoke_token(actor=other_member, token=issued.token)
    issued.token.refresh_from_db()
    assert not issued.token.is_revoked


def test_revoking_twice_keeps_the_first_moment(member: User) -> None:
    issued = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)
    first = services.revoke_token(actor=member, token=issued.token)

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        second = services.revoke_token(actor=member, token=issued.token)

    assert second.revoked_at == first.revoked_at


def test_revoking_needs_no_accepted_code_of_conduct(member: User) -> None:
    issued = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)
    member.code_of_conduct_version = 0
    member.save()

    assert services.revoke_token(actor=member, token=issued.token).is_revoked


def test_use_is_recorded_at_most_once_a_minute(member: User) -> None:
    token = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ).token
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        services.record_use(token=token)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        services.record_use(token=token)
    token.refresh_from_db()
    assert token.last_used_at == start

    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        services.record_use(token=token)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(minutes=2)


def test_a_deleted_account_loses_its_tokens(member: User) -> None:
    services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.READ)

    account_services.delete_account(actor=member, member=member)

    assert not ApiToken.objects.exists()


def test_the_data_export_lists_tokens_without_any_secret(member: User) -> None:
    issued = services.create_token(actor=member, name="Phone", scope=ApiToken.Scope.WRITE)
    contributor = next(c for c in registry.contributors() if c.name == "api_tokens")

    exported = contributor.export(member)

    assert exported == [
        {
            "name": "Phone",
            "prefix": issued.token.prefix,
            "scope": "write",
            "created_at": issued.token.created_at.isoformat(),
            "last_used_at": None,
            "expires_at": None,
            "revoked_at": None,
        }
    ]
    assert issued.secret not in str(exported)
    assert issued.token.secret_hash not in str(exported)
