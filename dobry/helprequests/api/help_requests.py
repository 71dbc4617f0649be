"""Asking for help: the public list, a new request, reading, correcting and cancelling one."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import DistrictSlug, Moment, Pages, district_by_slug, sent_fields
from dobry.core.input_schema import InputSchema
from dobry.core.models import District
from dobry.core.text_limits import PHONE, text_limit
from dobry.helprequests import permissions, selectors
from dobry.helprequests.api.schemas import PublicRequestOut, RequestOut, request_out
from dobry.helprequests.models import Category, HealthInfo, HelpRequest
from dobry.helprequests.services import submission

router = Router()


class RequestIn(InputSchema):
    category: Category
    summary: str = Field(min_length=3, max_length=140)
    details: str = Field(min_length=1, max_length=text_limit(HelpRequest, "details"))
    district: str | None = Field(
        None, max_length=text_limit(District, "slug"), description="district slug"
    )
    address: str = Field("", max_length=text_limit(HelpRequest, "address"))
    recipient_name: str = Field(min_length=1, max_length=200)
    recipient_phone: str = Field("", max_length=PHONE)
    asap: bool = False
    wanted_from: Moment | None = None
    wanted_to: Moment | None = None
    recurrence: HelpRequest.Recurrence = HelpRequest.Recurrence.ONCE
    volunteers_needed: int = Field(1, ge=1, le=20)
    needs_car: bool = False
    woman_volunteer: bool = False
    adults_only: bool = False
    relation: HelpRequest.Relation = HelpRequest.Relation.SELF
    health_info: str = Field(
        "",
        max_length=text_limit(HealthInfo, "text"),
        description=(
            "needs the consent of 152-ФЗ art. 10: the requester's written consent (signed "
            "online or on paper) and `health_consent`; for a request a coordinator registers, "
            "the scan of the form the person signed, which only the page accepts (here: 422 "
            "on `consent_scan`)"
        ),
    )
    health_consent: bool = Field(
        False,
        description=(
            "the requester consents to processing the health information of this request "
            "under the current text of the health-data consent (the page's checkbox); "
            "required with `health_info` (422 on `health_consent` without it)"
        ),
    )
    health_on_behalf: bool = Field(
        False,
        description=(
            "asking for someone else (`relation` other than `self`), the requester confirms "
            "being that person's legal representative or having their consent to pass on "
            "their health information (the page's second checkbox); required then with "
            "`health_info` (422 on `health_on_behalf` without it)"
        ),
    )


class RequestPatch(InputSchema):
    """Only the fields sent are changed (health information is not edited here). `None`
    means "not sent"; only the district and the time window may be cleared with null."""

    category: Category | None = None
    summary: str | None = Field(None, min_length=3, max_length=140)
    details: str | None = Field(None, min_length=1, max_length=text_limit(HelpRequest, "details"))
    district: str | None = Field(
        None,
        max_length=text_limit(District, "slug"),
        description="district slug; empty string clears it",
    )
    address: str | None = Field(None, max_length=text_limit(HelpRequest, "address"))
    recipient_name: str | None = Field(None, min_length=1, max_length=200)
    recipient_phone: str | None = Field(None, max_length=PHONE)
    asap: bool | None = None
    wanted_from: Moment | None = None
    wanted_to: Moment | None = None
    recurrence: HelpRequest.Recurrence | None = None
    volunteers_needed: int | None = Field(None, ge=1, le=20)
    needs_car: bool | None = None
    woman_volunteer: bool | None = None
    adults_only: bool | None = None
    relation: HelpRequest.Relation | None = None


class CancelIn(InputSchema):
    reason: str = Field("", max_length=text_limit(HelpRequest, "reason"))


@router.get(
    "/help-requests/public",
    response=list[PublicRequestOut],
    auth=None,
    summary="Open requests: summaries only",
)
@paginate(Pages, page_size=50)
def public_requests(
    request: HttpRequest, category: Category | None = None, district: DistrictSlug | None = None
) -> object:
    # an unknown district slug is refused (422), as the programmes' catalogue does
    return selectors.public_requests(
        {"category": category, "district": district_by_slug(district) if district else None}
    )


@router.post(
    "/help-requests", response={201: RequestOut}, summary="Ask for help (requester or coordinator)"
)
def create_request(request: HttpRequest, payload: RequestIn) -> Status[dict]:
    user = api_user(request)
    data = payload.dict()
    health_info = data.pop("health_info")
    health_consent = data.pop("health_consent")
    health_on_behalf = data.pop("health_on_behalf")
    data["district"] = district_by_slug(data.pop("district"))
    # The same service as the page: health information needs `health_consent`, as the page
    # needs its checkbox; a JSON body carries no scan, so a coordinator's health data is
    # refused on `consent_scan` (422).
    created = submission.request_submit(
        requester=user,
        fields=data,
        health_info=health_info,
        health_consent=health_consent,
        health_on_behalf=health_on_behalf,
    )
    return Status(201, request_out(user, created))


@router.get(
    "/help-requests/{int:pk}",
    response=RequestOut,
    auth=OPTIONAL_AUTH,
    summary="A request, fields visible by role; anonymous readers get a public request's "
    "summary as its page shows it (404 for any other, as the page)",
)
def get_request(request: HttpRequest, pk: int) -> dict:
    # the page's rule: `permissions.get_request_for_user` for anyone, signed in or not
    user = api_viewer(request)
    return request_out(user, permissions.get_request_for_user(user, pk))


@router.post(
    "/help-requests/{int:pk}/private",
    response=RequestOut,
    summary="Read the recipient's private fields and health data (an explicit, audited step)",
    description="The request with `private` (name, phone, address, details) for those who "
    "may see them, and `health_info` for coordinators and the accepted volunteer while the "
    "task is active. A coordinator's reading of someone else's request and every reading of "
    "health data write an audit entry, so this is a POST: a GET never returns them to a "
    "reader whose reading is audited. 403 for those who may not see the recipient's data.",
)
def reveal_private(request: HttpRequest, pk: int) -> dict:
    user = api_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    decision = permissions.can_see_private(user, help_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    return request_out(user, help_request, reveal=True)


@router.patch(
    "/help-requests/{int:pk}",
    response=RequestOut,
    summary="Correct a request (coordinator; the requester while new or waiting)",
)
def update_request(request: HttpRequest, pk: int, payload: RequestPatch) -> dict:
    user = api_user(request)
    help_request = permissions.get_request_to_edit(user, pk)
    fields = sent_fields(payload, nullable={"district", "wanted_from", "wanted_to"})
    if "district" in fields:
        fields["district"] = district_by_slug(fields["district"])
    return request_out(
        user, submission.request_update(actor=user, help_request=help_request, fields=fields)
    )


@router.post(
    "/help-requests/{int:pk}/cancel",
    response=RequestOut,
    summary="Cancel one's own request until help has started (the requester)",
)
def cancel_request(request: HttpRequest, pk: int, payload: CancelIn) -> dict:
    user = api_user(request)
    help_request = permissions.get_request_to_cancel(user, pk)
    return request_out(
        user, submission.request_cancel(user=user, help_request=help_request, reason=payload.reason)
    )
