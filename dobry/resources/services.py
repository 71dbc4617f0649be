"""The resource centre's desk: the support registry and consultations."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.models import NewsItem
from dobry.communications.services import notify
from dobry.core import references
from dobry.core.audit import log_action
from dobry.core.clock import local_date, local_today
from dobry.core.errors import DomainError, InvalidTransition, TooMany
from dobry.core.locking import locked
from dobry.core.references import Reference, ReferenceField
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, validate_document
from dobry.core.validators import fact_date_error
from dobry.events.models import Event, Registration
from dobry.organizations.models import Membership, Organization
from dobry.resources import notifications as kinds
from dobry.resources.models import (
    CONSULTATION_WORKFLOW,
    Consultation,
    ConsultationMessage,
    Giver,
    SupportKind,
    SupportRecord,
)
from dobry.resources.permissions import can_move_consultation, is_consultant

C = Consultation.Status


# --- the support registry -----------------------------------------------------------------


def support_record_create(
    *,
    actor: User | None,
    kind: str,
    day: date,
    description: str,
    organization: Organization | None = None,
    person: User | None = None,
    giver: str = Giver.RESOURCE_CENTRE,
    giver_name: str = "",
    value_rub: Decimal | None = None,
    source: Reference | None = None,
) -> SupportRecord:
    """Record an act of support given by hand (a call, a letter, a meeting) — optionally
    naming the record it rests on (`source`: a consultation, a booking…), which the actor
    must be able to see; a source gives each kind of support once."""
    record = SupportRecord(
        organization=organization,
        person=person,
        kind=kind,
        date=day,
        description=description.strip(),
        giver=giver,
        giver_name=giver_name.strip(),
        value_rub=value_rub,
        created_by=actor,
    )
    record.source = _visible_source(actor, source)
    _validate(record)
    try:
        with transaction.atomic():
            record.save()
            log_action(actor=actor, action="support.create", obj=record, data={"kind": kind})
    except IntegrityError:
        message = _("По этому источнику такая поддержка уже записана.")
        raise DomainError(message, field_errors={"source": [message]}) from None
    return record


def _visible_source(actor: User | None, source: Reference | None) -> Reference | None:
    """The source, if it is a registered kind the actor may see (a clear refusal naming the
    field otherwise: an unseen object is «not found», as its page would say)."""
    if source is None:
        return None
    try:
        references.check_kind(source.kind)
    except references.UnknownReference:
        message = _("Неизвестный вид источника.")
        raise DomainError(message, field_errors={"source": [message]}) from None
    if actor is None or references.resolve(source, actor) is None:
        message = _("Источник не найден.")
        raise DomainError(message, field_errors={"source": [message]})
    return source


def _validate(record: SupportRecord) -> None:
    errors: dict[str, list[str]] = {}
    if not record.description:
        errors["description"] = [_("Обязательное поле.")]
    if record.organization_id is None and record.person_id is None:
        errors["organization"] = [_("Укажите организацию (или жителя, который её создаёт).")]
    if record.value_rub is not None and record.value_rub < 0:
        errors["value_rub"] = [_("Стоимость не может быть отрицательной.")]
    # Support is a fact: given by today, never a date still to come (issue 11: 2100 was taken).
    day_error = fact_date_error(record.date) if isinstance(record.date, date) else None
    if day_error:
        errors["date"] = [day_error]
    if errors:
        raise ValidationError(errors)
    record.full_clean(exclude=["organization", "person", "created_by"], validate_constraints=False)


def support_record_for_source(
    *,
    source: models.Model,
    kind: str,
    day: date,
    made_from: str,
    organization: Organization | None,
    person: User | None,
    made_params: dict[str, str] | None = None,
    giver: str = Giver.RESOURCE_CENTRE,
    value_rub: Decimal | None = None,
) -> SupportRecord:
    """The support entry made automatically from another record (of a kind registered in
    `dobry/site/references.py`); made once per source and kind, however often the source is
    saved or the task retried. It says what it is by a code (`made_from`, a
    `SupportRecord.MadeFrom`, with `made_params`), read in the reader's language; nothing
    of the source's text is copied into it."""
    reference = references.reference_to(source)
    of_source = SupportRecord.objects.filter(ReferenceField.to("source", reference), kind=kind)
    existing = of_source.first()
    if existing is not None:
        return existing
    record = SupportRecord(
        organization=organization,
        person=None if organization else person,
        kind=kind,
        date=day,
        made_from=made_from,
        made_params=made_params or {},
        giver=giver,
        value_rub=value_rub,
    )
    record.source = reference
    try:
        with transaction.atomic():
            record.save()
            return record
    except IntegrityError:
        return of_source.get()


