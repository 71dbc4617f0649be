"""The volunteer profile: what the person edits (`volunteer_profile_update`), its public
page with the consent to publish it, the accessibility needs (health data under a written
consent), and a parent's consent recorded for a minor."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.accounts.services import consent_accept, user_has_written_consent
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.core.models import District
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.organizations.areas import Area
from dobry.volunteering.models import ADULT_AGE, AVAILABILITY_SLOTS, MAX_AGE, VolunteerProfile


def profile_for(user: User) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    return profile


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
