"""Subscriptions and the suppression list through the API: one's own kinds, unsubscribing
by a signed token (no login), and the list for coordinators. The same services and
permission functions as the pages (`suppression_views`)."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dobry.accounts.auth import api_user
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Pages
from dobry.communications import permissions
from dobry.communications.models import Suppression, Unsubscription, normalise_email
from dobry.communications.suppression_views import kind_choices, suppression_list_for
from dobry.communications.unsubscribe import (
    read_token,
    subscriptions_set,
    suppression_keys,
    suppression_remove,
    unsubscribe_all,
)
from dobry.core.errors import DomainError
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit

router = Router(tags=["subscriptions"])

Kind = Annotated[
    str, StringConstraints(min_length=1, max_length=text_limit(Unsubscription, "kind"))
]
Token = Annotated[
    str, StringConstraints(min_length=1, max_length=500, pattern=r"^[A-Za-z0-9_:.\-]+$")
]


class SubscriptionOut(Schema):
    kind: str
    label: str
    subscribed: bool


class SubscriptionsOut(Schema):
    suppressed: bool = Field(description="on the city-wide list: nothing but transactional mail")
    reason: str | None = Field(description="why, when suppressed")
    kinds: list[SubscriptionOut]


class SubscriptionsIn(InputSchema):
    kinds: dict[Kind, bool] = Field(
        description="kind → keep receiving it; a person unsubscribed from everything by "
        "themselves is subscribed again to what they keep"
    )


class UnsubscribeIn(InputSchema):
    token: Token = Field(description="the signed token of an unsubscribe link (`/u/<token>/`)")


class UnsubscribedOut(Schema):
    unsubscribed: bool


class SuppressionOut(Schema):
    id: int
    email: str
    reason: Suppression.Reason
    source: str
    created_at: datetime


class SuppressionFilters(Schema):
    q: str = Field("", max_length=254, description="a part of the address")
    reason: Suppression.Reason | None = None


class RemoveIn(InputSchema):
    why: Annotated[str, StringConstraints(min_length=1, max_length=500)]


def _subscriptions(email: str) -> dict:
    email = normalise_email(email)
    suppression = Suppression.objects.filter(email__in=suppression_keys(email)).first()
    dropped = set(Unsubscription.objects.filter(email=email).values_list("kind", flat=True))
    return {
        "suppressed": suppression is not None,
        "reason": suppression.reason if suppression else None,
        "kinds": [
            {"kind": key, "label": label, "subscribed": key not in dropped}
            for key, label in kind_choices(email)
        ],
    }


@router.get("/me/subscriptions", response=SubscriptionsOut, summary="Which kinds of email I get")
def my_subscriptions(request: HttpRequest) -> dict:
    return _subscriptions(api_user(request).email)


@router.patch("/me/subscriptions", response=SubscriptionsOut, summary="Keep or drop kinds of email")
def update_subscriptions(request: HttpRequest, payload: SubscriptionsIn) -> dict:
    user = api_user(request)
    known = {key for key, _label in kind_choices(user.email)}
    unknown = sorted(set(payload.kinds) - known)
    if unknown:
        raise DomainError(
            _("Проверьте данные."),
            field_errors={f"kinds.{kind}": [_("Выберите из списка.")] for kind in unknown},
        )
    subscriptions_set(address=user.email, keep=payload.kinds)
    return _subscriptions(user.email)


@router.post(
    "/unsubscribe",
    response=UnsubscribedOut,
    auth=OPTIONAL_AUTH,
    summary="Unsubscribe the address of a signed token from everything (no login)",
)
def unsubscribe_by_token(request: HttpRequest, payload: UnsubscribeIn) -> dict:
    try:
        target = read_token(payload.token)
    except DomainError:
        raise Http404 from None  # a forged token names nobody
    unsubscribe_all(target)
    return {"unsubscribed": True}


@router.get(
    "/suppressions",
    response=list[SuppressionOut],
    summary="The city-wide suppression list (coordinators)",
)
@paginate(Pages, page_size=50)
def list_suppressions(request: HttpRequest, filters: Query[SuppressionFilters]) -> object:
    if not permissions.can_manage_suppressions(api_user(request)):
        raise PermissionDenied
    return suppression_list_for(filters.q, filters.reason or "")


@router.post(
    "/suppressions/{int:pk}/remove",
    response={204: None},
    summary="Take an address off the suppression list, saying why (coordinators; audited)",
)
def remove_suppression(request: HttpRequest, pk: int, payload: RemoveIn) -> Status[None]:
    user = api_user(request)
    suppression = permissions.get_suppression_for_user(user, pk)
    suppression_remove(actor=user, suppression=suppression, why=payload.why)
    return Status(204, None)
