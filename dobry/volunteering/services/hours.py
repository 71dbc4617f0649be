"""The hours ledger: pending entries from attendance or claims, confirmed by organisers."""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.accounts.services import consent_accept, user_has_written_consent
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.dates import day_text
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import locked
from dobry.core.models import District
from dobry.core.numbers import plain_number
from dobry.core.references import Reference
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.validators import require_fact_date
from dobry.organizations.areas import Area
from dobry.organizations.models import Membership, Organization
from dobry.volunteering import notifications as kinds
from dobry.volunteering import permissions
from dobry.volunteering.models import (
    ADULT_AGE,
    AVAILABILITY_SLOTS,
    HOURS_WORKFLOW,
    MAX_AGE,
    HoursEntry,
    VolunteerProfile,
)

if TYPE_CHECKING:
    from dobry.events.models import Registration

# What one claim or one decision may hold — the claim form, the decision form and the API
# all take these (`hours_amount` is the rule): from a quarter of an hour to a whole day, in
# steps of a hundredth of an hour (the forms' `step`, two decimal places).
MIN_HOURS_PER_ENTRY = Decimal("0.25")
MAX_HOURS_PER_ENTRY = Decimal("24")
HOURS_DECIMAL_PLACES = 2
HOURS_STEP = Decimal(1).scaleb(-HOURS_DECIMAL_PLACES)
# A person's hours on one city day, from every source (claims, attendance, the paper list,
# help requests) — pending and confirmed alike: a day has no more hours than this.
MAX_HOURS_PER_DAY = Decimal("24")


def profile_for(user: User) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    return profile


def hours_amount(value: object) -> Decimal:
    """Hours a person typed (a claim, an adjusted decision), checked for meaning: a number
    from `MIN_HOURS_PER_ENTRY` to `MAX_HOURS_PER_ENTRY` in steps of `HOURS_STEP`. Raises
    DomainError on `hours` otherwise — the one rule behind the forms and the API."""
    try:
        hours = Decimal(str(value))
        if not hours.is_finite():  # «NaN» refuses to compare, «Infinity» to quantize
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("Укажите число часов."), field_errors={"hours": [_("Нужно число.")]}
        ) from None
    bounds = {
        "min": number_format(MIN_HOURS_PER_ENTRY),
        "max": number_format(MAX_HOURS_PER_ENTRY),
    }
    if not MIN_HOURS_PER_ENTRY <= hours <= MAX_HOURS_PER_ENTRY:
        raise DomainError(
            _("Часов должно быть не меньше %(min)s и не больше %(max)s.") % bounds,
            field_errors={"hours": [_("От %(min)s до %(max)s.") % bounds]},
        )
    if hours != hours.quantize(HOURS_STEP):
        raise DomainError(
            _("Часы указывают с точностью до сотых."),
            field_errors={"hours": [_("Не больше двух знаков после запятой.")]},
        )
    return hours.quantize(HOURS_STEP)


@contextmanager
def hours_guard(user: User) -> Iterator[User]:
    """A transaction in which nobody else adds hours for `user`: the person's row is locked
    (`core.locking`), so two claims sent at once cannot both fit into the same day's 24
    hours. Every write of hours to the ledger runs inside it."""
    with locked(User.objects.all(), user.pk) as row:
        yield row


def day_hours(user: User, day: date, *, exclude: HoursEntry | None = None) -> Decimal:
    """The person's hours on the city day `day`, pending and confirmed, from every source."""
    entries = HoursEntry.objects.filter(user=user, date=day).exclude(
        status=HoursEntry.Status.DECLINED
    )
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    total = entries.aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


def _room_in_day(user: User, day: date, *, exclude: HoursEntry | None = None) -> Decimal:
    return max(MAX_HOURS_PER_DAY - day_hours(user, day, exclude=exclude), Decimal("0"))


def _day_full(day: date, room: Decimal) -> DomainError:
    message = _(
        "За %(day)s уже учтено %(taken)s ч, а в сутках не больше 24 часов: "
        "можно добавить не больше %(room)s ч."
    ) % {
        "day": day_text(day),
        "taken": plain_number(MAX_HOURS_PER_DAY - room),
        "room": plain_number(room),
    }
    return DomainError(message, field_errors={"hours": [message]})


