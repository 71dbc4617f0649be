"""Reads for the resource centre's pages and the API alike: the support registry, the
project groups one may see."""

from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core import references
from dobry.core.clock import local_date, local_today
from dobry.resources import groups, permissions
from dobry.resources.models import (
    Giver,
    ProjectGroup,
    Room,
    RoomBooking,
    SupportKind,
    SupportRecord,
    SupportRecordQuerySet,
)

# «Проектные группы» and GET /api/v1/groups: groups a page.
GROUPS_PAGE = 30


def visible_groups(user: User) -> "QuerySet[ProjectGroup]":
    """The groups `user` is a member of; every group for staff who set groups up. Active
    ones first, by title."""
    if groups.can_create_groups(user):
        visible = ProjectGroup.objects.all()
    else:
        visible = ProjectGroup.objects.filter(memberships__user=user).distinct()
    return visible.order_by("-is_active", "title", "pk")


def room_busy(room: Room, starts_at: datetime, ends_at: datetime) -> list[RoomBooking]:
    """The bookings that hold the room between two moments, by start, for its public
    calendar (page and API): each with `public_organization`, the organisation's name when
    `permissions.booking_names_organization` allows it, else None («занято»). One query."""
    bookings = list(
        room.bookings.holding()
        .overlapping(starts_at, ends_at)
        .select_related("organization")
        .order_by("starts_at")
    )
    for booking in bookings:
        booking.public_organization = (  # type: ignore[attr-defined]
            str(booking.organization) if permissions.booking_names_organization(booking) else None
        )
    return bookings


def support_records(data: dict[str, Any]) -> SupportRecordQuerySet:
    """The registry with the filters of its page, its export and GET /api/v1/support-records,
    newest first. `data` keys (all optional): organization (an Organization or its id),
    kind, date_from and date_to (inclusive dates of the support)."""
    records = SupportRecord.objects.select_related("organization", "person").in_period(
        data.get("date_from"), data.get("date_to")
    )
    if data.get("organization"):
        records = records.filter(organization=data["organization"])
    if data.get("kind"):
        records = records.filter(kind=data["kind"])
    return records.order_by("-date", "-pk")


def support_totals(records: SupportRecordQuerySet) -> dict[str, Any]:
    """Counts and sums of the filtered registry by kind and by giver, and how many
    organisations received support — of support given by today: a room booked for next
    week is listed, marked as planned, but is not support yet (the reports' rule,
    `clock.happened_by_today`); `planned` counts those entries."""
    given = records.happened()
    return {
        "by_kind": _labelled(
            given.values("kind").annotate(n=Count("pk"), value=Sum("value_rub")),
            "kind",
            SupportKind,
        ),
        "by_giver": _labelled(
            given.values("giver").annotate(n=Count("pk"), value=Sum("value_rub")), "giver", Giver
        ),
        "organizations": given.exclude(organization=None).values("organization").distinct().count(),
        "planned": records.count() - given.count(),
        "today": local_today(),
    }


def _labelled(rows: Any, field: str, choices: type) -> list[dict[str, Any]]:
    return [{**row, "label": choices(row[field]).label} for row in rows.order_by(field)]


def registry_header() -> list[str]:
    """The columns of the registry of recipients of support as municipal registries keep
    them (a registry entry, its date and basis; the recipient with ИНН/ОГРН and address;
    the form, content, amount and date of the support; who gave it)."""
    return [
        _("Номер записи"),
        _("Дата внесения записи"),
        _("Основание"),
        _("Получатель поддержки"),
        _("ИНН"),
        _("ОГРН"),
        _("Адрес получателя"),
        _("Форма поддержки"),
        _("Содержание поддержки"),
        _("Размер поддержки, руб."),
        _("Дата оказания поддержки"),
        _("Кто оказал"),
        _("Подразделение или организация"),
    ]


def registry_rows(records: SupportRecordQuerySet) -> list[list[Any]]:
    """One row per act of support, values as they are (the export makes each cell safe)."""
    rows = []
    for record in records:
        organization = record.organization
        rows.append(
            [
                record.pk,
                local_date(record.created_at),
                _basis(record),
                organization.name if organization else record.recipient_name,  # full name
                organization.inn if organization else "",
                organization.ogrn if organization else "",
                organization.address if organization else "",
                record.get_kind_display(),
                record.description_text,
                record.value_rub,
                record.date,
                record.get_giver_display(),
                record.giver_name,
            ]
        )
    return rows


def _basis(record: SupportRecord) -> str:
    """Why the entry exists: the kind and number of the record it rests on («консультация
    №12»: the registry's basis, readable without opening it), or staff."""
    source = record.source
    if source is None:
        return _("внесена сотрудником")
    return _("%(source)s №%(number)s") % {
        "source": references.kind_label(source.kind),
        "number": source.pk,
    }
