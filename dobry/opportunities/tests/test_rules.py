"""The catalogue's rules at their edges: the ranking's reasons at the boundaries (the
registration age counted to the deadline, the amount limits), each service refusal with
its field, and the deadline reminders at the city's local midnight (Asia/Krasnoyarsk)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from dobry.communications.models import Notification
from dobry.core.clock import local_today
from dobry.core.dates import day_text
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.opportunities import permissions, suits
from dobry.opportunities.imports import Row
from dobry.opportunities.models import Follow, Opportunity
from dobry.opportunities.services import catalogue, follows
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.models import Organization, OrganizationArea
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 12, 15)


def _reasons(organization, call, *, wanted=None, today=date(2026, 11, 1)):
    fit = suits.rank_for(organization, [call], today=today, wanted=wanted)[0]
    return {reason.criterion: reason for reason in fit.reasons}, fit


# --- the ranking ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("founded_on", "met"),
    [
        (date(2025, 12, 15), True),  # twelve months exactly on the deadline day
        (date(2025, 12, 16), False),  # a day short on the deadline
        (date(2024, 1, 1), True),
    ],
)
def test_the_registration_age_is_counted_to_the_deadline_day(founded_on, met):
    organization = OrganizationFactory(founded_on=founded_on)
    call = OpportunityFactory(
        min_registered_months=12, opens_on=date(2026, 11, 1), closes_on=DEADLINE
    )
    reasons, fit = _reasons(organization, call)
    assert reasons["age"].met is met
    assert fit.eligible is met
    if met:
        assert reasons["age"].text == (
            "Нужна регистрация не менее 12 месяцев. Организация подходит."
        )
    else:
        ready = day_text(date(2026, 12, 16))
        assert reasons["age"].text == (
            f"Нужна регистрация не менее 12 месяцев. Организация наберёт срок {ready}."
        )


def test_the_month_count_is_declined_for_one_month():
    organization = OrganizationFactory(founded_on=date(2026, 11, 15))
    call = OpportunityFactory(min_registered_months=1, opens_on=None, closes_on=DEADLINE)
    reasons, _fit = _reasons(organization, call)
    assert reasons["age"].met is True
    assert reasons["age"].text.startswith("Нужна регистрация не менее 1 месяца.")


def test_no_age_or_kind_or_area_limit_is_met_with_its_reason():
    organization = OrganizationFactory(kind=Organization.Kind.SONKO, founded_on=None)
    call = OpportunityFactory(min_registered_months=0, eligible_kinds=[], areas=[])
    reasons, fit = _reasons(organization, call, today=local_today())
    assert reasons["age"].text == "Срок регистрации не ограничен."
    assert reasons["kind"].text == "Вид организации не ограничен."
    assert reasons["areas"].text == "Направления не ограничены."
    assert "amount" not in reasons  # no amount asked: not a criterion
    assert fit.score == 3


@pytest.mark.parametrize(
    ("wanted", "met"),
    [
        (Decimal("499999.99"), False),
        (Decimal("500000.00"), True),
        (Decimal("3000000.00"), True),
        (Decimal("3000000.01"), False),
        (Decimal(0), False),
    ],
)
def test_the_amount_is_inside_the_limits_both_ends_included(wanted, met):
    organization = OrganizationFactory()
    call = OpportunityFactory(min_amount=Decimal(500000), max_amount=Decimal(3000000))
    reasons, fit = _reasons(organization, call, wanted=wanted, today=local_today())
    assert reasons["amount"].met is met
    assert reasons["amount"].text == (
        "Нужная сумма в пределах гранта." if met else "Нужная сумма вне пределов гранта."
    )
    assert fit.eligible  # the amount only ranks


def test_open_amount_limits_hold_any_sum():
    organization = OrganizationFactory()
    call = OpportunityFactory(min_amount=None, max_amount=None)
    reasons, _fit = _reasons(organization, call, wanted=Decimal(10**11), today=local_today())
    assert reasons["amount"].met is True


def test_the_shared_areas_are_named_in_the_calls_order():
    organization = OrganizationFactory()
    for area in ("ecology", "children"):
        OrganizationArea.objects.create(organization=organization, area=area)
    call = OpportunityFactory(areas=["children", "social", "ecology"])
    reasons, _fit = _reasons(organization, call, today=local_today())
    labels = dict(call.areas and zip(call.areas, call.area_labels(), strict=True))
    assert reasons["areas"].text == (
        f"Совпадают направления: {labels['children']}, {labels['ecology']}."
    )


def test_a_wrong_kind_names_the_kind_and_makes_the_call_not_eligible():
    organization = OrganizationFactory(kind=Organization.Kind.SONKO)
    call = OpportunityFactory(eligible_kinds=["municipal"])
    reasons, fit = _reasons(organization, call, today=local_today())
    assert reasons["kind"].met is False
    assert reasons["kind"].text == (
        f"Вид «{organization.get_kind_display()}» не может подать заявку."
    )
    assert not fit.eligible


def test_ties_go_to_the_nearest_deadline_then_the_older_call():
    organization = OrganizationFactory()
    later = OpportunityFactory(closes_on=local_today() + timedelta(days=40))
    first = OpportunityFactory(closes_on=local_today() + timedelta(days=20))
    second = OpportunityFactory(closes_on=local_today() + timedelta(days=20))
    fits = suits.rank_for(organization, [later, second, first], today=local_today())
    assert [fit.opportunity for fit in fits] == [first, second, later]


# --- the catalogue's services -----------------------------------------------------------


def _values(**changes):
    values = {
        "title": "Конкурс",
        "programme": "regional",
        "organiser": "Правительство края",
        "closes_on": local_today() + timedelta(days=30),
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"areas": ["space"]}, "areas"),
        ({"areas": "social"}, "areas"),
        ({"eligible_kinds": ["person"]}, "eligible_kinds"),
        ({"min_amount": Decimal(-1)}, "min_amount"),
        ({"min_amount": Decimal(9), "max_amount": Decimal(1)}, "max_amount"),
        ({"opens_on": local_today() + timedelta(days=40)}, "closes_on"),
        ({"closes_on": date(1900, 1, 1)}, "closes_on"),
        ({"programme": "lottery"}, "programme"),
        ({"title": "   "}, "title"),
        ({"url": "not a url"}, "url"),
    ],
)
def test_each_refusal_of_the_terms_names_its_field(coordinator, change, field):
    with pytest.raises(DomainError) as refused:
        catalogue.opportunity_create(actor=coordinator, **_values(**change))
    assert refused.value.status == 422
    assert field in refused.value.field_errors, refused.value.field_errors
    assert not Opportunity.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="opportunity.").exists()


def test_texts_are_trimmed_and_repeats_dropped(coordinator):
    opportunity = catalogue.opportunity_create(
        actor=coordinator,
        **_values(title="  Конкурс  ", areas=("social", "social", "children")),
    )
    assert opportunity.title == "Конкурс"
    assert opportunity.areas == ["social", "children"]
    assert AuditEntry.objects.filter(action="opportunity.create").count() == 1


def test_an_unknown_field_is_refused_by_name(coordinator):
    with pytest.raises(DomainError) as refused:
        catalogue.opportunity_create(actor=coordinator, withdrawn=True, pk=5, **_values())
    assert refused.value.message == "Неизвестные поля: pk, withdrawn."


@pytest.mark.parametrize("who", ["outsider", "owner"])
def test_only_the_resource_centre_keeps_the_catalogue(outsider, who):
    actor = outsider if who == "outsider" else MembershipFactory(role="owner").user
    opportunity = OpportunityFactory()
    for call in (
        lambda: catalogue.opportunity_create(actor=actor, **_values()),
        lambda: catalogue.opportunity_update(actor=actor, opportunity=opportunity, title="x"),
        lambda: catalogue.opportunity_archive(actor=actor, opportunity=opportunity),
        lambda: catalogue.opportunities_import(actor=actor, rows=[]),
    ):
        with pytest.raises(PermissionDenied):
            call()
    opportunity.refresh_from_db()
    assert not opportunity.withdrawn


def test_a_superuser_keeps_the_catalogue_too():
    superuser = MembershipFactory().user
    superuser.is_superuser = True
    assert permissions.can_keep_catalogue(superuser)
    assert not permissions.can_keep_catalogue(MembershipFactory().user)


def test_an_update_refused_changes_nothing(coordinator):
    opportunity = OpportunityFactory(title="Было")
    with pytest.raises(DomainError):
        catalogue.opportunity_update(
            actor=coordinator, opportunity=opportunity, title="Стало", min_amount=Decimal(-5)
        )
    opportunity.refresh_from_db()
    assert opportunity.title == "Было"
    assert not AuditEntry.objects.filter(action__startswith="opportunity.").exists()


def test_the_import_service_reports_each_rows_refusal_and_skips_repeats(coordinator):
    existing = OpportunityFactory(title="Уже есть")
    repeat = Row(2, {**_values(title="Уже есть", closes_on=existing.closes_on)})
    refused = Row(3, _values(title="Плохой", min_amount=Decimal(9), max_amount=Decimal(1)))
    unknown = Row(4, {**_values(title="Лишнее"), "colour": "red"})
    good = Row(5, _values(title="Новый"))
    added = catalogue.opportunities_import(actor=coordinator, rows=[repeat, refused, unknown, good])
    assert added == 1
    assert repeat.errors == ["Такой конкурс уже есть в каталоге."]
    assert refused.errors == ["грант до, ₽: Не меньше суммы «от»."]
    assert unknown.errors == ["Неизвестные поля: colour."]
    assert good.errors == []
    assert set(Opportunity.objects.values_list("title", flat=True)) == {"Уже есть", "Новый"}


# --- follows ----------------------------------------------------------------------------


def test_following_twice_is_one_follow_and_one_audit_entry():
    owner = MembershipFactory(role="owner")
    opportunity = OpportunityFactory()
    first = follows.follow_create(
        actor=owner.user, opportunity=opportunity, organization=owner.organization
    )
    again = follows.follow_create(
        actor=owner.user, opportunity=opportunity, organization=owner.organization
    )
    assert first.pk == again.pk
    assert AuditEntry.objects.filter(action="opportunity.follow").count() == 1
    assert follows.follow_delete(
        actor=owner.user, opportunity=opportunity, organization=owner.organization
    )
    assert not follows.follow_delete(
        actor=owner.user, opportunity=opportunity, organization=owner.organization
    )


@pytest.mark.parametrize("closed", ["withdrawn", "closed_yesterday"])
def test_a_past_call_is_not_now_for_an_owner(closed):
    owner = MembershipFactory(role="owner")
    if closed == "withdrawn":
        opportunity = OpportunityFactory(withdrawn=True)
    else:
        opportunity = OpportunityFactory(opens_on=None, closes_on=local_today() - timedelta(days=1))
    with pytest.raises(InvalidTransition) as refused:
        follows.follow_create(
            actor=owner.user, opportunity=opportunity, organization=owner.organization
        )
    assert refused.value.message == "Приём заявок на этот конкурс закончен."
    assert not Follow.objects.exists()


def test_a_call_closing_today_is_still_open_and_one_opening_later_is_not_yet():
    today = OpportunityFactory(opens_on=None, closes_on=local_today())
    assert today.is_open
    assert not today.is_past
    later = OpportunityFactory(
        opens_on=local_today() + timedelta(days=1), closes_on=local_today() + timedelta(days=9)
    )
    assert not later.is_open
    assert not later.is_past
    assert str(later) == later.title


# --- reminders in the city's local time -------------------------------------------------


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def followed():
    owner = MembershipFactory(role="owner")
    opportunity = OpportunityFactory(opens_on=date(2026, 11, 1), closes_on=DEADLINE)
    Follow.objects.create(opportunity=opportunity, organization=owner.organization)
    return owner


def test_the_early_reminder_starts_at_local_midnight_fourteen_days_before(followed, freeze_now):
    # 1 December in Krasnoyarsk (UTC+7) begins at 17:00 UTC on 30 November
    freeze_now(_utc(2026, 11, 30, 16, 59))
    assert follows.remind_opportunity_deadlines() == 0
    freeze_now(_utc(2026, 11, 30, 17, 0))
    assert follows.remind_opportunity_deadlines() == 1
    assert follows.remind_opportunity_deadlines() == 0
    notification = Notification.objects.get(user=followed.user)
    assert notification.params["days"] == 14
    assert notification.params["due"] == {"$date": "2026-12-15"}


def test_the_late_reminder_starts_at_local_midnight_three_days_before(followed, freeze_now):
    freeze_now(_utc(2026, 12, 11, 16, 59))  # still 11 December in the city: 4 days left
    assert follows.remind_opportunity_deadlines() == 1  # the early one, late in its window
    assert follows.remind_opportunity_deadlines() == 0
    freeze_now(_utc(2026, 12, 11, 17, 0))  # 12 December: 3 days left
    assert follows.remind_opportunity_deadlines() == 1
    freeze_now(_utc(2026, 12, 15, 16, 59))  # the deadline day's last minute
    assert follows.remind_opportunity_deadlines() == 0
    follow = Follow.objects.get()
    assert follow.reminded_early_at == _utc(2026, 12, 11, 16, 59)
    assert follow.reminded_late_at == _utc(2026, 12, 11, 17, 0)
    assert Notification.objects.filter(user=followed.user).count() == 2


def test_no_reminder_after_the_deadline_passed_in_the_city(followed, freeze_now):
    freeze_now(_utc(2026, 12, 15, 17, 0))  # 16 December in the city
    assert follows.remind_opportunity_deadlines() == 0
    assert not Notification.objects.exists()


def test_an_inactive_editor_is_not_reminded(followed, freeze_now):
    editor = MembershipFactory(organization=followed.organization, role="editor").user
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    freeze_now(_utc(2026, 12, 12, 3, 0))
    assert follows.remind_opportunity_deadlines() == 1
    assert list(Notification.objects.values_list("user_id", flat=True)) == [followed.user_id]
