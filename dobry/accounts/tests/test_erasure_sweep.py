"""Deleting an account leaves no trace of the person anywhere in the database (152-ФЗ
art. 21 part 5, issue 11 §1) — and nothing of anyone else's.

A person with data in every app — each value seeded with a unique trace — deletes the
account. Then every text, JSON and file column of every model (found through the app
registry, so a new model is searched without anyone remembering to add it; encrypted
fields decrypted by their field), every session, the task queue's rows, the outbox and the
stored files' names are searched for the traces.

Who entered a record is not always whom it is about: the relative the person asked help for
keeps that request, and the coordinator who took the person's call, answered her
consultation and recorded her support can delete their own account without one of her
values going — only the coordinator's own do.
"""

import contextlib
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from dobry.accounts.models import ConsentDocument, User
from dobry.accounts.services import consent_accept, user_erase
from dobry.accounts.tests.factories import UserFactory, written_consent
from dobry.communications.models import (
    Delivery,
    MailingContact,
    NewsItem,
    Notification,
    OutboundEmail,
    OutboundTelegram,
    TelegramLink,
    TelegramLinkCode,
)
from dobry.communications.services import email_queue, notify
from dobry.communications.tests.factories import NewsItemFactory
from dobry.communications.tests.mailing_factories import contact, mailing
from dobry.communications.unsubscribe import erased_key
from dobry.core.audit import log_action
from dobry.core.models import AuditEntry, District
from dobry.events.services.registrations import registration_create, registration_decline
from dobry.events.tests.factories import ShiftFactory
from dobry.grants.models import Application, ApplicationAttachment, Competition
from dobry.grants.services import applications
from dobry.grants.tests.factories import complete_content, open_competition
from dobry.helprequests.models import HealthInfo, HelpRequest
from dobry.helprequests.services.submission import request_submit
from dobry.helprequests.tests.factories import HelpRequestFactory, consent_scan
from dobry.organizations.models import Membership
from dobry.organizations.services import invitation_create
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.models import Consultation, SupportRecord
from dobry.resources.services import (
    consultation_ask,
    consultation_close,
    consultation_reply,
    support_record_create,
)
from dobry.volunteering.models import HoursEntry, VolunteerProfile
from dobry.volunteering.services.hours import hours_claim

FIRST = "Зоремира"
LAST = "Следокопова"
MIDDLE = "Трассовна"
PHONE = "+79135550123"
# The same phone as people write it in free text (an application's team, a news draft).
PHONE_SPACED = "+7 913 555-01-23"
PHONE_BRACKETS = "8(913)5550123"
EMAIL = "zoremira.sled@example.net"
EMAIL_CAPITALS = "Zoremira.Sled@Example.NET"  # typed so by staff in a list they imported
LATIN = "Sledokopova"  # her name as her file names spell it
SECOND_EMAIL = "zoremira.second@example.net"
ADDRESS = "ул. Следовая, 77, кв. 13"
# What she typed into her own records, which her erasure minimises or deletes: words that
# are not her name, so only the erasure of those records — not the scrubbing of her name —
# can take their copies (notifications, emails, audit entries, the support registry).
SUBJECT_WORD = "Удаляйкиной"  # her consultation's subject
MESSAGE_WORD = "Стиральновой"  # her message in the consultation
HOURS_WORD = "Огородничество"  # her hours claim's description
DRAFT_WORD = "Забывайкино"  # the title of her own draft application
NEWS_WORD = "Недописанкино"  # the title of her news draft, never published
PLAN_WORD = "Заготовкино"  # the title of an attachment to an organisation's draft
TYPED = (SUBJECT_WORD, MESSAGE_WORD, HOURS_WORD, DRAFT_WORD, NEWS_WORD, PLAN_WORD)
TRACES = (FIRST, LAST, MIDDLE, PHONE, EMAIL, SECOND_EMAIL, ADDRESS, *TYPED)
TRACES += (PHONE_SPACED, PHONE_BRACKETS, LATIN)
# The relative the person asks help for: the data subject of that request, not the person.
RELATIVE = "Евпраксия Сляпова"
RELATIVE_PHONE = "+79135550987"
RELATIVE_TRACES = (RELATIVE, RELATIVE_PHONE)
# Her chat with the city's bot: a number, so searched for by itself.
TELEGRAM_CHAT = 731_555_0123
# The coordinator who takes the person's call, answers her and records her support.
STAFF_FIRST = "Служеслава"
STAFF_LAST = "Регистрова"
STAFF_PHONE = "+79135550456"
STAFF_EMAIL = "sluzheslava.reg@example.net"
STAFF_TRACES = (STAFF_FIRST, STAFF_LAST, STAFF_PHONE, STAFF_EMAIL)
QUEUE = {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}
IMMEDIATE = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}


