"""Every write of mailings: segments, composing, test sending, scheduling, cancelling and
starting; each in one transaction, refusals as DomainError."""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.mailings import compose, delivery, segments
from dobry.communications.mailings.tasks import enqueue_senders, start_mailing
from dobry.communications.models import (
    DELIVERY_WORKFLOW,
    MAILING_WORKFLOW,
    Delivery,
    Mailing,
    Segment,
)
from dobry.communications.services import email_queue
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.models import District
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.validators import require_plan_moment


def _choices(field: str, values: Sequence[str], allowed: Sequence[str]) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise DomainError(_("Проверьте данные."), field_errors={field: [_("Выберите из списка.")]})
    return sorted(set(values))


def segment_save(
    *,
    actor: User,
    segment: Segment | None = None,
    name: str,
    roles: Sequence[str] = (),
    organization_kinds: Sequence[str] = (),
    areas: Sequence[str] = (),
    district_ids: Sequence[int] = (),
    active_months: int | None = None,
) -> Segment:
    """Create or change a saved segment; unknown choices refuse the whole change."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Проверьте данные."), field_errors={"name": [_("Обязательное поле.")]})
    require_within_limits({"name": (name, text_limit(Segment, "name"))})
    organization = apps.get_model("organizations", "Organization")
    area_field = apps.get_model("organizations", "OrganizationArea")._meta.get_field("area")
    area_choices = [value for value, _label in area_field.choices or ()]
    roles = _choices("roles", roles, Segment.Role.values)
    organization_kinds = _choices(
        "organization_kinds", organization_kinds, organization.Kind.values
    )
    areas = _choices("areas", areas, area_choices)
    districts = list(District.objects.filter(pk__in=set(district_ids)))
    if len(districts) != len(set(district_ids)):
        raise DomainError(
            _("Проверьте данные."), field_errors={"district_ids": [_("Выберите из списка.")]}
        )
    if active_months is not None and not 1 <= active_months <= 120:
        raise DomainError(
            _("Проверьте данные."),
            field_errors={"active_months": [_("От 1 до 120 месяцев.")]},
        )
    with transaction.atomic():
        created = segment is None
        segment = segment or Segment(created_by=actor)
        segment.name = name
        segment.roles = roles
        segment.organization_kinds = organization_kinds
        segment.areas = areas
        segment.active_months = active_months
        segment.save()
        segment.districts.set(districts)
        segment.__dict__.pop("_district_ids", None)
        log_action(
            actor=actor, action="segment.create" if created else "segment.update", obj=segment
        )
    return segment


def mailing_save(
    *,
    actor: User,
    mailing: Mailing | None = None,
    subject: str,
    body_text: str,
    body_html: str = "",
    segment: Segment,
    insert: compose.Insert | None = None,
) -> Mailing:
    """Create or change a draft; the HTML is kept sanitised. A news item or an events
    digest chosen to `insert` is added at the end of the bodies (`compose.with_insert`)."""
    if mailing is not None and not mailing.editable:
        raise DomainError(_("Изменить можно только черновик рассылки."))
    if insert is not None:
        body_text, body_html = compose.with_insert(body_text, body_html, insert)
    subject = " ".join(subject.split())
    errors = {}
    if not subject:
        errors["subject"] = [_("Обязательное поле.")]
    if not body_text.strip():
        errors["body_text"] = [_("Обязательное поле.")]
    if errors:
        raise DomainError(_("Проверьте данные."), field_errors=errors)
    body_html = compose.safe_html(body_html) if body_html.strip() else ""
    require_within_limits(
        {
            "subject": (subject, text_limit(Mailing, "subject")),
            "body_text": (body_text, text_limit(Mailing, "body_text")),
            "body_html": (body_html, text_limit(Mailing, "body_html")),
        }
    )
    with transaction.atomic():
        created = mailing is None
        mailing = mailing or Mailing(created_by=actor)
        mailing.subject = subject
        mailing.body_text = body_text.strip()
        mailing.body_html = body_html
        mailing.segment = segment
        mailing.save()
        log_action(
            actor=actor, action="mailing.create" if created else "mailing.update", obj=mailing
        )
    return mailing


def mailing_test_send(*, actor: User, mailing: Mailing) -> None:
    """Send the mailing, as recipients will get it, to the staff member themself."""
    rendered = compose.render(mailing)
    with transaction.atomic():
        email_queue(
            key=f"mailing-test:{mailing.pk}:{secrets.token_hex(8)}",
            to=actor.email,
            subject=_("[Проверка] %(subject)s") % {"subject": rendered.subject},
            body_text=rendered.text,
            body_html=rendered.html,
            user=actor,
        )
        log_action(actor=actor, action="mailing.test_send", obj=mailing)


def mailing_schedule(*, actor: User, mailing: Mailing, at: datetime | None = None) -> Mailing:
    """Schedule a draft for `at` (now when not given). A time in the past is refused
    (DomainError at `at`, `core.validators.require_plan_moment`: a plan is never in the
    past; issue 11), one within the last minute is now. The mailing starts at once when
    its time has come, else by the periodic job."""
    now = timezone.now()
    if at is not None:
        require_plan_moment(at, field="at")
    at = max(at or now, now).astimezone(UTC)
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        MAILING_WORKFLOW.check(mailing.status, "schedule")
        if segments.segment_size(mailing.segment) == 0:
            raise DomainError(_("В сегменте нет ни одного получателя."))
        mailing.status = Mailing.Status.SCHEDULED
        mailing.scheduled_at = at
        mailing.save(update_fields=["status", "scheduled_at", "updated_at"])
        log_action(
            actor=actor,
            action="mailing.schedule",
            obj=mailing,
            data={"scheduled_at": at.isoformat()},
        )
        if at <= now:
            start_mailing.enqueue(mailing.pk)
    return mailing


def mailing_unschedule(*, actor: User, mailing: Mailing) -> Mailing:
    """A scheduled mailing goes back to the drafts (to be changed)."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        MAILING_WORKFLOW.check(mailing.status, "unschedule")
        mailing.status = Mailing.Status.DRAFT
        mailing.scheduled_at = None
        mailing.save(update_fields=["status", "scheduled_at", "updated_at"])
        log_action(actor=actor, action="mailing.unschedule", obj=mailing)
    return mailing