def _refuse_future(day: date) -> None:
    """Hours are credited only once worked: a day still to come is refused at `day`."""
    if day > local_today():
        raise DomainError(
            _("Дата не может быть в будущем."), field_errors={"day": [_("Дата в будущем.")]}
        )


def _fitted_to_day(user: User, day: date, hours: Decimal, *, trim_to_day: bool) -> Decimal:
    """`hours` if the day still holds them; else refused at `hours` — or, `trim_to_day`, what
    is left of the day (0 when it is full). Inside `hours_guard(user)`."""
    room = _room_in_day(user, day)
    if hours <= room:
        return hours
    if not trim_to_day:
        raise _day_full(day, room)
    return room


def _decided_at_once(confirmed_by: User | None) -> dict[str, Any]:
    """The fields of an entry confirmed as it is recorded (none for a pending one)."""
    if confirmed_by is None:
        return {}
    return {
        "status": HoursEntry.Status.CONFIRMED,
        "decided_by": confirmed_by,
        "decided_at": timezone.now(),
    }


def hours_record(
    *,
    user: User,
    organization: Organization,
    day: date,
    hours: Decimal,
    source: str,
    area: str = "",
    description: str = "",
    registration: "Registration | None" = None,
    origin: Reference | None = None,
    trim_to_day: bool = False,
    confirmed_by: User | None = None,
) -> HoursEntry | None:
    """An entry in the ledger (from attendance, a claim or a help request — `origin`, the
    record of a higher app it was given for), pending unless `confirmed_by` confirms it at
    once. Raises DomainError for a day still to come (hours
    are credited only once worked) and for hours past MAX_HOURS_PER_DAY on that day — or,
    with `trim_to_day` (recorded attendance, which happened whatever was claimed), credits
    only what is left of the day, and nothing when the day is full (returns None)."""
    _refuse_future(day)
    with hours_guard(user):
        hours = _fitted_to_day(user, day, hours, trim_to_day=trim_to_day)
        if hours <= 0:
            return None
        entry = HoursEntry(
            user=user,
            organization=organization,
            registration=registration,
            date=day,
            hours=hours,
            claimed_hours=hours,
            area=area,
            description=description,
            source=source,
            **_decided_at_once(confirmed_by),
        )
        entry.origin = origin
        entry.save()
        log_action(
            actor=user,
            action="hours.record",
            obj=entry,
            data={"hours": str(hours), "source": source},
        )
    return entry


def _claimed_already(
    user: User, organization: Organization, day: date, area: str
) -> HoursEntry | None:
    return (
        HoursEntry.objects.filter(
            user=user,
            organization=organization,
            date=day,
            area=area,
            source=HoursEntry.Source.CLAIM,
            registration__isnull=True,
        )
        .exclude(status=HoursEntry.Status.DECLINED)
        .first()
    )


def claim_earliest_day(today: date | None = None) -> date:
    """The earliest day hours may be claimed for: 1 January of the previous year on the
    city's clock. A claim is help a person remembers and an organisation can still check;
    the year's hours are reported in the next (the record book, the passport's results for
    the last full year), so last year stays open all through this one — and no longer."""
    today = today or local_today()
    return date(today.year - 1, 1, 1)


def _check_claim(*, organization: Organization, day: date, description: str, area: str) -> str:
    """What a claim must be before the ledger is locked: for an organisation verified now,
    with a description, for a day that has come and is not before `claim_earliest_day`, in
    a known area (DomainError at the field otherwise). Returns the description as stored."""
    if organization.status != Organization.Status.VERIFIED:
        message = _(
            "Организация ещё не проверена координаторами: часы ей можно заявить после проверки."
        )
        raise DomainError(message, field_errors={"organization": [message]})
    description = description.strip()
    if not description:
        raise DomainError(
            _("Опишите, что вы сделали."), field_errors={"description": [_("Обязательное поле.")]}
        )
    _refuse_future(day)
    require_fact_date(day, field="day", earliest=claim_earliest_day())
    if area and area not in Area.values:
        raise DomainError(
            _("Неизвестное направление."), field_errors={"area": [_("Выберите из списка.")]}
        )
    return description