def _text_columns() -> list[tuple[type[models.Model], list[str]]]:
    """Every column of every installed model that can hold what a person typed."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.FileField)
    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if names:
            found.append((model, names))
    return found


def _as_text(value: object) -> str:
    if isinstance(value, str) and value[:1] in ("{", "["):
        # JSON kept as text (stored API answers) escapes non-ASCII letters: read it back.
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _traces_left(media_root: Path, traces: tuple[str, ...] = TRACES) -> list[str]:
    found = []
    for model, names in _text_columns():
        for row in model._default_manager.values_list("pk", *names).iterator():
            for name, value in zip(names, row[1:], strict=True):
                text = _as_text(value).casefold()
                found += [
                    f"{model._meta.label}.{name} #{row[0]}: {trace}"
                    for trace in traces
                    if trace.casefold() in text
                ]
    for session in Session.objects.all():
        text = json.dumps(SessionStore().decode(session.session_data), ensure_ascii=False)
        found += [f"session {session.pk}: {t}" for t in traces if t.casefold() in text.casefold()]
    private_root = Path(django_settings.DOBRY_PRIVATE_MEDIA_ROOT)
    files = [(p, p.relative_to(media_root)) for p in media_root.rglob("*")]
    files += [(p, p.relative_to(private_root)) for p in private_root.rglob("*")]
    stored = [str(name) for _path, name in files]
    found += [f"file {p}: {t}" for p in stored for t in traces if t.casefold() in p.casefold()]
    # and what the files hold (a signed form names the person who signed it)
    for path, name in files:
        content = path.read_bytes() if path.is_file() else b""
        found += [f"file content {name}: {t}" for t in traces if t.encode() in content]
    return found


def _person():
    person = UserFactory(
        email=EMAIL, first_name=FIRST, last_name=LAST, middle_name=MIDDLE, phone=PHONE
    )
    EmailAddress.objects.create(user=person, email=SECOND_EMAIL, verified=True)
    consent_accept(user=person, kind=ConsentDocument.Kind.NEWSLETTER, ip_address="10.0.0.7")
    written_consent(person)
    return person


def _help_requests(person, coordinator):
    fields = {
        "category": "delivery",
        "summary": "Привезти продукты",
        "details": f"Звонить {RELATIVE} по {RELATIVE_PHONE}, внучка {FIRST} {LAST}",
        "address": ADDRESS,
        "recipient_name": RELATIVE,
        "recipient_phone": RELATIVE_PHONE,
        "asap": True,
        "relation": HelpRequest.Relation.RELATIVE,
    }
    request_submit(
        requester=person,
        fields=fields,
        health_info=f"{RELATIVE}: нужен пандус, звонить {PHONE}",
        health_consent=True,
        health_on_behalf=True,
    )
    # Before she had an account, she called the resource centre: the coordinator took the
    # request for her, with her health data and the scan of the form she signed.
    request_submit(
        requester=coordinator,
        fields={
            **fields,
            "details": f"Нужна помощь с покупками. Звонок принят: {STAFF_FIRST}, {STAFF_PHONE}",
            "recipient_name": f"{FIRST} {MIDDLE} {LAST}",
            "recipient_phone": PHONE,
            "relation": HelpRequest.Relation.PHONE_CALL,
        },
        health_info=f"{FIRST} {LAST}: слабослышащая",
        consent_scan=consent_scan(
            f"{LAST}_soglasie.pdf", f"%PDF-1.4 подпись: {FIRST} {LAST}".encode()
        ),
    )
    # a call she took at the desk for a neighbour (when she helped the resource centre)
    HelpRequestFactory(registered_by=person, recipient_name="Соседка", recipient_phone="")
    HelpRequestFactory(
        requester=person,
        status=HelpRequest.Status.DONE,
        closed_at=timezone.now() - timedelta(days=3),
        recipient_name=f"{FIRST} {LAST}",
        recipient_phone=PHONE,
        address=ADDRESS,
        details=f"Пишите на {EMAIL}",
        feedback=f"Спасибо! {FIRST}",
    )


def _volunteering(person, organization):
    # the organisation's other owner is told of her claim
    MembershipFactory(organization=organization, role=Membership.Role.OWNER)
    VolunteerProfile.objects.create(
        user=person,
        date_of_birth=timezone.localdate() - timedelta(days=365 * 30),
        skills=f"Вожу машину; {FIRST} {LAST}",
        accessibility_needs=f"{FIRST}: нужен сопровождающий ({RELATIVE})",
        emergency_contact=f"{RELATIVE} {RELATIVE_PHONE}",
    )
    hours_claim(
        user=person,
        organization=organization,
        day=timezone.localdate() - timedelta(days=2),
        hours=Decimal(2),
        description=f"Помогла соседке {RELATIVE}, {ADDRESS}; {HOURS_WORD}",
    )


def _events(person, settings):
    shift = ShiftFactory(requires_approval=True)
    organiser = UserFactory()
    MembershipFactory(
        organization=shift.event.organization, user=organiser, role=Membership.Role.OWNER
    )
    registration = registration_create(user=person, shift=shift, group_name=f"Семья {LAST}")
    settings.TASKS = {"default": QUEUE}
    registration_decline(
        actor=organiser, registration=registration, reason=f"{FIRST} {LAST}, места для семьи нет"
    )
    settings.TASKS = {"default": IMMEDIATE}


def _organizations(person):
    district, _created = District.objects.get_or_create(slug="center", defaults={"name": "Центр"})
    # its contacts are hers: the organisation's phone and email as she gave them
    organization = OrganizationFactory(
        short_name="НКО Следопыт", district=district, phone=PHONE_SPACED, email=EMAIL
    )
    MembershipFactory(organization=organization, user=person, role=Membership.Role.OWNER)
    other = OrganizationFactory()
    owner = UserFactory()
    MembershipFactory(organization=other, user=owner, role=Membership.Role.OWNER)
    invitation_create(
        actor=owner, organization=other, email=SECOND_EMAIL, role=Membership.Role.EDITOR
    )
    return organization


def _resources(person, coordinator, organization):
    consultation = consultation_ask(
        user=person,
        topic=Consultation.Topic.LEGAL,
        subject=f"Вопрос от {SUBJECT_WORD}: {FIRST} {LAST}, льготы по адресу {ADDRESS}",
        text=f"Перезвоните на {PHONE}",
        attachment=SimpleUploadedFile(f"{LAST}_spravka.pdf", b"%PDF-1.4 trace"),
    )
    consultation_reply(
        author=coordinator,
        consultation=consultation,
        text=f"{FIRST}, пришлите документы на {STAFF_EMAIL}",
    )
    consultation_reply(
        author=person, consultation=consultation, text=f"Документы {MESSAGE_WORD} отправила"
    )
    consultation_close(
        actor=coordinator, consultation=consultation, summary=f"Объяснили {FIRST} {LAST} льготы"
    )
    support_record_create(
        actor=coordinator,
        kind=SupportRecord._meta.get_field("kind").choices[0][0],
        day=timezone.localdate(),
        description=f"Встреча {STAFF_FIRST} {STAFF_LAST} с {FIRST} {LAST}",
        person=person,
        organization=organization,
    )


# The team as she typed it: her phone in three spellings, her address in capitals, and the
# office phone of the organisation — contact data of the applicant, all redacted.
TEAM = (
    f"Руководитель — {FIRST} {LAST}, {PHONE}, {EMAIL}; "
    f"мобильный {PHONE_SPACED}, {PHONE_BRACKETS}; {EMAIL_CAPITALS}; офис 8 (3919) 75-12-34"
)
TEAM_KEPT = (
    "Руководитель — [удалено], [удалено], [удалено]; мобильный [удалено], [удалено]; "
    "[удалено]; офис [удалено]"
)


def _grants(person, official, organization):
    competition = open_competition(official)
    draft = applications.application_create(
        user=person, competition=competition, organization=organization
    )
    content = {**complete_content(), "team": TEAM}
    applications.application_save(user=person, application=draft, title="Прогулки", content=content)
    applications.application_attach(
        user=person,
        application=draft,
        title="Смета",
        upload=SimpleUploadedFile(f"Zoremira_{LATIN}_smeta.pdf", b"%PDF-1.4 smeta"),
    )
    applications.application_submit(user=person, application=draft)
    # a draft she started for the organisation and never submitted: the organisation's
    unsent = applications.application_create(
        user=person, competition=open_competition(official), organization=organization
    )
    applications.application_save(
        user=person, application=unsent, title="Весна", content={**complete_content(), "team": TEAM}
    )
    applications.application_attach(
        user=person,
        application=unsent,
        title=f"План {PLAN_WORD}",
        upload=SimpleUploadedFile(f"{LATIN}_plan.pdf", b"%PDF-1.4 plan"),
    )
    # a draft of her own, as a resident: hers alone, deleted with the account
    for_residents = open_competition(official, kind=Competition.Kind.INDIVIDUALS)
    own = applications.application_create(user=person, competition=for_residents)
    applications.application_save(
        user=person, application=own, title=f"Мастерская {DRAFT_WORD}", content=complete_content()
    )


def _communications_and_audit(person, coordinator, admin):
    notify("organization_verified", [person], {"organization": "НКО"})
    # a reason typed with a decision is kept as given in a notification for someone else
    notify(
        "organization_returned",
        [coordinator],
        {"organization": "НКО", "reason": f"Звонила {FIRST} {LAST}, {PHONE}"},
    )
    email_queue(
        key="trace-to-coordinator",
        to=coordinator.email,
        subject=f"Звонила {FIRST} {LAST}",
        body_text=f"Перезвоните {PHONE}",
        user=coordinator,
    )
    log_action(
        actor=coordinator,
        action="user.call",
        obj=person,
        data={"email": EMAIL, "note": {"said": f"{FIRST} {LAST} звонила с {PHONE}"}},
    )
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["{LAST}"]}}}}]',
    )
    _telegram(person, coordinator)
    anonymous = SessionStore()
    anonymous["account_login_email"] = EMAIL
    anonymous.create()


def _mailings_and_news(person):
    # Before she had an account, staff imported her from a festival's list, her address in
    # capitals; a mailing to her failed with an error quoting it.
    imported = contact(EMAIL_CAPITALS, name=f"{FIRST} {LAST}", source=f"фестиваль, {LAST}")
    Delivery.objects.create(
        mailing=mailing(),
        email=EMAIL_CAPITALS,
        contact=imported,
        state=Delivery.State.FAILED,
        last_error=f"550 {EMAIL_CAPITALS}: mailbox full",
    )
    # a news draft she never published, and an item she published
    NewsItemFactory(
        author=person,
        status=NewsItem.Status.DRAFT,
        published_at=None,
        title=f"Черновик {NEWS_WORD}",
        lead=f"Пишет {FIRST} {LAST}, звоните {PHONE_SPACED}",
        body=f"<p>Или {PHONE_BRACKETS}</p>",
    )
    NewsItemFactory(
        author=person,
        title="Субботник прошёл",
        lead=f"Рассказывает {FIRST} {LAST}",
        body=f"<p>Вопросы по {PHONE_BRACKETS}</p>",
    )


def _charity(person):
    """She gave twice: by the QR code with her own code (the bank wrote her name and phone
    into the statement) and in cash, recorded by her email."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dobry.charity.demo import ACCOUNT, onec_statement
    from dobry.charity.services import campaigns, donations, statements
    from dobry.charity.tests.factories import charity_ready

    campaign, editor = charity_ready()
    code = campaigns.donor_code_for(donor=person, campaign=campaign).code
    day = timezone.localdate().strftime("%d.%m.%Y")
    content = onec_statement(
        ACCOUNT,
        [{"Номер": "5", "Дата": day, "Сумма": "300.00", "Плательщик": f"{LAST} {FIRST}",
          "НазначениеПлатежа": f"Пожертвование {code}, тел. {PHONE_SPACED}"}],
    )  # fmt: skip
    upload = SimpleUploadedFile("k.txt", content)
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload
    )
    statements.statement_commit(actor=editor, statement=statement)
    donations.donation_record(
        actor=editor,
        organization=campaign.organization,
        campaign=campaign,
        amount=Decimal("500"),
        received_on=timezone.localdate(),
        donor_name=f"{FIRST} {LAST}",
        donor_contact=EMAIL_CAPITALS,
        note=f"передала {FIRST} лично",
    )
    from dobry.charity.services import needs
    from dobry.charity.tests.factories import NeedFactory

    needs.pledge_create(
        actor=person, need=NeedFactory(), quantity=1, note=f"{FIRST}, звоните {PHONE_SPACED}"
    )


