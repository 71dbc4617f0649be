"""A support taken back and a place in a team left are kept, marked withdrawn: what counts
now (the page, the list, the API, the threshold, a team member's rights) leaves them out;
the record of who supported or worked in a past period stays (indicator 3 reads it:
`reports/tests/test_civic_figures.py`). Supporting or joining again is a new row."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from conftest import login
from dobry.accounts import personal_data
from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.civic import permissions
from dobry.civic.models import Initiative, Support, TeamMember
from dobry.civic.services.people import (
    support_add,
    support_count,
    support_remove,
    team_join,
    team_leave,
)
from dobry.civic.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def test_a_support_taken_back_is_kept_as_withdrawn_and_not_counted_now():
    initiative = InitiativeFactory()
    mine, theirs = UserFactory(), UserFactory()
    support_add(actor=mine, initiative=initiative)
    support_add(actor=theirs, initiative=initiative)
    support_remove(actor=mine, initiative=initiative)
    withdrawn = Support.objects.get(user=mine)
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_at >= withdrawn.created_at
    assert Support.objects.get(user=theirs).withdrawn_at is None
    assert support_count(initiative) == 1
    assert Initiative.objects.with_counts().get(pk=initiative.pk).support_count == 1


def test_supporting_again_after_taking_back_is_a_new_support():
    initiative = InitiativeFactory()
    resident = UserFactory()
    first = support_add(actor=resident, initiative=initiative)
    support_remove(actor=resident, initiative=initiative)
    second = support_add(actor=resident, initiative=initiative)
    assert second.pk != first.pk
    assert support_count(initiative) == 1
    assert Support.objects.filter(user=resident).count() == 2
    support_remove(actor=resident, initiative=initiative)
    assert support_count(initiative) == 0
    assert Support.objects.filter(user=resident, withdrawn_at__isnull=False).count() == 2


def test_the_database_holds_one_current_support_but_keeps_the_withdrawn_beside_it():
    initiative = InitiativeFactory()
    resident = UserFactory()
    support_add(actor=resident, initiative=initiative)
    support_remove(actor=resident, initiative=initiative)
    Support.objects.create(initiative=initiative, user=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(initiative=initiative, user=resident)


def test_the_page_the_list_and_the_api_count_current_supports_only():
    initiative = InitiativeFactory(title="Сквер у пруда")
    resident = UserFactory()
    support_add(actor=resident, initiative=initiative)
    support_add(actor=UserFactory(), initiative=initiative)
    support_remove(actor=resident, initiative=initiative)
    detail = Client().get(f"/api/v1/initiatives/{initiative.pk}").json()
    assert detail["support_count"] == 1
    listed = Client().get("/api/v1/initiatives").json()["items"]
    assert [row["support_count"] for row in listed if row["id"] == initiative.pk] == [1]
    mine = login(resident).get(f"/api/v1/initiatives/{initiative.pk}").json()
    assert mine["supported"] is False


def test_a_team_member_who_left_is_kept_as_withdrawn_and_loses_the_members_rights():
    initiative = InitiativeFactory()
    member = UserFactory(first_name="Олег", last_name="Сизов")
    team_join(actor=member, initiative=initiative, role="держу стремянку")
    assert permissions.can_post_result(member, initiative)
    team_leave(actor=member, initiative=initiative)
    place = TeamMember.objects.get(user=member)
    assert place.withdrawn_at is not None
    assert place.role == "держу стремянку"
    assert not permissions.is_team_member(member, initiative)
    assert not permissions.can_post_result(member, initiative)
    assert Initiative.objects.with_counts().get(pk=initiative.pk).team_count == 0
    page = Client().get(initiative.get_absolute_url()).content.decode()
    assert "держу стремянку" not in page
    assert Client().get(f"/api/v1/initiatives/{initiative.pk}").json()["team"] == []


def test_joining_again_after_leaving_is_a_new_place_and_a_second_join_changes_the_role():
    initiative = InitiativeFactory()
    resident = UserFactory()
    first = team_join(actor=resident, initiative=initiative, role="макет")
    team_leave(actor=resident, initiative=initiative)
    second = team_join(actor=resident, initiative=initiative, role="фото")
    changed = team_join(actor=resident, initiative=initiative, role="видео")
    assert second.pk != first.pk
    assert changed.pk == second.pk
    assert list(TeamMember.objects.current().values_list("role", flat=True)) == ["видео"]
    assert TeamMember.objects.get(pk=first.pk).role == "макет"
    assert permissions.is_team_member(resident, initiative)


def test_the_export_shows_withdrawn_rows_and_erasure_takes_them_too():
    resident = UserFactory()
    initiative = InitiativeFactory(title="Сквер")
    support_add(actor=resident, initiative=initiative)
    support_remove(actor=resident, initiative=initiative)
    team_join(actor=resident, initiative=initiative, role="фото")
    team_leave(actor=resident, initiative=initiative)
    section = personal_data.export_sections(resident)["initiatives"]
    assert [s["withdrawn_at"] is not None for s in section["supports"]] == [True]
    assert [t["withdrawn_at"] is not None for t in section["teams"]] == [True]
    user_erase(user=resident, actor=None)
    assert not Support.objects.exists()
    assert not TeamMember.objects.exists()
