"""Programmes of help: the public catalogue and the monthly records their organisations keep."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dobry.accounts.auth import api_user
from dobry.api.fields import Day, DistrictSlug, Id, Pages, district_by_slug, known_object
from dobry.core.input_schema import InputSchema
from dobry.helprequests import permissions, selectors
from dobry.helprequests.models import Category, Programme, ProgrammeRecord
from dobry.helprequests.services import programmes
from dobry.organizations.models import Organization

router = Router()


class ProgrammeOut(Schema):
    id: int
    organization_id: int
    organization: str
    name: str
    category: str
    target_group: str
    starts_on: date
    ends_on: date | None
    capacity: int | None
    funding: list[str]
    districts: list[str]

    @staticmethod
    def resolve_organization(obj: Programme) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_districts(obj: Programme) -> list[str]:
        return [d.slug for d in obj.districts.all()]


class ProgrammeRecordIn(InputSchema):
    month: Day = Field(description="Any day of the month recorded")
    people: int = Field(
        ge=0,
        le=1_000_000,
        description="People helped in the month (the "
        "service's cap is lower: DOBRY_PROGRAMME_RECORD_MAX_PEOPLE, the population)",
    )
    first_time: int = Field(ge=0, le=1_000_000, description="Of them, first time in the programme")
    note: str = Field("", max_length=2000)


class ProgrammeRecordOut(Schema):
    month: date
    people: int
    first_time: int
    note: str
    confirmed: bool = Field(
        description="confirmed by a coordinator: only confirmed records count in the KPI"
    )

    @staticmethod
    def resolve_confirmed(obj: ProgrammeRecord) -> bool:
        return obj.confirmed_at is not None


class ConfirmIn(InputSchema):
    month: Day = Field(description="Any day of the month whose record is confirmed")


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    auth=None,
    summary="Public catalogue of programmes of help",
)
@paginate(Pages, page_size=50)
def list_programmes(
    request: HttpRequest,
    category: Category | None = None,
    district: DistrictSlug | None = None,
    organization: Id | None = None,
) -> object:
    """The catalogue page's selector: a district includes programmes for the whole city."""
    return selectors.filtered_programmes(
        {
            "category": category,
            "district": district_by_slug(district),
            "organization": known_object(
                Organization.objects.all(), organization, name="organization"
            ),
        }
    )


@router.get(
    "/programmes/{int:pk}/records",
    response=list[ProgrammeRecordOut],
    summary="People a programme helped, month by month, the latest first (its organisation "
    "or coordinators)",
)
@paginate(Pages, page_size=selectors.PROGRAMME_RECORDS_PAGE)
def list_programme_records(request: HttpRequest, pk: int) -> object:
    programme = permissions.get_programme_to_keep(api_user(request), pk)
    return selectors.programme_records(programme)


@router.post(
    "/programmes/{int:pk}/records",
    response=ProgrammeRecordOut,
    summary="Record or correct a month of a programme (its organisation or coordinators); "
    "at most DOBRY_PROGRAMME_RECORD_MAX_PEOPLE people and never more than the population "
    "(422 on `people`); counts in the KPI once a coordinator confirmed it",
)
def save_programme_record(request: HttpRequest, pk: int, payload: ProgrammeRecordIn) -> object:
    user = api_user(request)
    programme = permissions.get_programme_to_keep(user, pk)
    return programmes.programme_record_save(actor=user, programme=programme, **payload.dict())


@router.post(
    "/programmes/{int:pk}/records/confirm",
    response=ProgrammeRecordOut,
    summary="Confirm a month's record so that it counts in the KPI (coordinators)",
)
def confirm_programme_record(request: HttpRequest, pk: int, payload: ConfirmIn) -> object:
    user = api_user(request)
    programme = permissions.get_programme_to_keep(user, pk)
    return programmes.programme_record_confirm(actor=user, programme=programme, month=payload.month)