def _civic(person, coordinator):
    """Her initiative (naming her and her phone), a support, a follow, a team place, a
    comment, a report and a result; a neighbour's comment quoting her."""
    from dobry.civic.services import initiatives, people
    from dobry.civic.tests.factories import CommentFactory, InitiativeFactory

    own = initiatives.initiative_save(
        actor=person,
        title="Каток во дворе",
        problem=f"Звоните {FIRST}, {PHONE_SPACED}",
        idea="Залить каток",
        address=ADDRESS,
    )
    initiatives.timeline_post(actor=person, initiative=own, note=f"Залили, {FIRST}")
    other = InitiativeFactory()
    people.support_add(actor=person, initiative=other)
    people.team_join(actor=person, initiative=other, role=f"{FIRST}, фотограф")
    people.comment_add(actor=person, initiative=other, text=f"Я {FIRST} {LAST}, помогу")
    people.comment_report(actor=person, comment=CommentFactory(initiative=other), reason=LAST)
    CommentFactory(initiative=other, text=f"Спасибо, {FIRST} {LAST}!")
    _civic_vote(person, coordinator)


def _civic_vote(person, coordinator):
    """Confirmed as a resident by a coordinator, she voted in a residents' vote."""
    from dobry.civic.services import verification, votes
    from dobry.civic.tests.factories import running_vote

    verification.resident_verify(actor=coordinator, user=person)
    vote = running_vote()
    votes.ballot_cast(actor=person, vote=vote, option_ids=[vote.options.first().pk])


