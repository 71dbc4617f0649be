"""A resident's part in initiatives (`civic.privacy`): the export gives their initiatives,
supports, follows, team places, comments, reports and results — nobody else's —; erasure
keeps the initiatives (the city's record) without the person and removes the rest."""

import pytest

from dobry.accounts import personal_data
from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import (
    Comment,
    CommentReport,
    Follow,
    Initiative,
    Support,
    TeamMember,
    TimelineEntry,
)
from dobry.civic.services.people import comment_add, comment_report, team_join
from dobry.civic.tests.factories import CommentFactory, InitiativeFactory, SupportFactory

pytestmark = pytest.mark.django_db


def _resident_with_everything():
    resident = UserFactory(first_name="Мария", last_name="Снегирёва")
    own = InitiativeFactory(author=resident, title="Каток во дворе")
    other = InitiativeFactory(title="Сквер у школы")
    SupportFactory(initiative=other, user=resident)
    other.follows.create(user=resident)
    team_join(actor=resident, initiative=other, role="Снегирёва, фотограф")
    comment_add(actor=resident, initiative=other, text="Готова снимать, Мария")
    comment_report(actor=resident, comment=CommentFactory(initiative=other), reason="Спам")
    return resident, own, other


def test_the_export_holds_the_residents_part_and_nobody_elses():
    resident, _own, _other = _resident_with_everything()
    SupportFactory()
    section = personal_data.export_sections(resident)["initiatives"]
    assert [i["title"] for i in section["initiatives"]] == ["Каток во дворе"]
    assert [s["initiative"] for s in section["supports"]] == ["Сквер у школы"]
    assert section["follows"]
    assert section["teams"][0]["role"] == "Снегирёва, фотограф"
    assert section["comments"][0]["text"] == "Готова снимать, Мария"
    assert section["comment_reports"][0]["reason"] == "Спам"
    assert [e["initiative"] for e in section["timeline"]] == ["Каток во дворе"]


def test_someone_without_initiatives_exports_empty_lists():
    section = personal_data.export_sections(UserFactory())["initiatives"]
    assert all(value == [] for value in section.values())


def test_erasure_keeps_the_initiative_without_the_person_and_removes_their_part():
    resident, own, other = _resident_with_everything()
    bystander = SupportFactory(initiative=other)
    user_erase(user=resident, actor=None)
    own.refresh_from_db()
    assert own.author is None
    assert Initiative.objects.filter(pk=own.pk).exists()
    assert not TimelineEntry.objects.filter(author=resident).exists()
    for model, field in ((Support, "user"), (Follow, "user"), (TeamMember, "user"),
                         (Comment, "author"), (CommentReport, "reporter")):  # fmt: skip
        assert not model.objects.filter(**{field: resident}).exists()
    assert Support.objects.filter(pk=bystander.pk).exists()
