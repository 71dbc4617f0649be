"""Each civic list costs the same number of queries for one row and for many: the
initiatives list with its map, an initiative's page, the coordinators' desk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from dobry.civic.models import CommentReport
from dobry.civic.tests.factories import (
    CommentFactory,
    InitiativeFactory,
    SupportFactory,
    TeamMemberFactory,
    coordinator,
    district,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _busy(initiative, n: int) -> None:
    for _ in range(n):
        SupportFactory(initiative=initiative)
        TeamMemberFactory(initiative=initiative)
        comment = CommentFactory(initiative=initiative, status="reported")
        CommentReport.objects.create(comment=comment, reporter=comment.author)


def test_the_list_and_the_map(client):
    InitiativeFactory(district=district("Первый"))
    few = queries(client, "/initiatives/")
    for index in range(6):
        _busy(InitiativeFactory(district=district(f"Район {index}")), 2)
    assert queries(client, "/initiatives/") == few
    assert queries(client, "/initiatives/?stage=idea&my_skills=on") <= few


def test_an_initiatives_page(client):
    initiative = InitiativeFactory()
    _busy(initiative, 1)
    few = queries(client, initiative.get_absolute_url())
    _busy(initiative, 8)
    assert queries(client, initiative.get_absolute_url()) == few


def test_the_coordinators_desk():
    staff = login(coordinator())
    _busy(InitiativeFactory(threshold_reached_at=timezone.now()), 1)
    few = queries(staff, "/initiatives/moderation/")
    for _ in range(5):
        _busy(InitiativeFactory(threshold_reached_at=timezone.now()), 2)
    assert queries(staff, "/initiatives/moderation/") == few


def test_the_api_list_and_comments(client):
    first = InitiativeFactory()
    _busy(first, 1)
    few = (
        queries(client, "/api/v1/initiatives"),
        queries(client, f"/api/v1/initiatives/{first.pk}/comments"),
    )
    for _ in range(5):
        _busy(InitiativeFactory(), 2)
    _busy(first, 6)
    assert (
        queries(client, "/api/v1/initiatives"),
        queries(client, f"/api/v1/initiatives/{first.pk}/comments"),
    ) == few