def support_records_withdraw_for_source(*, source: models.Model) -> int:
    """Remove the entries made automatically from `source` when it turns out the support was
    not given (a confirmed room booking cancelled before it began); returns how many."""
    deleted, _by_model = SupportRecord.objects.filter(
        ReferenceField.to("source", references.reference_to(source))
    ).delete()
    return deleted


# --- consultations --------------------------------------------------------------------------


def support_record_for_training(*, registration: Registration) -> None:
    """Attending a seminar (consulting support) or a webinar (informational support) is
    support of the organisation the person represents, or of the person; recorded once.

    Receiver of `events.services.attendance.TRAINING_ATTENDED`, inside the check-in's
    transaction.
    """
    event = registration.shift.event
    support_record_for_source(
        source=registration,
        kind=SupportKind.CONSULTING
        if event.kind == Event.Kind.SEMINAR
        else SupportKind.INFORMATIONAL,
        day=local_date(registration.shift.starts_at),
        made_from=SupportRecord.MadeFrom.TRAINING,
        made_params={"event_kind": event.kind},
        organization=registration.represents,
        person=registration.user,
    )


def support_record_for_news(*, item: NewsItem) -> None:
    """A published news item that names an organisation is informational support of it,
    given by whoever published it on the city's platform (the administration for its
    officials' items, else the resource centre); recorded once per item.

    Receiver of `communications.news.services.NEWS_PUBLISHED`, inside the publication's
    transaction."""
    if item.organization_pk_named is None:
        return
    organization = Organization.objects.filter(pk=item.organization_pk_named).first()
    if organization is None:
        return
    author = item.author
    by_administration = author is not None and author.is_official and not author.is_coordinator
    support_record_for_source(
        source=item,
        kind=SupportKind.INFORMATIONAL,
        day=local_date(item.published_at or timezone.now()),
        made_from=SupportRecord.MadeFrom.NEWS,
        organization=organization,
        person=None,
        giver=Giver.ADMINISTRATION if by_administration else Giver.RESOURCE_CENTRE,
    )


def _consultants() -> Any:
    return User.objects.filter(is_active=True, is_coordinator=True)


def _check_organization(user: User, organization: Organization | None) -> None:
    if (
        organization is not None
        and not Membership.objects.filter(organization=organization, user=user).exists()
    ):
        raise DomainError(
            _("Спрашивать от имени организации могут её участники."),
            field_errors={"organization": [_("Вы не состоите в этой организации.")]},
        )


def _add_message(
    consultation: Consultation, author: User, text: str, attachment: Upload | None
) -> ConsultationMessage:
    text = text.strip()
    if not text:
        raise DomainError(
            _("Напишите сообщение."), field_errors={"text": [_("Обязательное поле.")]}
        )
    message = ConsultationMessage(consultation=consultation, author=author, text=text)
    if attachment is not None:
        validate_document(attachment, field="attachment")
        message.attachment = attachment
    message.save()
    return message


