"""Money in one format wherever the API answers it (issue 12): a string with two decimals,
«200000.00», «0.00» — `dobry.api.fields.Money`. Competition results mixed «0» (a grant of
nothing, a sum started at zero) with «200000.00» (a column).

The sweep walks every schema the API answers with: a decimal there is `Money` or named
below as no money, with what it is."""

import re
import types
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from django.test import Client
from django.utils.module_loading import autodiscover_modules
from ninja import FilterSchema, Schema

from dobry.api.fields import MONEY_SCHEMA
from dobry.core.input_schema import InputSchema
from dobry.core.numbers import money_text
from dobry.grants.tests.test_results_open_data import published  # noqa: F401 (a fixture)

MONEY = re.compile(r"^-?[0-9]+\.[0-9]{2}$")

# Decimals the API answers that are not money, each with what it is.
NOT_MONEY = {
    "VoteOut.criterion_points": "points of a competition's criterion",
    "VoteDetailOut.criterion_points": "points of a competition's criterion",
    "RankedOut.expert_score": "points: the mean of the experts' totals",
    "RankedOut.residents_points": "points of the criterion «Народная поддержка»",
    "RankedOut.residents_share": "a percentage of a vote's ballots",
    "TallyRowOut.share": "a percentage of the ballots",
    "GrantProjectRatingsOut.average": "stars, the average of residents' ratings",
    "QrQuery.sum": "a query parameter, not an answer: the sum a donor chose, roubles as typed",
    "CriterionOut.weight": "a criterion's weight in the total score",
    "CompetitionOut.divergence_percent": "a percentage of the scale",
    "CompetitionOut.passing_score": "a score",
    "CompetitionOut.lottery_min_score": "a score",
    "ApplicationOut.score": "a score",
    "ExpertTotalOut.total": "an expert's score",
    "RankedOut.score": "a score",
    "ResultRowOut.score": "a score",
    "ReviewOut.total": "a review's score",
    "OtherReviewOut.total": "a review's score",
    "HoursOut.hours": "hours",
    "HoursOut.claimed_hours": "hours",
    "HoursSummary.confirmed_total": "hours",
    "HoursSummary.pending_total": "hours",
    "PendingHoursOut.hours": "hours",
    "PendingHoursOut.claimed_hours": "hours",
    "HoursEntryOut.hours": "hours",
    "HoursEntryOut.claimed_hours": "hours",
    "ReportOut.hours": "hours of help",
    "FigureOut.value": "a KPI's value: a count or a percentage",
    "FigureOut.previous": "a KPI's value: a count or a percentage",
    "FigureOut.target": "a KPI's target: a count or a percentage",
    "EconomicOut.inputs": "hours, a rate per hour, roubles and people together",
}


def _output_schemas() -> list[type[Schema]]:
    autodiscover_modules("api")
    found, pending = [], list(Schema.__subclasses__())
    while pending:
        schema = pending.pop()
        pending.extend(schema.__subclasses__())
        if not schema.__module__.startswith("dobry.") or ".tests" in schema.__module__:
            continue
        if issubclass(schema, InputSchema | FilterSchema):
            continue
        found.append(schema)
    return found


def _decimal_kinds(annotation: Any) -> set[str]:
    """{"money"} or {"decimal"} (or both, or none) for the decimals inside `annotation`."""
    if get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        if base is Decimal:
            return {"money" if any(m is MONEY_SCHEMA for m in metadata) else "decimal"}
        return _decimal_kinds(base)
    if annotation is Decimal:
        return {"decimal"}
    if get_origin(annotation) in (Union, types.UnionType, list, dict, tuple, set):
        return set().union(*(_decimal_kinds(arg) for arg in get_args(annotation)))
    return set()


def _field_kinds(schema: type[Schema], name: str, field: Any) -> set[str]:
    kinds = _decimal_kinds(field.annotation)
    if field.annotation is Decimal and any(m is MONEY_SCHEMA for m in field.metadata):
        kinds = {"money"}
    return kinds


def test_the_walk_finds_the_answers_schemas():
    names = {schema.__name__ for schema in _output_schemas()}
    assert {"ResultsOut", "CompetitionOut", "ApplicationOut", "HoursOut"} <= names


def test_every_decimal_the_api_answers_is_money_or_named_as_no_money():
    plain, named_money = [], []
    for schema in _output_schemas():
        for name, field in schema.model_fields.items():
            kinds = _field_kinds(schema, name, field)
            key = f"{schema.__name__}.{name}"
            if "decimal" in kinds and key not in NOT_MONEY:
                plain.append(key)
            if "money" in kinds and key in NOT_MONEY:
                named_money.append(key)
    assert plain == [], "money: annotate as api.fields.Money; else name it in NOT_MONEY"
    assert named_money == []


@pytest.mark.django_db
def test_money_fields_are_documented_with_their_format():
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    money = {
        f"{name}.{prop}"
        for name, schema in schemas.items()
        for prop, spec in schema.get("properties", {}).items()
        if spec.get("format") == "money"
        or any(option.get("format") == "money" for option in spec.get("anyOf", []))
    }
    assert {
        "ResultsOut.budget",
        "ResultsOut.awarded_total",
        "ResultRowOut.awarded",
        "ApplicationOut.requested_amount",
        "CompetitionOut.budget",
    } <= money


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal(0), "0.00"), (200000, "200000.00"), (Decimal("1.5"), "1.50"), ("5E+3", "5000.00")],
)
def test_money_is_written_with_two_decimals(value, text):
    assert money_text(value) == text


def _sums(data: dict) -> list[str]:
    rows = data["applications"]
    return [data["budget"], data["awarded_total"]] + [
        row[name] for row in rows for name in ("requested", "awarded")
    ]


@pytest.mark.django_db
def test_results_give_every_sum_in_the_one_format_api_and_open_data_alike(published):  # noqa: F811
    competition, _made = published
    api = Client().get(f"/api/v1/competitions/{competition.pk}/results").json()
    open_data = Client().get(f"/grants/{competition.pk}/results.json").json()
    for data in (api, open_data):
        sums = _sums(data)
        assert all(MONEY.fullmatch(text) for text in sums), sums
        assert data["applications"][-1]["awarded"] == "0.00"  # «Третий» got nothing
        assert data["awarded_total"] == "300000.00"
    assert _sums(api) == _sums(open_data)
