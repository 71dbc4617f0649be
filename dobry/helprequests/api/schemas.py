"""What the help requests' operations answer with a request: its fields as the reader's
role allows (the same rules as the pages), and the access every desk operation starts with."""

from contextlib import suppress
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Schema

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import nested
from dobry.core.permissions import Actor
from dobry.helprequests import permissions
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import private_data


class PublicRequestOut(Schema):
    id: int
    category: str
    summary: str
    district: str | None = nested("district.slug")
    status: str
    priority: int
    created_at: datetime

    @staticmethod
    def resolve_summary(obj: HelpRequest | dict) -> str:
        # a request as the reader's language says it; `request_out`'s dict has it already
        return obj["summary"] if isinstance(obj, dict) else obj.summary_text


class PrivateFields(Schema):
    recipient_name: str
    recipient_phone: str
    address: str
    details: str
    asap: bool
    wanted_from: datetime | None
    wanted_to: datetime | None
    volunteers_needed: int
    needs_car: bool
    woman_volunteer: bool
    adults_only: bool


class RequestOut(PublicRequestOut):
    private: PrivateFields | None = Field(
        None,
        description="the recipient's name, phone, address and details: in a plain answer "
        "(a GET, a change) only to those who may see them and whose reading is not audited "
        "(the person who asked; the staff of the programme it was routed to while it is "
        "open; the accepted volunteer while the task is active). Coordinators get them from "
        "`POST /help-requests/{id}/private`, which writes the audit entry; null otherwise",
    )
    health_info: str | None = Field(
        None,
        description="health and disability data: only in the answer of "
        "`POST /help-requests/{id}/private`, to coordinators and the accepted volunteer while "
        "the task is active, each reading audited; never in a GET; null otherwise",
    )
    programme_id: int | None = Field(
        None,
        description="the programme it was handed to; shown to those who work the request "
        "(coordinators and that programme's staff)",
    )


def handler(request: HttpRequest, pk: int) -> tuple[User, HelpRequest]:
    user = api_user(request)
    return user, permissions.get_request_to_handle(user, pk)


def request_out(user: Actor, help_request: HelpRequest, *, reveal: bool = False) -> dict:
    """Field visibility by role: the same rule as the pages (`permissions.private_on_get`).
    `reveal` is the explicit step of `POST /help-requests/{id}/private`: the recipient's
    fields for anyone who may see them and the health data for those who may, each reading
    audited by the service that reads it."""
    data = PublicRequestOut.from_orm(help_request).dict()
    if private_data.private_fields_shown(user=user, help_request=help_request, reveal=reveal):
        data["private"] = PrivateFields.from_orm(help_request).dict()
    if reveal and help_request.has_health_info and isinstance(user, User):
        with suppress(PermissionDenied):  # the service decides, and audits the read
            data["health_info"] = private_data.health_info_read(
                user=user, help_request=help_request
            )
    if help_request.programme_id and permissions.can_handle(user, help_request):
        data["programme_id"] = help_request.programme_id
    return data