def consultation_ask(
    *,
    user: User,
    topic: str,
    subject: str,
    text: str,
    organization: Organization | None = None,
    attachment: Upload | None = None,
) -> Consultation:
    """A resident or an НКО member asks the resource centre a question."""
    if topic not in Consultation.Topic.values:
        raise DomainError(_("Выберите тему."), field_errors={"topic": [_("Выберите из списка.")]})
    if not subject.strip():
        raise DomainError(
            _("Коротко опишите вопрос."), field_errors={"subject": [_("Обязательное поле.")]}
        )
    require_within_limits({"subject": (subject.strip(), text_limit(Consultation, "subject"))})
    _check_organization(user, organization)
    with locked(User.objects.all(), user.pk):
        _check_not_asked_already(user, subject.strip(), text.strip())
        # a savepoint: a refused attachment takes the new question back with it
        with transaction.atomic():
            consultation = Consultation.objects.create(
                asker=user, organization=organization, topic=topic, subject=subject.strip()
            )
            _add_message(consultation, user, text, attachment)
            log_action(
                actor=user, action="consultation.ask", obj=consultation, data={"topic": topic}
            )
            notify(
                kinds.CONSULTATION_NEW,
                _consultants(),
                {"consultation": consultation},
                url=consultation.get_absolute_url(),
            )
    return consultation


# The same question sent again within this time is a double submit, not a new question.
REPEAT_MINUTES = 10


def _check_not_asked_already(user: User, subject: str, text: str) -> None:
    """Inside the asker's row lock (so two tabs sending at once are counted in turn):
    InvalidTransition (409) for the same subject and text, still unanswered, within
    `REPEAT_MINUTES`,
    TooMany (429) past `DOBRY_CONSULTATIONS_PER_DAY` questions in 24 hours (issue 11)."""
    now = timezone.now()
    asked = Consultation.objects.filter(asker=user)
    recent = asked.filter(
        status=Consultation.Status.NEW,  # asked again after an answer: a new question
        created_at__gte=now - timedelta(minutes=REPEAT_MINUTES),
        messages__author=user,
        messages__text=text,
    ).values_list("subject", flat=True)
    # compared here: SQLite folds the case of Latin letters only
    if any(found.casefold() == subject.casefold() for found in recent):
        raise InvalidTransition(_("Этот вопрос уже отправлен: ответ придёт в той же консультации."))
    limit = settings.DOBRY_CONSULTATIONS_PER_DAY
    if asked.filter(created_at__gte=now - timedelta(hours=24)).count() >= limit:
        raise TooMany(
            _(
                "За сутки можно задать не больше вопросов, чем %(limit)s: попробуйте завтра или позвоните в ресурсный центр."
            )
            % {"limit": limit}
        )


def consultation_take(*, actor: User, consultation: Consultation) -> Consultation:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        move = CONSULTATION_WORKFLOW.check_for(actor, consultation, "take", can_move_consultation)
        consultation.status = move.target
        consultation.consultant = actor
        consultation.taken_at = timezone.now()
        consultation.save(update_fields=["status", "consultant", "taken_at"])
        log_action(actor=actor, action="consultation.take", obj=consultation)
    return consultation


def consultation_reply(
    *, author: User, consultation: Consultation, text: str, attachment: Upload | None = None
) -> ConsultationMessage:
    """A message in the thread. A consultant's first answer takes the question and is sent to
    the asker; the asker's (or a fellow member's) message is sent to the consultant."""
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("asker", "consultant")
            .get(pk=consultation.pk)
        )
        if consultation.status == C.CLOSED:
            raise InvalidTransition(_("Консультация закрыта. Задайте новый вопрос."))
        is_staff_answer = author.pk != consultation.asker_id and is_consultant(author)
        if is_staff_answer and consultation.status == C.NEW:
            consultation = consultation_take(actor=author, consultation=consultation)
        message = _add_message(consultation, author, text, attachment)
        log_action(actor=author, action="consultation.reply", obj=consultation)
        if is_staff_answer and consultation.asker is not None:
            notify(
                kinds.CONSULTATION_REPLY,
                [consultation.asker],
                {"consultation": consultation, "message": message},
                url=consultation.get_absolute_url(),
            )
        elif consultation.consultant is not None:
            notify(
                kinds.CONSULTATION_REPLY,
                [consultation.consultant],
                {"consultation": consultation, "message": message},
                url=consultation.get_absolute_url(),
            )
    return message