def _refuse_second_claim(user: User, organization: Organization, day: date, area: str) -> None:
    """One claim per day, organisation and area while the first stands (at `day`); read
    under the person's lock, so two identical claims sent at once find each other."""
    if _claimed_already(user, organization, day, area) is not None:
        message = _(
            "Вы уже заявили часы за %(day)s этой организации по этому направлению: "
            "дождитесь решения по той заявке."
        ) % {"day": day_text(day)}
        raise DomainError(message, field_errors={"day": [message]})


def _tell_deciders(organization: Organization, entry: HoursEntry) -> None:
    """The organisation's owners and editors decide a claim: they are told of it."""
    notify(
        kinds.HOURS_CLAIMED,
        User.objects.filter(
            memberships__organization=organization,
            memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
        ),
        {"entry": entry},
    )


def hours_claim(
    *,
    user: User,
    organization: Organization,
    day: date,
    hours: object,
    description: str,
    area: str = "",
) -> HoursEntry:
    """A volunteer claims hours for help given outside the platform; the organisation
    decides. One claim per day, organisation and area (a second is refused while the first
    stands), and never past 24 hours on the day from all sources (`hours_record`): raises
    DomainError naming the field. The page and the API call this one service. Only an
    organisation verified now takes claims (one awaiting review or returned: DomainError at
    `organization`, saying so)."""
    description = _check_claim(
        organization=organization, day=day, description=description, area=area
    )
    amount = hours_amount(hours)
    with hours_guard(user):
        _refuse_second_claim(user, organization, day, area)
        entry = hours_record(
            user=user,
            organization=organization,
            day=day,
            hours=amount,
            source=HoursEntry.Source.CLAIM,
            area=area,
            description=description,
        )
        assert entry is not None  # a claim is refused, never trimmed
        _tell_deciders(organization, entry)
    return entry


def _check_confirmable(entry: HoursEntry) -> None:
    """Hours of a day still to come, or of a shift whose registration was cancelled, are
    not confirmed (DomainError, InvalidTransition)."""
    if entry.date > local_today():
        raise DomainError(_("Часы за будущую дату подтвердить нельзя."))
    if entry.source == HoursEntry.Source.CLAIM and entry.date < claim_earliest_day():
        raise DomainError(
            _("Заявку на часы за %(day)s подтвердить нельзя: часы заявляют не раньше %(first)s.")
            % {"day": day_text(entry.date), "first": day_text(claim_earliest_day())}
        )
    shift_registration = entry.registration
    if (
        shift_registration is not None
        and shift_registration.status != shift_registration.Status.CONFIRMED
    ):
        raise InvalidTransition(_("Запись на смену отменена: часы подтвердить нельзя."))


def _confirmed_hours(*, actor: User, entry: HoursEntry, hours: object, reason: str) -> Decimal:
    """The hours to confirm: the entry's own, or `hours` typed by the organiser — another
    number is the move «adjust», which needs a reason, and must fit the person's day with
    their other hours (DomainError at `hours`)."""
    if hours is None:
        return entry.hours
    new_hours = hours_amount(hours)
    if new_hours != entry.hours:
        HOURS_WORKFLOW.check_for(
            actor,
            entry,
            "adjust",
            permissions.can_decide_hours,
            reason=reason,
        )
        with hours_guard(entry.user):
            room = _room_in_day(entry.user, entry.date, exclude=entry)
        if new_hours > room:
            raise _day_full(entry.date, room)
    return new_hours


def hours_confirm(
    *, actor: User, entry: HoursEntry, hours: object = None, reason: str = "", thanks: str = ""
) -> HoursEntry:
    """Confirm an entry as it is, or adjusted — an adjustment needs a reason. Nobody
    confirms their own hours (an editor who volunteered waits for another editor or a
    coordinator): raises PermissionDenied (a DomainError, 403 in the API)."""
    with transaction.atomic():
        entry = (
            HoursEntry.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=entry.pk)
        )
        # who may decide is a 403 in the API (one's own hours, another organisation's)
        HOURS_WORKFLOW.check_for(actor, entry, "confirm", permissions.can_decide_hours)
        _check_confirmable(entry)
        entry.hours = _confirmed_hours(actor=actor, entry=entry, hours=hours, reason=reason)
        entry.status = HoursEntry.Status.CONFIRMED
        entry.reason = reason.strip()
        entry.thanks = thanks.strip()
        entry.decided_by = actor
        entry.decided_at = timezone.now()
        entry.save()
        log_action(
            actor=actor,
            action="hours.confirm",
            obj=entry,
            data={
                "hours": str(entry.hours),
                "claimed": str(entry.claimed_hours),
                "reason": entry.reason,
            },
        )
        notify(kinds.HOURS_CONFIRMED, [entry.user], {"entry": entry})
    return entry


