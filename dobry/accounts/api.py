from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from dobry.accounts import selectors, services
from dobry.accounts.auth import api_user
from dobry.accounts.models import ApiToken, ConsentDocument, ConsentRecord
from dobry.core.client_ip import client_ip
from dobry.core.input_schema import InputSchema

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


@router.get(
    "/me/tokens",
    response=list[ApiTokenOut],
    summary="My API tokens with their expiry: the active ones, then the newest revoked or "
    "expired (50 at most, not paged)",
)
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
        for t in selectors.api_tokens(user)
    ]


class ProfileIn(InputSchema):
    """Only the fields sent change; an empty phone removes it."""

    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    middle_name: str | None = Field(None, max_length=150)
    phone: str | None = Field(None, max_length=40)
    language: str | None = Field(None, max_length=10)


@router.patch("/me", response=MeOut, summary="Change my name, phone or language")
def me_update(request: HttpRequest, payload: ProfileIn) -> dict:
    """The same rules as the profile page (`accounts.services.profile_update`): a phone is
    kept as +7XXXXXXXXXX; a wrong phone or language is a 422 naming the field."""
    user = api_user(request)
    services.user_profile_update(
        user=user, fields=payload.dict(exclude_unset=True, exclude_none=True)
    )
    return me(request)


class ConsentOut(Schema):
    id: int
    kind: str
    title: str
    version: int
    method: str
    accepted_at: datetime
    withdrawn_at: datetime | None
    active: bool

    @staticmethod
    def resolve_kind(record: ConsentRecord) -> str:
        return record.document.kind

    @staticmethod
    def resolve_title(record: ConsentRecord) -> str:
        return record.document.shown_title

    @staticmethod
    def resolve_version(record: ConsentRecord) -> int:
        return record.document.version

    @staticmethod
    def resolve_active(record: ConsentRecord) -> bool:
        return record.is_active


class ConsentTextOut(Schema):
    kind: str
    title: str
    version: int
    written: bool
    required: bool

    @staticmethod
    def resolve_written(document: ConsentDocument) -> bool:
        return document.kind in ConsentDocument.WRITTEN

    @staticmethod
    def resolve_required(document: ConsentDocument) -> bool:
        return document.kind in ConsentDocument.REQUIRED_AT_SIGNUP


class ConsentsOut(Schema):
    records: list[ConsentOut]
    missing: list[ConsentTextOut]


class ConsentCodeIn(InputSchema):
    code: str = Field(max_length=20)


@router.get("/me/consents", response=ConsentsOut, summary="My consents and those not given")
def my_consents(request: HttpRequest) -> dict:
    """`records`: every consent given, withdrawn ones too; `missing`: the current text of
    each kind without an active consent (`written`: signed with an emailed code or on paper,
    152-ФЗ art. 9 p. 4)."""
    overview = selectors.consent_overview(api_user(request))
    return {"records": overview.records, "missing": overview.missing}


@router.post(
    "/me/consents/{kind}", response={201: ConsentOut}, summary="Give a consent by ticking it"
)
def consent_give(request: HttpRequest, kind: ConsentDocument.Kind) -> Status:
    """The current version of the text; a written kind is a 422 (sign it with a code)."""
    record = services.consent_accept(
        user=api_user(request), kind=kind, ip_address=client_ip(request)
    )
    return Status(201, record)


@router.post(
    "/me/consents/{kind}/code",
    response={202: None},
    summary="Email me a code to sign a written consent",
)
def consent_code(request: HttpRequest, kind: ConsentDocument.Kind) -> Status:
    """A six-digit code valid 15 minutes goes to the confirmed email (429 when asked too
    often); a kind given by ticking is a 422."""
    services.consent_code_send(user=api_user(request), kind=kind)
    return Status(202, None)


@router.post(
    "/me/consents/{kind}/signature",
    response={201: ConsentOut},
    summary="Sign a written consent with the emailed code",
)
def consent_sign(
    request: HttpRequest, kind: ConsentDocument.Kind, payload: ConsentCodeIn
) -> Status:
    """A simple electronic signature (63-ФЗ art. 6 p. 2); a wrong or used code is a 422."""
    record = services.consent_sign_with_code(
        user=api_user(request), kind=kind, code=payload.code, ip_address=client_ip(request)
    )
    return Status(201, record)


@router.post(
    "/me/consent-records/{int:pk}/withdraw", response=ConsentOut, summary="Withdraw a consent"
)
def consent_withdraw(request: HttpRequest, pk: int) -> ConsentRecord:
    """The data kept under it is erased; a consent required for the account is a 422
    (delete the account instead)."""
    user = api_user(request)
    record = get_object_or_404(ConsentRecord.objects.select_related("document"), pk=pk, user=user)
    return services.consent_withdraw(user=user, record=record)