def _telegram(person, coordinator):
    """Her Telegram chat, a code of a deep link, the bot's message to her, and one to the
    coordinator's chat that names her."""
    TelegramLink.objects.create(user=person, chat_id=TELEGRAM_CHAT)
    TelegramLinkCode.objects.create(
        user=person, code_hash="0" * 64, expires_at=timezone.now() + timedelta(minutes=5)
    )
    OutboundTelegram.objects.create(
        key="telegram-to-her", user=person, chat_id=TELEGRAM_CHAT, text=f"{FIRST}, здравствуйте"
    )
    TelegramLink.objects.create(user=coordinator, chat_id=TELEGRAM_CHAT + 1)
    OutboundTelegram.objects.create(
        key="telegram-to-coordinator",
        user=coordinator,
        chat_id=TELEGRAM_CHAT + 1,
        text=f"Звонила {FIRST} {LAST}, {PHONE}",
    )


def _api_answers_kept(client):
    """A create sent with `Idempotency-Key`: its answer, with the person's values, is kept
    for replays (dobry.core.idempotency)."""
    response = client.post(
        "/api/v1/help-requests",
        {
            "category": "delivery",
            "summary": "Привезти продукты",
            "details": "Хлеб и молоко",
            "recipient_name": f"{FIRST} {LAST}",
            "recipient_phone": PHONE,
            "asap": True,
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="trace-key",
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def coordinator(db):
    """The staff member of this story, with values of her own to find."""
    return UserFactory(
        first_name=STAFF_FIRST,
        last_name=STAFF_LAST,
        phone=STAFF_PHONE,
        email=STAFF_EMAIL,
        is_coordinator=True,
    )


@pytest.fixture
def person_everywhere(db, settings, coordinator, official, admin_user, login_as):
    person = _person()
    organization = _organizations(person)
    _help_requests(person, coordinator)
    _volunteering(person, organization)
    _events(person, settings)
    _resources(person, coordinator, organization)
    _grants(person, official, organization)
    _communications_and_audit(person, coordinator, admin_user)
    _mailings_and_news(person)
    _charity(person)
    _civic(person, coordinator)
    _api_answers_kept(login_as(person))
    return person


def test_every_trace_is_seeded_before_erasure(person_everywhere, login_as, settings):
    login_as(person_everywhere).get("/profile/")
    left = _traces_left(Path(settings.MEDIA_ROOT))
    places = {entry.split(" #")[0].split(":")[0] for entry in left}
    # the sweep sees the seeded traces in every kind of place it must search
    assert {
        "accounts.User.first_name",
        "helprequests.HealthInfo.text",
        "core.AuditEntry.data",
        "django_tasks_database.DBTaskResult.args_kwargs",
        "communications.OutboundEmail.subject",
        "communications.Notification.params",
        "communications.OutboundTelegram.text",
        "admin.LogEntry.object_repr",
        "resources.ConsultationMessage.attachment_name",
        "grants.Application.content",
        "volunteering.VolunteerProfile.accessibility_needs",
        "grants.ApplicationAttachment.original_name",
        "core.IdempotentRequest.content",
        "communications.MailingContact.email",
        "communications.MailingContact.name",
        "communications.MailingContact.source",
        "communications.Delivery.email",
        "communications.Delivery.last_error",
        "communications.NewsItem.lead",
        "communications.NewsItem.body",
        "communications.NewsItem.search_text",
        "organizations.Organization.phone",
        "organizations.Organization.email",
    } <= places
    # her phone as people write it, her file names in Latin letters
    spelled = {e.rsplit(": ", 1)[1] for e in left}
    assert {PHONE_SPACED, PHONE_BRACKETS, LATIN} <= spelled
    assert any(entry.startswith("session ") for entry in left)
    # Stored names are random (core.files): the uploaded names are columns, searched above.
    assert not [e for e in left if e.startswith("file ") and not e.startswith("file content")]
    assert any(entry.startswith("file content health-consents/") for entry in left)
    # what she typed reached the emails sent to others (and, before issue 11, the
    # notifications, the audit entries' names and the support registry too)
    typed = {e.split(" #")[0] for e in _traces_left(Path(settings.MEDIA_ROOT), TYPED)}
    assert {
        "communications.OutboundEmail.subject",
        "communications.OutboundEmail.body_text",
        "grants.Application.title",
        "resources.Consultation.subject",
        "resources.ConsultationMessage.text",
        "volunteering.HoursEntry.description",
        "communications.NewsItem.title",
        "grants.ApplicationAttachment.title",
    } <= typed, typed
    for word in TYPED:
        assert any(word in e for e in _traces_left(Path(settings.MEDIA_ROOT), TYPED)), word
    # the coordinator's own values, in the records she entered about the person
    staff = {e.split(" #")[0] for e in _traces_left(Path(settings.MEDIA_ROOT), STAFF_TRACES)}
    assert {
        "accounts.User.first_name",
        "helprequests.HelpRequest.details",
        "resources.ConsultationMessage.text",
        "resources.SupportRecord.description",
    } <= staff


def test_deleting_the_account_leaves_no_trace_of_the_person_anywhere(
    person_everywhere, login_as, settings, django_capture_on_commit_callbacks
):
    client = login_as(person_everywhere)
    # Stored files go when the erasure's transaction commits (core.files.delete_from_storage).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/profile/delete/", {"confirm": "удалить"})
    assert response.status_code == 302

    left = _traces_left(Path(settings.MEDIA_ROOT))
    assert left == [], "\n".join(left)
    # her chat id and everything sent to it are gone; the coordinator's message stays
    assert not TelegramLink.objects.filter(chat_id=TELEGRAM_CHAT).exists()
    assert not OutboundTelegram.objects.filter(chat_id=TELEGRAM_CHAT).exists()
    assert not TelegramLinkCode.objects.exists()
    assert OutboundTelegram.objects.filter(key="telegram-to-coordinator").exists()
    # The relative she asked help for is the subject of that request, which stays hers;
    # the person's own records that named the relative (profile, hours) are gone.
    relatives = _traces_left(Path(settings.MEDIA_ROOT), RELATIVE_TRACES)
    places = {entry.split(" #")[0] for entry in relatives}
    assert places == {
        "helprequests.HelpRequest.details",
        "helprequests.HelpRequest.recipient_name",
        "helprequests.HelpRequest.recipient_phone",
        "helprequests.HealthInfo.text",
    }, "\n".join(relatives)


def test_what_others_depend_on_stays_after_erasure_without_the_person(person_everywhere, login_as):
    login_as(person_everywhere).post("/profile/delete/", {"confirm": "удалить"})

    erased = User.objects.get(pk=person_everywhere.pk)
    assert HoursEntry.objects.filter(user=erased).count() == 1
    assert Application.objects.filter(applicant=erased).exclude(number="").count() == 1
    assert SupportRecord.objects.filter(person=erased).count() == 2
    # a request a coordinator registered by phone has no requester at all (registered_by)
    closed = HelpRequest.objects.filter(requester=None, registered_by=None)
    assert closed.count() == 2  # the one she asked for herself on the page, one by the API
    assert all(r.closed_at is not None and r.minimised_at is not None for r in closed)
    # The request the coordinator took for her stays, without her health data and form.
    taken = HelpRequest.objects.get(relation=HelpRequest.Relation.PHONE_CALL)
    assert (taken.has_health_info, taken.has_consent_scan) == (False, False)
    # The request she made for her relative is the relative's: open, with their data.
    for_relative = HelpRequest.objects.get(relation=HelpRequest.Relation.RELATIVE)
    assert (for_relative.requester, for_relative.status) == (erased, HelpRequest.Status.NEW)
    assert (for_relative.recipient_name, for_relative.minimised_at) == (RELATIVE, None)
    assert HealthInfo.objects.get(help_request=for_relative).text == (
        f"{RELATIVE}: нужен пандус, звонить [удалено]"
    )
    assert Consultation.objects.filter(asker=erased).get().status == "closed"
    attachment = ApplicationAttachment.objects.get(application__applicant=erased)
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 smeta"
    assert OutboundEmail.objects.filter(key="trace-to-coordinator").exists()
    # the submitted application's file stays, under a name that names nobody; its team
    # keeps no phone or address; the organisation's unsubmitted draft stays, its
    # attachment (seen by nobody outside) gone
    assert attachment.original_name == f"приложение-{attachment.pk}.pdf"
    submitted = attachment.application
    assert submitted.content["team"] == TEAM_KEPT
    assert submitted.versions.get().content["team"] == TEAM_KEPT
    unsent = Application.objects.get(applicant=erased, number="")
    assert (unsent.title, unsent.content["team"]) == ("Весна", TEAM_KEPT)
    assert not unsent.attachments.exists()
    # the organisation stays, without her phone and address as its contacts
    organization = submitted.organization
    assert (organization.short_name, organization.phone, organization.email) == (
        "НКО Следопыт",
        "",
        "",
    )
    # the mailing keeps counting her failed delivery, without her address or the contact
    delivery = Delivery.objects.get(state=Delivery.State.FAILED)
    assert (delivery.email, delivery.contact, delivery.last_error) == (
        erased_key(EMAIL),
        None,
        "",
    )
    assert not MailingContact.objects.exists()
    # her published item stays for its readers, without its author; the draft is gone
    published = NewsItem.objects.get()
    assert (published.title, published.author, published.status) == (
        "Субботник прошёл",
        None,
        NewsItem.Status.PUBLISHED,
    )
    assert published.lead == "Рассказывает [удалено]"
    assert "[удалено]" in published.search_text
    assert django_settings.DOBRY_HELP_RETENTION_DAYS > 0


def test_erasing_the_coordinator_leaves_every_value_of_the_resident_where_it_was(
    person_everywhere, coordinator, settings, django_capture_on_commit_callbacks
):
    """She registered the resident's call with its health data and signed form, answered her
    consultation, recorded her support: those are the resident's records. Erasing the
    coordinator's account removes the coordinator's values, and not one of the resident's:
    the requests stay open, the health data and the scan stay, and the coordinator is left
    in them only as the anonymous tombstone of the account (also the audit trail's actor)."""
    media = Path(settings.MEDIA_ROOT)
    # What was sent to the coordinator (her notifications, emails, Telegram) is hers and goes.
    inbox = {
        f"communications.Notification.{field} #{pk}"
        for field in ("stored_title", "stored_body", "params")
        for pk in Notification.objects.filter(user=coordinator).values_list("pk", flat=True)
    }
    inbox |= {
        f"communications.OutboundEmail.{field} #{pk}"
        for field in ("subject", "body_text", "body_html", "to")
        for pk in OutboundEmail.objects.filter(user=coordinator).values_list("pk", flat=True)
    }
    inbox |= {
        f"communications.OutboundTelegram.{field} #{pk}"
        for field in ("text", "last_error")
        for pk in OutboundTelegram.objects.filter(user=coordinator).values_list("pk", flat=True)
    }
    residents_before = [e for e in _traces_left(media) if e.split(":")[0] not in inbox]
    assert residents_before
    taken = HelpRequest.objects.get(relation=HelpRequest.Relation.PHONE_CALL)
    scan = HealthInfo.objects.get(help_request=taken).consent_scan.name

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=coordinator, actor=None)

    left = _traces_left(media, STAFF_TRACES)
    assert left == [], "\n".join(left)
    residents_after = sorted(_traces_left(media))
    lost = sorted(set(residents_before) - set(residents_after))
    assert lost == [], "\n".join(lost)
    taken.refresh_from_db()
    assert (taken.status, taken.minimised_at) == (HelpRequest.Status.NEW, None)
    assert (taken.has_health_info, taken.has_consent_scan) == (True, True)
    assert taken.details == "Нужна помощь с покупками. Звонок принят: [удалено], [удалено]"
    assert HealthInfo.objects.get(help_request=taken).consent_scan.name == scan
    assert Path(django_settings.DOBRY_PRIVATE_MEDIA_ROOT, scan).exists()
    assert str(taken.registered_by) == "Удалённый пользователь"
    submitted = AuditEntry.objects.get(action="helprequest.submit", object_id=str(taken.pk))
    assert submitted.actor_id == coordinator.pk
