"""Reading request bodies the same way in every app: what a PATCH sent, districts given by
their slug, and the schema types for ids, amounts and dates that every input schema uses
(the API side of `dobry.core.request_values`: dates in the accepted range, ids that fit a
64-bit column, amounts in digits 0–9)."""

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import (
    AfterValidator,
    AliasChoices,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from dobry.accounts.auth import api_viewer
from dobry.core import references
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.core.models import District
from dobry.core.numbers import money_text
from dobry.core.request_values import (
    FIRST_BIRTH_DATE,
    MAX_ID,
    MAX_PAGE,
    date_range_error,
    has_only_ascii_digits,
    moment_range_error,
    parse_decimal,
)
from dobry.core.text_limits import text_limit

M = TypeVar("M", bound=Model)


def _day_in_range(value: date) -> date:
    message = date_range_error(value)
    if message:
        raise ValueError(message)
    return value


def _historical_day_in_range(value: date) -> date:
    message = date_range_error(value, first=FIRST_BIRTH_DATE)
    if message:
        raise ValueError(message)
    return value


def _moment_in_range(value: datetime) -> datetime:
    """A moment in range, aware: one sent without an offset is the city's wall clock, as a
    form's date and time are (a naive moment would break every comparison with now)."""
    message = moment_range_error(value)
    if message:
        raise ValueError(message)
    return value if timezone.is_aware(value) else timezone.make_aware(value, city_zone())


def _ascii_digits(value: Any) -> Any:
    if isinstance(value, str) and not has_only_ascii_digits(value):
        raise ValueError(_("Нужно число, записанное цифрами 0–9."))
    return value


# A date of an event, shift, request, booking, record or period: 1990-01-01…2100-12-31.
Day = Annotated[date, BeforeValidator(_ascii_digits), AfterValidator(_day_in_range)]
# A moment whose local date is in the same range; without an offset, the city's local time.
Moment = Annotated[datetime, BeforeValidator(_ascii_digits), AfterValidator(_moment_in_range)]
# A date of birth or foundation: from 1900.
HistoricalDay = Annotated[
    date, BeforeValidator(_ascii_digits), AfterValidator(_historical_day_in_range)
]
# The id of an object given in a body or a query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _decimal_text(value: Any) -> Any:
    """A number sent as a string is read as the forms read it (`parse_decimal`: «1,5» as
    well as «1.5»), and what a form refuses is refused here too."""
    value = _ascii_digits(value)
    if isinstance(value, str):
        try:
            return parse_decimal(value)
        except ValueError:
            raise ValueError(_("Нужно число.")) from None
    return value


# Every sum or measure a request writes is kept with two decimals (kopecks, hundredths of
# an hour, of a point): a finer one would be rounded by the database without a word —
# «0,001 ₽» passed a «more than zero» check and was kept as 0.00 — and the pages' decimal
# fields refuse it too.
AMOUNT_PLACES = 2


def _kept_places(value: Decimal) -> Decimal:
    """Refuse a number with a non-zero digit past the second decimal place (trailing zeros,
    «1,500», are no such digit)."""
    _sign, digits, exponent = value.as_tuple()
    past_places = digits[exponent + AMOUNT_PLACES :] if isinstance(exponent, int) else ()
    if isinstance(exponent, int) and exponent < -AMOUNT_PLACES and any(past_places):
        raise ValueError(_("Не больше двух знаков после запятой."))
    return value


# A sum or a measure, a JSON number or a string as typed in a form: «1,5», «12 500,50».
# pydantic's Decimal alone would read «٣» as 3 and refuse «1,5».
Amount = Annotated[Decimal, BeforeValidator(_decimal_text), AfterValidator(_kept_places)]
# A sum of money the API answers: a string with two decimals, «200000.00», «0.00»
# (`core.numbers.money_text`) — one format for every money field, whatever scale the
# database or a sum gave (`api/tests/test_money.py` fails on an answered decimal that is
# neither this nor named as no money).
MONEY_SCHEMA = WithJsonSchema(
    {
        "type": "string",
        "format": "money",
        "pattern": r"^-?[0-9]+\.[0-9]{2}$",
        "description": "roubles, two decimals after a point: «200000.00»",
    }
)
Money = Annotated[Decimal, PlainSerializer(money_text, return_type=str), MONEY_SCHEMA]
# Words to search for, as long as the pages' search fields take (a query string, not a text).
SEARCH_LENGTH = 200
SearchText = Annotated[str, StringConstraints(max_length=SEARCH_LENGTH)]
# A district named by its slug in a query (an unknown one is refused by `district_by_slug`).
DistrictSlug = Annotated[
    str, StringConstraints(max_length=text_limit(District, "slug"), pattern=r"^[-a-zA-Z0-9_]+$")
]


def nested(path: str, **kwargs: Any) -> Any:
    """An output field read through a relation (`nested("district.slug")`), null without the
    related object. Read from an object by the path and from a dict by the field's own name:
    an answer built from another schema's dict (`RequestOut` from `PublicRequestOut(…).dict()`)
    carries `district`, not `district.slug` (a bare `alias="district.slug"` answered null)."""
    return Field(None, validation_alias=AliasChoices(path, path.split(".", 1)[0]), **kwargs)


def sent_fields(payload: Schema, nullable: Collection[str] = ()) -> dict[str, Any]:
    """The fields a PATCH body sent. Null clears only the fields named `nullable`; for any
    other it is refused (422) rather than reaching a NOT NULL column."""
    fields = payload.dict(exclude_unset=True)
    refused = sorted(
        name for name, value in fields.items() if value is None and name not in nullable
    )
    if refused:
        raise DomainError(
            _("Эти поля нельзя очистить."),
            field_errors={name: [_("Пустое значение не допускается.")] for name in refused},
        )
    return fields


def known_object(queryset: "QuerySet[M]", pk: int | None, *, name: str) -> M | None:
    """The object of `queryset` that a filter names by id; None when none is given. An id
    naming nothing `queryset` offers is a 422 naming the parameter — as the page's filter
    form refuses it — never a silently empty list."""
    return _one_of(queryset, pk, name=name, summary=_("Проверьте фильтры."))


def chosen_object(queryset: "QuerySet[M]", pk: int | None, *, name: str) -> M | None:
    """The object of `queryset` that a body field names by id (a campaign a donation goes
    to, the organisation a pledge is made for); None when none is given. An id naming nothing
    `queryset` offers is a 422 at the field, with the body's summary «Проверьте данные.»
    (`known_object` is for filters)."""
    return _one_of(queryset, pk, name=name, summary=_("Проверьте данные."))


def _one_of(queryset: "QuerySet[M]", pk: int | None, *, name: str, summary: str) -> M | None:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DomainError(summary, field_errors={name: [_("Нет такого объекта в списке.")]})
    return found


def district_by_slug(slug: str | None) -> District | None:
    """A district from its slug; empty means none, an unknown slug is a 422."""
    if not slug:
        return None
    district = District.objects.filter(slug=slug).first()
    if district is None:
        raise DomainError(
            _("Неизвестный район."), field_errors={"district": [_("Неизвестный код района.")]}
        )
    return district


def districts_by_slug(slugs: Collection[str], field: str = "districts") -> list[District]:
    """Districts from their slugs, in the order given; an unknown slug is a 422 on `field`."""
    found = {district.slug: district for district in District.objects.filter(slug__in=slugs)}
    if set(slugs) - set(found):
        raise DomainError(
            _("Неизвестный район."), field_errors={field: [_("Неизвестный код района.")]}
        )
    return [found[slug] for slug in dict.fromkeys(slugs)]


class Pages(PageNumberPagination):
    """Page-numbered lists of the API: `page` from 1 to `MAX_PAGE` (past the last page an
    empty list; beyond `MAX_PAGE` a 422 rather than an offset no database takes)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)

    def __init__(
        self,
        *,
        links: Sequence[str] = (),
        then: Callable[[list[Any], HttpRequest], list[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`links`: the `ReferenceField`s of the listed objects to resolve for the caller,
        the page at once (`@paginate(Pages, links=["source"])`, see `api/references.py`).
        `then`: what to do with the objects of the page only, once it is cut (read what
        is audited for the rows shown, not for the whole list); it returns the rows."""
        super().__init__(**kwargs)
        self.links = tuple(links)
        self.then = then

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        if self.links or self.then:
            items = list(result[self.items_attribute])
            for name in self.links:
                references.attach(items, name, api_viewer(request))
            if self.then:
                items = self.then(items, request)
            result[self.items_attribute] = items
        return result
