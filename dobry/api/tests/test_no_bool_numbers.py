"""true/false where the API expects a number or an id is a 422, never read as 1 or 0
(`InputSchema`): pydantic's lax mode turned `{"score": true}` into one star and
`{"options": [true]}` into a mark on the option whose id is 1."""

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.api.fields import Id
from dobry.civic.models import Ballot
from dobry.civic.tests.factories import running_vote, verified_resident
from dobry.core.input_schema import InputSchema
from dobry.grants.models import ProjectRating
from dobry.grants.tests.outcomes import finished_project


class _Inner(InputSchema):
    flag: bool = False


class _Body(InputSchema):
    number: int | None = None
    ids: list[Id] = []
    amounts: dict[str, Decimal] = {}
    flag: bool = False
    rows: list[dict[str, Any]] = []
    inner: _Inner | None = None


@pytest.mark.parametrize(
    "body",
    [{"number": True}, {"number": False}, {"ids": [1, True]}, {"amounts": {"5": True}}],
)
def test_a_boolean_for_a_number_is_refused(body):
    with pytest.raises(ValidationError) as refused:
        _Body(**body)
    assert refused.value.errors()[0]["type"] == "int_type"


def test_booleans_where_they_belong_and_numbers_pass():
    body = _Body(
        number=3,
        ids=[1, 2],
        amounts={"5": Decimal("1.5")},
        flag=True,
        rows=[{"done": True}],
        inner={"flag": True},
    )
    assert (body.number, body.ids, body.flag, body.rows, body.inner.flag) == (
        3,
        [1, 2],
        True,
        [{"done": True}],
        True,
    )


@pytest.mark.django_db
def test_a_rating_of_true_is_not_one_star():
    project = finished_project()
    response = bearer(UserFactory()).put(
        f"/api/v1/grant-projects/{project.pk}/rating",
        json.dumps({"score": True}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"score": ["Нужно целое число."]}
    assert not ProjectRating.objects.exists()


@pytest.mark.django_db
def test_a_ballot_of_true_marks_no_option():
    vote = running_vote()
    response = bearer(verified_resident()).post(
        f"/api/v1/votes/{vote.pk}/ballot",
        json.dumps({"options": [True]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Ballot.objects.exists()
