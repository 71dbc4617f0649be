from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from dobry.accounts.auth import api_user
from dobry.accounts.models import ApiToken

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    organization_id: int
    organization: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    language: str
    roles: list[str]
    is_coordinator: bool
    is_expert: bool
    is_official: bool
    is_platform_admin: bool
    memberships: list[MembershipOut]
    token_expires_at: datetime | None = None


class ApiTokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


@router.get("/me", response=MeOut, summary="The authenticated user, roles and memberships")
def me(request: HttpRequest) -> dict:
    """`token_expires_at`: when the bearer token of this call stops working (null for the
    browser session)."""
    user = api_user(request)
    token: ApiToken | None = getattr(request, "api_token", None)
    return {
        "token_expires_at": token.expires_at if token is not None else None,
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "roles": [
            role
            for role, flag in (
                ("resident", True),
                ("coordinator", user.is_coordinator),
                ("expert", user.is_expert),
                ("official", user.is_official),
                ("admin", user.is_superuser),
            )
            if flag
        ],
        "is_coordinator": user.is_coordinator,
        "is_expert": user.is_expert,
        "is_official": user.is_official,
        "is_platform_admin": user.is_superuser,
        "memberships": [
            {
                "organization_id": m.organization_id,
                "organization": str(m.organization),
                "role": m.role,
            }
            for m in user.memberships.select_related("organization")
        ],
    }


@router.get("/me/tokens", response=list[ApiTokenOut], summary="My API tokens with their expiry")
def my_tokens(request: HttpRequest) -> list[dict]:
    user = api_user(request)
    return [
        {
            "id": t.pk,
            "name": t.name,
            "hint": t.hint,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
            "active": t.is_active,
        }
        for t in user.api_tokens.all()
    ]
