"""Who may sign up for a shift, and why not. Each rule gives a reason a person understands."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.core.clock import local_date
from dobry.events.models import Event, Registration, RegistrationQuerySet, Shift
from dobry.volunteering.models import ADULT_AGE as ADULT_AGE  # one age for shifts and profiles
from dobry.volunteering.models import VolunteerProfile, VolunteerQualification

MINOR_AGE = 14  # 14–17: with a parent's consent, on shifts open to minors


def signups_closed(event: Event) -> str:
    """Why nobody may sign up for any shift of `event` now, or "" when people may: the
    event is not published, or its organisation is not verified now (awaiting review or
    returned to its editors: its events keep their registrations, but take no new ones
    until it is verified again). The page, the API and `refusals` say the same."""
    if event.status != Event.Status.PUBLISHED:
        return _("Запись закрыта: мероприятие не опубликовано или отменено.")
    if not event.organization.is_verified:
        return _(
            "Запись закрыта: организатор мероприятия сейчас не проверен ресурсным центром. "
            "Те, кто уже записан, остаются записаны."
        )
    return ""


def refusals(
    *, user: User, shift: Shift, seats: int, group: str, minors_in_group: int
) -> list[str]:
    """Every reason why `user` cannot take this shift now; empty when they can."""
    reasons: list[str] = []
    closed = signups_closed(shift.event)
    if closed:
        reasons.append(closed)
    if shift.starts_at <= timezone.now():
        reasons.append(_("Смена уже началась."))
    if group == Registration.Group.INDIVIDUAL and (seats != 1 or minors_in_group):
        reasons.append(
            _("Одиночная запись — это одно место. Для семьи или группы выберите вид группы.")
        )
    if minors_in_group > max(seats - 1, 0):
        reasons.append(_("В группе должен быть хотя бы один взрослый."))
    if minors_in_group and not shift.open_to_minors:
        reasons.append(_("На эту смену не записывают несовершеннолетних."))
    reasons += _age_refusals(user, shift)
    reasons += _qualification_refusals(user, shift)
    if _overlapping(user, shift).exists():
        reasons.append(_("В это время у вас уже есть другая смена."))
    return reasons


def _age_refusals(user: User, shift: Shift) -> list[str]:
    profile = VolunteerProfile.objects.filter(user=user).first()
    age = profile.age(local_date(shift.starts_at)) if profile else None
    if age is None:
        return [
            _(
                "Укажите дату рождения в профиле волонтёра: от неё зависят правила для "
                "несовершеннолетних и книжка волонтёра."
            )
        ]
    if age < MINOR_AGE:
        return [_("Дети до 14 лет участвуют только вместе со взрослым: пусть он запишет семью.")]
    reasons = []
    if shift.min_age and age < shift.min_age:
        reasons.append(
            ngettext(
                "На эту смену записывают с %(age)s года.",
                "На эту смену записывают с %(age)s лет.",
                shift.min_age,
            )
            % {"age": shift.min_age}
        )
    if age < ADULT_AGE:
        if not shift.open_to_minors:
            reasons.append(_("На эту смену не записывают несовершеннолетних."))
        elif profile is not None and not profile.has_parental_consent:
            reasons.append(
                _("Нужно согласие родителя: попросите координатора отметить его в вашем профиле.")
            )
    return reasons


def _qualification_refusals(user: User, shift: Shift) -> list[str]:
    required = list(shift.qualifications.all())
    if not required:
        return []
    held = set(
        VolunteerQualification.objects.filter(user=user)
        .valid_on(local_date(shift.ends_at))
        .values_list("qualification_id", flat=True)
    )
    return [
        _("Нужна действующая квалификация: %(name)s.") % {"name": q.name}
        for q in required
        if q.pk not in held
    ]


def _overlapping(user: User, shift: Shift) -> RegistrationQuerySet:
    return (
        Registration.objects.active()
        .filter(
            Q(shift__starts_at__lt=shift.ends_at) & Q(shift__ends_at__gt=shift.starts_at),
            user=user,
        )
        .exclude(shift=shift)
    )