def hours_decline(*, actor: User, entry: HoursEntry, reason: str) -> HoursEntry:
    """Decline an entry; the reason is required and told to the volunteer."""
    reason = reason.strip()
    with transaction.atomic():
        entry = (
            HoursEntry.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=entry.pk)
        )
        HOURS_WORKFLOW.check_for(
            actor,
            entry,
            "decline",
            permissions.can_decide_hours,
            reason=reason,
        )
        entry.status = HoursEntry.Status.DECLINED
        entry.reason = reason
        entry.decided_by = actor
        entry.decided_at = timezone.now()
        entry.save()
        log_action(actor=actor, action="hours.decline", obj=entry, data={"reason": reason})
        notify(kinds.HOURS_DECLINED, [entry.user], {"entry": entry, "reason": reason})
    return entry


def hours_decide(
    *,
    actor: User,
    entry: HoursEntry,
    decision: str,
    hours: object = None,
    reason: str = "",
    thanks: str = "",
) -> HoursEntry:
    """One of the moves of `HOURS_WORKFLOW` by its name (the button pressed): «confirm»
    or «adjust» (with other hours) confirm, «decline» declines. Raises DomainError for a
    name the workflow does not know."""
    move = HOURS_WORKFLOW.move(decision)
    if move.target == HoursEntry.Status.DECLINED:
        return hours_decline(actor=actor, entry=entry, reason=reason)
    return hours_confirm(actor=actor, entry=entry, hours=hours, reason=reason, thanks=thanks)


def parental_consent_record(*, actor: User, volunteer: User, parent_name: str) -> VolunteerProfile:
    """A coordinator records the written consent of a minor volunteer's parent."""
    parent_name = parent_name.strip()
    if not parent_name:
        raise DomainError(
            _("Укажите ФИО родителя."), field_errors={"parent_name": [_("Обязательное поле.")]}
        )
    require_within_limits(
        {"parent_name": (parent_name, text_limit(VolunteerProfile, "parental_consent_by"))}
    )
    with transaction.atomic():
        profile = profile_for(volunteer)
        profile.parental_consent_by = parent_name
        profile.parental_consent_at = timezone.now()
        profile.parental_consent_recorded_by = actor
        profile.save(
            update_fields=[
                "parental_consent_by",
                "parental_consent_at",
                "parental_consent_recorded_by",
            ]
        )
        log_action(
            actor=actor, action="parental_consent.record", obj=profile, data={"parent": parent_name}
        )
    return profile


def public_profile_set(
    *, user: User, public: bool, ip_address: str | None, consent: bool = False
) -> VolunteerProfile:
    """Publishing a profile needs its own consent (152-ФЗ art. 10.1), given explicitly when
    the person turns publication on — `consent`: the page's tick beside the consent's text,
    the API's `consent_to_publication` — and withdrawn when they turn it off. A minor (by
    the date of birth, on the city's date) publishes only once a parent's written consent
    is recorded (`parental_consent_record`), as for shifts. Refusals: DomainError on
    `consent_to_publication` or `public_profile`; nothing is recorded."""
    kind = ConsentDocument.Kind.PUBLIC_PROFILE
    with transaction.atomic():
        profile = profile_for(user)
        active = ConsentRecord.objects.active().filter(user=user, document__kind=kind)
        if public:
            _check_publication(profile, consented=consent or active.exists())
            if not active.exists():
                consent_accept(user=user, kind=kind, ip_address=ip_address)
        if not public:
            active.update(withdrawn_at=timezone.now())
        if profile.public_profile != public:
            profile.public_profile = public
            profile.save(update_fields=["public_profile"])
            log_action(
                actor=user, action="volunteer_profile.public", obj=profile, data={"public": public}
            )
    return profile


def _check_publication(profile: VolunteerProfile, *, consented: bool) -> None:
    age = profile.age()
    if age is not None and age < ADULT_AGE and not profile.has_parental_consent:
        message = _(
            "До 18 лет профиль публикуется с письменного согласия родителя: его записывает "
            "координатор."
        )
        raise DomainError(message, field_errors={"public_profile": [message]})
    if not consented:
        message = _("Чтобы открыть профиль, дайте согласие на публикацию.")
        raise DomainError(message, field_errors={"consent_to_publication": [message]})


