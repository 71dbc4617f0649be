from django.http import HttpRequest
from ninja import Router, Schema

from dobry.accounts.auth import api_user

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


@router.get("/me", response=MeOut, summary="The authenticated user, roles and memberships")
def me(request: HttpRequest) -> dict:
    user = api_user(request)
    return {
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