def consultation_close(*, actor: User, consultation: Consultation, summary: str) -> Consultation:
    """The consultant closes the question with a summary; the asker's organisation (or the
    asker) gets a consulting support entry, and the asker is invited to rate the answer."""
    summary = summary.strip()
    if not summary:
        raise DomainError(
            _("Запишите итог консультации."), field_errors={"summary": [_("Обязательное поле.")]}
        )
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        move = CONSULTATION_WORKFLOW.check_for(actor, consultation, "close", can_move_consultation)
        consultation.status = move.target
        consultation.summary = summary
        consultation.consultant = consultation.consultant or actor
        consultation.closed_at = timezone.now()
        consultation.save(update_fields=["status", "summary", "consultant", "closed_at"])
        log_action(actor=actor, action="consultation.close", obj=consultation)
        support_record_for_source(
            source=consultation,
            kind=SupportKind.CONSULTING,
            day=local_today(),
            made_from=SupportRecord.MadeFrom.CONSULTATION,
            organization=consultation.organization,
            person=consultation.asker,
        )
        if consultation.asker is not None and consultation.channel == Consultation.Channel.ONLINE:
            notify(
                kinds.CONSULTATION_CLOSED,
                [consultation.asker],
                {"consultation": consultation},
                url=consultation.get_absolute_url(),
            )
    return consultation


def consultation_record(
    *,
    actor: User,
    topic: str,
    subject: str,
    summary: str,
    channel: str,
    organization: Organization | None = None,
    asker: User | None = None,
) -> Consultation:
    """A consultant records a consultation given in person or by phone."""
    if channel not in (Consultation.Channel.IN_PERSON, Consultation.Channel.PHONE):
        raise DomainError(
            _("Выберите: лично или по телефону."),
            field_errors={"channel": [_("Выберите из списка.")]},
        )
    if organization is None and asker is None:
        raise DomainError(
            _("Укажите организацию или жителя."),
            field_errors={"organization": [_("Обязательное поле.")]},
        )
    if topic not in Consultation.Topic.values:
        raise DomainError(_("Выберите тему."), field_errors={"topic": [_("Выберите из списка.")]})
    require_within_limits({"subject": (subject.strip(), text_limit(Consultation, "subject"))})
    with transaction.atomic():
        consultation = Consultation.objects.create(
            asker=asker,
            organization=organization,
            topic=topic,
            subject=subject.strip() or str(Consultation.Topic(topic).label),
            channel=channel,
            consultant=actor,
            taken_at=timezone.now(),
        )
        log_action(actor=actor, action="consultation.record", obj=consultation)
        return consultation_close(actor=actor, consultation=consultation, summary=summary)


def consultation_rate(
    *, user: User, consultation: Consultation, rating: int, comment: str = ""
) -> Consultation:
    consultation = Consultation.objects.get(pk=consultation.pk)
    if consultation.asker_id != user.pk:
        raise DomainError(_("Оценить ответ может тот, кто задал вопрос."))
    if consultation.status != C.CLOSED:
        raise InvalidTransition(_("Оценить можно закрытую консультацию."))
    if not 1 <= rating <= 5:
        raise DomainError(_("Оценка — от 1 до 5."), field_errors={"rating": [_("От 1 до 5.")]})
    with transaction.atomic():
        consultation.rating = rating
        consultation.rating_comment = comment.strip()
        consultation.save(update_fields=["rating", "rating_comment"])
        log_action(
            actor=user, action="consultation.rate", obj=consultation, data={"rating": rating}
        )
    return consultation
