import csv
import io

import pytest
from django.utils import timezone

from dobry.grants.models import Application, Review
from dobry.grants.services import assignments, decisions
from dobry.grants.tests.factories import (
    admitted_application,
    applicant_organization,
    close_applications,
    complete_content,
    expert_pool,
    open_competition,
    score_all,
)

pytestmark = pytest.mark.django_db


def _decided(official, client_factory):
    competition = open_competition(official, budget=300_000)
    first = admitted_application(competition, official, amount=200_000, title="Первый")
    second = admitted_application(competition, official, amount=150_000, title="Второй")
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    for review in Review.objects.filter(application__competition=competition):
        score_all(review, 9 if review.application == first else 6)
    close_applications(competition)
    decisions.allocation_run(actor=official, competition=competition, final=True)
    meeting = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=timezone.now(),
        quorum=1,
        members=[{"name": "Иванова А. А.", "sector": "administration", "role": "chair"}],
    )
    decisions.meeting_decide(actor=official, meeting=meeting)
    return competition, meeting, first, second


def test_public_pages_and_the_applicant_journey(client, official, login_as):
    competition = open_competition(official)
    assert client.get("/grants/").status_code == 200
    page = client.get(competition.get_absolute_url())
    assert "Актуальность и социальная значимость проекта" in page.content.decode()
    organization, leader = applicant_organization()
    applicant = login_as(leader)
    created = applicant.post(f"/grants/{competition.pk}/apply/", {"organization": organization.pk})
    application = Application.objects.get()
    assert created.url == f"/grants/applications/{application.pk}/edit/"
    content = complete_content()
    form = {"title": "Прогулки", **{k: v for k, v in content.items() if isinstance(v, str)}}
    for table in ("calendar", "indicators", "budget"):
        for number, row in enumerate(content[table]):
            form |= {f"{table}-{number}-{key}": value for key, value in row.items()}
    autosaved = applicant.post(application.get_absolute_url() + "edit/", form | {"autosave": "1"})
    assert autosaved.json() == {"saved": True}
    broken = form | {"budget-0-requested": "5"}
    refused = applicant.post(application.get_absolute_url() + "edit/", broken | {"submit": "1"})
    assert refused.status_code == 200
    assert "Запрошено и софинансирование вместе" in refused.content.decode()
    applicant.post(application.get_absolute_url() + "edit/", form | {"submit": "1"})
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert applicant.get(application.get_absolute_url()).status_code == 200


def test_outsiders_cannot_reach_applications_or_the_desk(client, official, outsider, login_as):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    assert login_as(outsider).get(application.get_absolute_url()).status_code == 404
    assert client.get(application.get_absolute_url()).status_code == 302
    for url in (
        f"/grants/{competition.pk}/manage/",
        f"/grants/{competition.pk}/ranking/",
        f"/grants/{competition.pk}/commission/",
        f"/grants/applications/{application.pk}/screening/",
    ):
        assert login_as(outsider).get(url).status_code == 403
        assert login_as(official).get(url).status_code == 200


def test_the_expert_declares_then_scores_in_the_browser_forms(official, login_as):
    competition = open_competition(official, blind_review=True)
    application = admitted_application(competition, official, title="Слепой проект")
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    expert = login_as(review.expert.user)
    assert expert.get(application.get_absolute_url()).url == review.get_absolute_url()
    declare = expert.get(review.get_absolute_url())
    assert "Конфликт интересов" in declare.content.decode()
    expert.post(review.get_absolute_url(), {"conflict": "no"})
    page = expert.get(review.get_absolute_url()).content.decode()
    assert "Слепой проект" in page
    assert application.organization.short_name not in page
    scores = {f"score_{c.pk}": 7 for c in competition.criteria.all()}
    expert.post(review.get_absolute_url(), scores | {"submit": "1"})
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert review.total == 70


def test_protocol_results_page_and_open_data(client, official, login_as):
    competition, meeting, first, _second = _decided(official, login_as)
    staff = login_as(official)
    protocol = staff.get(f"/grants/meetings/{meeting.pk}/protocol.docx")
    assert protocol["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/grants/{competition.pk}/results/").status_code == 404
    staff.post(f"/grants/{competition.pk}/results/publish/")
    page = client.get(f"/grants/{competition.pk}/results/").content.decode()
    assert "Первый" in page
    assert "Обосновано." not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/grants/{competition.pk}/results.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][0] == "rank"
    assert [row[6] for row in rows[1:]] == ["200000", "100000"]  # shortest exact decimal
    data = client.get(f"/grants/{competition.pk}/results.json").json()
    assert data["applications"][0]["number"] == first.number


@pytest.mark.parametrize("count", [1, 8])
def test_desk_keeps_a_fixed_query_count(official, login_as, django_assert_max_num_queries, count):
    competition = open_competition(official)
    for _ in range(count):
        admitted_application(competition, official)
    staff = login_as(official)
    with django_assert_max_num_queries(16):
        assert staff.get(f"/grants/{competition.pk}/manage/").status_code == 200
    with django_assert_max_num_queries(16):
        assert staff.get(f"/grants/{competition.pk}/ranking/").status_code == 200


def test_organisers_attach_the_rules_and_add_a_co_organiser(official, login_as, outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    competition = open_competition(official)
    staff = login_as(official)
    form = staff.get(f"/grants/{competition.pk}/edit/").context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    for name in ("applications_open", "applications_close", "review_deadline"):
        data[name] = (
            data[name].astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M")
        )
    data["rules_file"] = SimpleUploadedFile("polozhenie.pdf", b"%PDF-1.4 rules", "application/pdf")
    response = staff.post(f"/grants/{competition.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    competition.refresh_from_db()
    assert competition.rules_document.name.endswith(".pdf")
    assert login_as(outsider).get(f"/grants/{competition.pk}/manage/").status_code == 403
    staff.post(f"/grants/{competition.pk}/managers/", {"email": outsider.email})
    assert login_as(outsider).get(f"/grants/{competition.pk}/manage/").status_code == 200
    page = login_as(outsider).get(competition.get_absolute_url()).content.decode()
    assert competition.rules_document_name == "polozhenie.pdf"
    assert f'href="/files/grants.competition.rules_document/{competition.pk}/"' in page


def test_staff_override_the_assignment_and_attach_the_signed_protocol(official, login_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _competition, meeting, _first, _second = _decided(official, login_as)
    staff = login_as(official)
    upload = SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 signed", "application/pdf")
    staff.post(f"/grants/meetings/{meeting.pk}/signed/", {"file": upload})
    meeting.refresh_from_db()
    assert meeting.signed_protocol.name.endswith(".pdf")
    assert meeting.signed_protocol_name == "protocol.pdf"

    other = open_competition(official, title="Второй")
    application = admitted_application(other, official)
    (expert_a, expert_b, expert_c) = expert_pool(other, official, 3)
    assignments.assign_experts(actor=official, competition=other)
    assigned = {r.expert for r in application.reviews.all()}
    spare = ({expert_a, expert_b, expert_c} - assigned).pop()
    removed = application.reviews.first()
    staff.post(f"/grants/assignments/{removed.pk}/remove/")
    bad = staff.post(f"/grants/applications/{application.pk}/experts/", {"expert": "abc"})
    assert bad.status_code == 400  # the field is named: «expert»
    staff.post(f"/grants/applications/{application.pk}/experts/", {"expert": spare.pk})
    now_assigned = {r.expert for r in application.reviews.all()}
    assert spare in now_assigned
    assert removed.expert not in now_assigned
