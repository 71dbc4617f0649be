"""Consultation pages and API operations as anonymous, outsider, asker, fellow member and
consultant; bad input is a clear message and changes nothing."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import services
from dobry.resources.models import Consultation, ConsultationMessage, LibraryItem

pytestmark = pytest.mark.django_db

C = Consultation.Status


@pytest.fixture
def fellow(organization):
    """Another member of the asker's organisation."""
    return MembershipFactory(organization=organization, user__first_name="Вера").user


@pytest.fixture
def question(resident, organization):
    return services.consultation_ask(
        user=resident,
        topic="grants",
        subject="Заявка на грант",
        text="С чего начать?",
        organization=organization,
    )


@pytest.fixture
def closed(question, coordinator):
    return services.consultation_close(
        actor=coordinator, consultation=question, summary="Разобрали структуру заявки"
    )


def page_text(response) -> str:
    return response.content.decode()


# --- asking ---------------------------------------------------------------------------------


def test_the_ask_form_offers_only_the_askers_organisations(login_as, resident, organization):
    OrganizationFactory(short_name="Чужая НКО")
    body = page_text(login_as(resident).get("/desk/consultations/new/"))
    assert "Тёплый дом" in body
    assert "Чужая НКО" not in body


def test_asking_for_someone_elses_organisation_is_a_form_error(login_as, resident):
    foreign = OrganizationFactory()
    response = login_as(resident).post(
        "/desk/consultations/new/",
        {"topic": "legal", "subject": "Устав", "text": "?", "organization": foreign.pk},
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in page_text(response)
    assert 'value="Устав"' in page_text(response)
    assert not Consultation.objects.exists()


def test_asking_for_ones_organisation_shares_it_with_the_members(
    login_as, resident, organization, fellow
):
    login_as(resident).post(
        "/desk/consultations/new/",
        {"topic": "legal", "subject": "Устав", "text": "?", "organization": organization.pk},
    )
    consultation = Consultation.objects.get()
    assert consultation.organization == organization
    assert "Устав" in page_text(login_as(fellow).get("/desk/consultations/"))


def test_a_question_with_a_bad_file_keeps_the_text_and_saves_nothing(login_as, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login_as(resident).post(
        "/desk/consultations/new/",
        {
            "topic": "legal",
            "subject": "Устав",
            "text": "Проверьте файл",
            "attachment": SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload"),
        },
    )
    assert response.status_code == 200
    assert "Проверьте файл" in page_text(response)
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("count", [1, 25])
def test_my_consultations_have_a_fixed_query_count(
    login_as, resident, organization, coordinator, django_assert_max_num_queries, count
):
    for i in range(count):
        question = services.consultation_ask(
            user=resident, topic="pr", subject=f"Вопрос {i}", text="?", organization=organization
        )
        services.consultation_take(actor=coordinator, consultation=question)
    client = login_as(resident)
    with django_assert_max_num_queries(7):
        response = client.get("/desk/consultations/")
    assert "Вопрос 0" in page_text(response)


# --- the thread -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("resident", 200), ("fellow", 200), ("coordinator", 200)],
)
def test_a_thread_opens_for_the_asker_members_and_consultants_only(
    request, login_as, question, who, status
):
    response = login_as(request.getfixturevalue(who)).get(f"/desk/consultations/{question.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "С чего начать?" in page_text(response)


def test_anonymous_is_sent_to_log_in_for_a_thread(client, question):
    response = client.get(f"/desk/consultations/{question.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_missing_thread_is_404(login_as, coordinator):
    assert login_as(coordinator).get("/desk/consultations/987654/").status_code == 404


def test_an_outsider_cannot_write_into_a_thread(login_as, question, outsider):
    response = login_as(outsider).post(f"/desk/consultations/{question.pk}/", {"text": "Спам"})
    assert response.status_code == 404
    assert question.messages.count() == 1


def test_an_empty_reply_is_a_form_error(login_as, question, resident):
    response = login_as(resident).post(f"/desk/consultations/{question.pk}/", {"text": ""})
    assert response.status_code == 200
    assert "errorlist" in page_text(response)
    assert question.messages.count() == 1


def test_a_reply_to_a_closed_thread_is_refused_on_the_form(login_as, closed, resident):
    response = login_as(resident).post(
        f"/desk/consultations/{closed.pk}/", {"text": "А ещё вопрос"}
    )
    assert response.status_code == 200
    assert "Консультация закрыта. Задайте новый вопрос." in page_text(response)
    assert '<blockquote class="border-start ps-3">А ещё вопрос</blockquote>' in page_text(response)
    assert not ConsultationMessage.objects.filter(text="А ещё вопрос").exists()


def test_the_asker_follows_up_and_returns_to_the_thread(login_as, question, resident):
    response = login_as(resident).post(
        f"/desk/consultations/{question.pk}/", {"text": "Срок подачи — когда?"}
    )
    assert response["Location"] == f"/desk/consultations/{question.pk}/"
    assert question.messages.last().text == "Срок подачи — когда?"


# --- consultant's actions -------------------------------------------------------------------


ACTIONS = ["take", "close", "faq"]


@pytest.mark.parametrize("action", ACTIONS)
def test_consultant_actions_send_anonymous_to_log_in(client, question, action):
    response = client.post(f"/desk/consultations/{question.pk}/{action}/", {"summary": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("resident", 403), ("fellow", 403)])
def test_consultant_actions_are_refused_to_others(request, login_as, question, action, who, status):
    user = request.getfixturevalue(who)
    response = login_as(user).post(f"/desk/consultations/{question.pk}/{action}/", {"summary": "x"})
    assert response.status_code == status
    question.refresh_from_db()
    assert (question.status, question.consultant) == (C.NEW, None)
    assert not LibraryItem.objects.exists()


@pytest.mark.parametrize("action", ["take", "close", "rate"])
def test_consultation_actions_are_post_only(login_as, coordinator, question, action):
    assert (
        login_as(coordinator).get(f"/desk/consultations/{question.pk}/{action}/").status_code == 405
    )


def test_the_consultant_takes_a_question_once(login_as, coordinator, question):
    client = login_as(coordinator)
    first = client.post(f"/desk/consultations/{question.pk}/take/")
    assert first["Location"] == f"/desk/consultations/{question.pk}/"
    question.refresh_from_db()
    assert (question.status, question.consultant) == (C.IN_PROGRESS, coordinator)
    again = client.post(f"/desk/consultations/{question.pk}/take/", follow=True)
    assert again.status_code == 200
    assert "Нельзя перейти из состояния «в работе» в «в работе»." in page_text(again)


def test_closing_without_a_summary_says_so_and_keeps_the_question_open(
    login_as, coordinator, question
):
    response = login_as(coordinator).post(
        f"/desk/consultations/{question.pk}/close/", {"summary": ""}, follow=True
    )
    assert "Запишите итог консультации." in page_text(response)
    question.refresh_from_db()
    assert question.status == C.NEW


def test_closing_twice_is_a_message_not_an_error_page(login_as, coordinator, closed):
    response = login_as(coordinator).post(
        f"/desk/consultations/{closed.pk}/close/", {"summary": "Ещё раз"}, follow=True
    )
    assert "Нельзя перейти из состояния «закрыта» в «закрыта»." in page_text(response)
    closed.refresh_from_db()
    assert closed.summary == "Разобрали структуру заявки"


def test_an_open_question_cannot_become_an_faq(login_as, coordinator, question):
    response = login_as(coordinator).post(f"/desk/consultations/{question.pk}/faq/", follow=True)
    assert response.redirect_chain[-1][0] == f"/desk/consultations/{question.pk}/"
    assert "Опубликовать можно закрытую консультацию." in page_text(response)
    assert not LibraryItem.objects.exists()


def test_an_faq_keeps_the_answers_and_the_summary_but_not_the_askers_words(
    login_as, coordinator, question, resident
):
    services.consultation_reply(
        author=coordinator, consultation=question, text="Начните с описания проблемы."
    )
    services.consultation_reply(author=resident, consultation=question, text="Мой телефон 555")
    services.consultation_close(actor=coordinator, consultation=question, summary="Итог: шаблон")
    staff = login_as(coordinator)
    url = f"/desk/consultations/{question.pk}/faq/"
    draft = staff.get(url).context["form"].initial
    assert draft == {
        "title": "Заявка на грант",
        "body": "Начните с описания проблемы.\n\nИтог: шаблон",
    }
    assert not LibraryItem.objects.exists()  # nothing is public before the edit step's POST
    response = staff.post(url, draft)
    item = LibraryItem.objects.get()
    assert response["Location"] == f"/desk/library/{item.pk}/"
    assert (item.kind, item.title, item.tags) == ("faq", "Заявка на грант", "Грантовые заявки")
    assert item.body == "Начните с описания проблемы.\n\nИтог: шаблон"


# --- rating ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "form", "message"),
    [
        ("resident", {"rating": "9"}, "Выберите оценку от 1 до 5."),
        ("resident", {"rating": "пять"}, "Выберите оценку от 1 до 5."),
        ("fellow", {"rating": "5"}, "Оценить ответ может тот, кто задал вопрос."),
        ("coordinator", {"rating": "5"}, "Оценить ответ может тот, кто задал вопрос."),
    ],
)
def test_a_refused_rating_is_explained_and_not_kept(request, login_as, closed, who, form, message):
    client = login_as(request.getfixturevalue(who))
    response = client.post(f"/desk/consultations/{closed.pk}/rate/", form, follow=True)
    assert message in page_text(response)
    closed.refresh_from_db()
    assert closed.rating is None


def test_an_open_question_cannot_be_rated(login_as, question, resident):
    response = login_as(resident).post(
        f"/desk/consultations/{question.pk}/rate/", {"rating": "5"}, follow=True
    )
    assert "Оценить можно закрытую консультацию." in page_text(response)


def test_an_outsider_cannot_rate(login_as, closed, outsider):
    assert (
        login_as(outsider)
        .post(f"/desk/consultations/{closed.pk}/rate/", {"rating": "1"})
        .status_code
        == 404
    )


# --- recording a consultation given in person ---------------------------------------------


def test_the_record_form_opens_for_consultants_and_explains_missing_fields(
    client, login_as, coordinator
):
    assert client.get("/desk/consultations/record/").status_code == 302
    assert login_as(coordinator).get("/desk/consultations/record/").status_code == 200
    response = login_as(coordinator).post(
        "/desk/consultations/record/", {"topic": "legal", "channel": "online", "summary": ""}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"organization", "channel", "subject", "summary"}
    assert not Consultation.objects.exists()


def test_a_recorded_consultation_for_an_organisation_under_review_is_allowed(login_as, coordinator):
    from dobry.organizations.models import Organization

    pending = OrganizationFactory(status=Organization.Status.PENDING)
    response = login_as(coordinator).post(
        "/desk/consultations/record/",
        {
            "organization": pending.pk,
            "topic": "registration",
            "channel": "in_person",
            "subject": "Регистрация",
            "summary": "Пакет документов",
        },
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == f"/desk/consultations/{consultation.pk}/"
    assert (consultation.organization, consultation.status) == (pending, C.CLOSED)


# --- the API --------------------------------------------------------------------------------


def test_the_api_shows_a_thread_to_a_fellow_member_with_its_messages(question, fellow):
    data = bearer(fellow).get(f"/api/v1/consultations/{question.pk}").json()
    assert (data["status"], data["subject"]) == ("new", "Заявка на грант")
    assert [m["text"] for m in data["messages"]] == ["С чего начать?"]


def call(client: Client, path: str, body: dict | None):
    if body is None:
        return client.get(path)
    return client.post(path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/consultations/{pk}", None),
        ("/api/v1/consultations/{pk}/messages", {"text": "x"}),
        ("/api/v1/consultations/{pk}/close", {"summary": "x"}),
        ("/api/v1/consultations/{pk}/rate", {"rating": 5}),
    ],
)
def test_the_api_needs_credentials_and_hides_threads_from_outsiders(question, outsider, path, body):
    url = path.format(pk=question.pk)
    assert call(Client(), url, body).status_code == 401
    assert call(bearer(outsider), url, body).status_code == 404
    question.refresh_from_db()
    assert (question.status, question.messages.count()) == (C.NEW, 1)


def test_the_api_refuses_asking_for_an_organisation_one_is_not_in(resident):
    foreign = OrganizationFactory()
    response = bearer(resident).post(
        "/api/v1/consultations",
        {"topic": "legal", "subject": "x", "text": "y", "organization": foreign.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"organization": ["Вы не состоите в этой организации."]}
    missing = bearer(resident).post(
        "/api/v1/consultations",
        {"topic": "legal", "subject": "x", "text": "y", "organization": 987654},
        content_type="application/json",
    )
    assert missing.status_code == 404
    assert not Consultation.objects.exists()


def test_the_api_answers_409_to_a_message_in_a_closed_thread(closed, resident):
    response = bearer(resident).post(
        f"/api/v1/consultations/{closed.pk}/messages",
        {"text": "Ещё"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["message"] == "Консультация закрыта. Задайте новый вопрос."


def test_the_api_refuses_a_rating_from_anyone_but_the_asker(closed, fellow, resident):
    by_fellow = bearer(fellow).post(
        f"/api/v1/consultations/{closed.pk}/rate", {"rating": 5}, content_type="application/json"
    )
    assert by_fellow.status_code == 422
    out_of_range = bearer(resident).post(
        f"/api/v1/consultations/{closed.pk}/rate", {"rating": 6}, content_type="application/json"
    )
    assert out_of_range.status_code == 422
    closed.refresh_from_db()
    assert closed.rating is None


def test_the_api_refuses_closing_with_an_empty_summary(question, coordinator):
    response = bearer(coordinator).post(
        f"/api/v1/consultations/{question.pk}/close",
        {"summary": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    question.refresh_from_db()
    assert question.status == C.NEW
