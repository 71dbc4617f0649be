"""A resident's ratings of projects, comments on them and reports of abuse in their
personal data (`grants.privacy`): exported — nobody else's —, deleted on erasure, the
project's average then counting the remaining residents."""

import pytest

from dobry.accounts import personal_data
from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import ProjectComment, ProjectCommentReport, ProjectRating
from dobry.grants.services import outcomes
from dobry.grants.tests.outcomes import finished_project

pytestmark = pytest.mark.django_db


def _resident_with_everything():
    project = finished_project()
    resident = UserFactory(first_name="Мария", last_name="Снегирёва")
    outcomes.project_rate(actor=resident, agreement=project, score=4)
    outcomes.project_comment_add(actor=resident, agreement=project, text="Спасибо, Мария")
    other = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Реклама")
    outcomes.project_comment_report(actor=resident, comment=other, reason="Спам")
    outcomes.project_rate(actor=UserFactory(), agreement=project, score=2)
    return project, resident


def test_the_export_holds_the_residents_ratings_comments_and_reports_only():
    project, resident = _resident_with_everything()
    section = personal_data.export_sections(resident)["grants"]
    title = project.application.title
    assert [(r["project"], r["score"]) for r in section["project_ratings"]] == [(title, 4)]
    assert [c["text"] for c in section["project_comments"]] == ["Спасибо, Мария"]
    other = ProjectComment.objects.get(text="Реклама")
    assert [(r["comment_id"], r["reason"]) for r in section["project_comment_reports"]] == [
        (other.pk, "Спам")
    ]
    assert "Реклама" not in str(section)


def test_someone_who_never_rated_exports_empty_lists():
    section = personal_data.export_sections(UserFactory())["grants"]
    assert section["project_ratings"] == section["project_comments"] == []
    assert section["project_comment_reports"] == []


def test_erasure_removes_them_and_the_average_counts_the_others():
    project, resident = _resident_with_everything()
    user_erase(user=resident, actor=resident)
    assert not ProjectRating.objects.filter(score=4).exists()
    assert not ProjectComment.objects.filter(text__contains="Мария").exists()
    assert not ProjectCommentReport.objects.exists()
    found = outcomes.rating_summary(project)
    assert (found.count, str(found.average)) == (1, "2.0")
    assert ProjectComment.objects.get().text == "Реклама"