def accessibility_needs_set(*, user: User, needs: str) -> VolunteerProfile:
    """Keep what the volunteer needs to take part (a ramp, a companion) — health data
    (152-ФЗ art. 10): accepted only under the volunteer's written consent
    (`ConsentDocument.Kind.VOLUNTEER_HEALTH`), stored encrypted. Clearing it needs none.

    Raises DomainError on the `accessibility_needs` field without that consent."""
    needs = needs.strip()
    kind = ConsentDocument.Kind.VOLUNTEER_HEALTH
    if needs and not user_has_written_consent(user, kind):
        message = _(
            "Это сведения о здоровье: сначала подпишите письменное согласие на их обработку."
        )
        raise DomainError(message, field_errors={"accessibility_needs": [message]})
    profile = profile_for(user)
    if (profile.accessibility_needs or "") == needs:
        return profile
    with transaction.atomic():
        profile.accessibility_needs = needs or None
        profile.save(update_fields=["accessibility_needs", "updated_at"])
        log_action(
            actor=user,
            action="volunteer_profile.accessibility_set",
            obj=profile,
            data={"given": bool(needs)},
        )
    return profile


def accessibility_needs_read_own(*, user: User) -> str:
    """The person's own accessibility needs (health data, 152-ФЗ art. 10) for the API —
    `GET /api/v1/me/volunteer-profile/accessibility-needs`, the only operation that answers
    them. Not audited: the person reading their own data is no access by a third party (as
    on the profile page); the reads by organisers are (`events.services.accessibility`).
    "" when there are none."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    return (profile.accessibility_needs or "") if profile is not None else ""


# What the person edits on their volunteer profile page, besides the districts, the
# accessibility needs and publication, which have their own rules.
PROFILE_FIELDS = (
    "date_of_birth",
    "skills",
    "interests",
    "availability",
    "languages",
    "woman",
    "emergency_contact",
    "weekly_digest",
)


def _profile_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The plain profile fields checked for meaning, for the page and the API alike:
    a date of birth neither ahead nor more than `MAX_AGE` years back, known areas and
    cells of the week (each once). Raises DomainError naming the field."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(_("Неизвестные поля: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values = dict(fields)
    born = values.get("date_of_birth")
    today = local_today()
    if born is not None and (born > today or born.year < today.year - MAX_AGE):
        message = _("Проверьте дату рождения.")
        raise DomainError(message, field_errors={"date_of_birth": [message]})
    for name, known, message in (
        ("interests", Area.values, _("Неизвестное направление.")),
        ("availability", AVAILABILITY_SLOTS, _("Неизвестное время недели.")),
    ):
        if name in values:
            chosen = [str(value) for value in values[name]]
            if set(chosen) - set(known):
                raise DomainError(message, field_errors={name: [_("Выберите из списка.")]})
            values[name] = list(dict.fromkeys(chosen))
    return values


def volunteer_profile_update(
    *,
    user: User,
    fields: Mapping[str, Any],
    districts: Iterable[District] | None = None,
    accessibility_needs: str | None = None,
    public: bool | None = None,
    public_consent: bool = False,
    ip_address: str | None,
) -> VolunteerProfile:
    """Save the person's volunteer profile in one transaction — the page's form and
    `PATCH /api/v1/me/volunteer-profile` alike: the plain `fields` (any of
    `PROFILE_FIELDS`, checked by `_profile_values`), the districts, the accessibility needs
    (refused without the written consent: DomainError on `accessibility_needs`) and
    publication with its consent (`public_profile_set`); `None` leaves a part as it is.
    A refusal keeps nothing."""
    values = _profile_values(fields)
    with transaction.atomic():
        if accessibility_needs is not None:
            profile = accessibility_needs_set(user=user, needs=accessibility_needs)
        else:
            profile = profile_for(user)
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save()
        if districts is not None:
            profile.districts.set(list(districts))
        if public is not None:
            profile = public_profile_set(
                user=user, public=public, ip_address=ip_address, consent=public_consent
            )
        log_action(
            actor=user,
            action="volunteer_profile.update",
            obj=profile,
            data={"fields": sorted(values)},
        )
    return profile