def mailing_cancel(*, actor: User, mailing: Mailing) -> Mailing:
    """Cancel a mailing: before it starts nothing is sent; while sending, the deliveries
    not yet handed to SMTP are suppressed (a message in flight still goes)."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        MAILING_WORKFLOW.check(mailing.status, "cancel")
        mailing.status = Mailing.Status.CANCELLED
        mailing.finished_at = timezone.now()
        mailing.save(update_fields=["status", "finished_at", "updated_at"])
        stopped = DELIVERY_WORKFLOW.update_rows(
            mailing.deliveries.all(), "cancel", last_error="cancelled"
        )
        log_action(actor=actor, action="mailing.cancel", obj=mailing, data={"count": stopped})
    return mailing


def mailing_start(mailing_id: int) -> str:
    """Start a scheduled mailing whose time has come: write a queued delivery for each
    recipient of its segment (each address once), then give it to the workers. Returns
    the mailing's status after; a mailing not due, or started already, is left as it is."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None:
            return "missing"
        if mailing.status != Mailing.Status.SCHEDULED or (
            mailing.scheduled_at and mailing.scheduled_at > timezone.now()
        ):
            return mailing.status
        MAILING_WORKFLOW.check(mailing.status, "start")
        count = materialise(mailing)
        mailing.status = Mailing.Status.SENDING
        mailing.started_at = timezone.now()
        mailing.save(update_fields=["status", "started_at", "updated_at"])
        log_action(actor=None, action="mailing.start", obj=mailing, data={"count": count})
        enqueue_senders(mailing.pk)
    if count == 0:
        delivery.finish_if_done(mailing.pk)
    return mailing.status


def materialise(mailing: Mailing, chunk: int = 2000) -> int:
    """Write the delivery rows of a mailing's recipients, `chunk` at a time; a repeat adds
    nobody twice. Returns how many rows the mailing has (one COUNT: `bulk_create` with
    `ignore_conflicts` does not say which rows it skipped)."""
    seen: set[str] = set()
    for source in (
        segments.segment_accounts(mailing.segment).values_list("email", "pk"),
        segments.segment_contacts(mailing.segment).values_list("email", "pk"),
    ):
        is_account = source.model is User
        batch: list[Delivery] = []
        for email, pk in source.iterator(chunk_size=chunk):
            address = email.lower()
            if address in seen:
                continue
            seen.add(address)
            batch.append(
                Delivery(
                    mailing=mailing,
                    email=address,
                    user_id=pk if is_account else None,
                    contact_id=None if is_account else pk,
                )
            )
            if len(batch) >= chunk:
                Delivery.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        if batch:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    return mailing.deliveries.count()
