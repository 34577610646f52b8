"""The caller: who the API takes them for, and with which token."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema

from contrechamp.api import auth
from contrechamp.api.errors import documented
from contrechamp.api.models import ApiToken
from contrechamp.api.schemas import listed

router = Router(tags=["Me"])

TokenScope = Annotated[ApiToken.Scope, listed(ApiToken.Scope)]


class TokenOut(Schema):
    name: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None


class MeOut(Schema):
    username: str
    name: str
    city: str
    token: TokenOut | None = Field(description="The token used; null for a browser session.")


@router.get("/me", auth=auth.MEMBERS, response={200: MeOut, **documented(401)})
def me(request: HttpRequest) -> MeOut:
    """The member behind the credentials, and the token they came with: a way for an app
    to check a token."""
    caller = auth.caller(request)
    member = auth.member(request)
    token = caller.token
    return MeOut(
        username=member.username,
        name=member.public_name,
        city=member.city_name,
        token=TokenOut.model_validate(token) if token is not None else None,
    )
