"""The volunteer's documents: thank-you letters per event, the yearly summary, and the
export of confirmed hours in the fields DOBRO.RF («Добровольцы России») imports."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.core.clock import local_today
from dobry.core.documents import csv_response, docx_letter, docx_response, xlsx_response
from dobry.core.numbers import plain_number
from dobry.core.request_values import FIRST_DATE, LAST_DATE, choice_param
from dobry.core.typography import quoted
from dobry.volunteering.models import HoursEntry, VolunteerProfile

DOBRO_HEADER = (
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Email",
    "Мероприятие",
    "Организатор",
    "ИНН организатора",
    "Дата",
    "Часы",
)


def _full_name(user: User) -> str:
    return " ".join(part for part in (user.last_name, user.first_name, user.middle_name) if part)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """A thank-you letter for one confirmed entry; ?format=docx gives it for Word."""
    user = request_user(request)
    entry = (
        HoursEntry.objects.confirmed()
        .select_related("organization")
        .filter(pk=pk, user=user)
        .first()
    )
    if entry is None:
        raise Http404
    date = formats.date_format(entry.date, "j E Y")
    paragraphs = [
        _full_name(user),
        _(
            "Благодарим вас за участие в %(what)s %(date)s. Вы подарили городу %(hours)s ч своего времени и сил."
        )
        % {"what": quoted(entry.description), "date": date, "hours": plain_number(entry.hours)},
    ]
    if entry.thanks:
        paragraphs.append(entry.thanks)
    signature = f"{entry.organization.name}, {settings.DOBRY_SITE_NAME}"
    if choice_param(request.GET, "format", ("html", "docx"), "html") == "docx":
        content = docx_letter(_("Благодарственное письмо"), paragraphs, signature)
        return docx_response(f"thanks-{entry.pk}.docx", content)
    return render(
        request,
        "volunteering/certificate.html",
        {
            "title": _("Благодарственное письмо"),
            "paragraphs": paragraphs,
            "signature": signature,
            "docx": True,
        },
    )


@login_required
def year_summary(request: HttpRequest, year: int) -> HttpResponse:
    user = request_user(request)
    if not FIRST_DATE.year <= year <= LAST_DATE.year:
        raise Http404  # no hours can be dated then; year 0 would not even make a date
    entries = (
        HoursEntry.objects.confirmed()
        .happened()
        .filter(user=user, date__year=year)
        .select_related("organization")
    )
    total = entries.aggregate(total=Sum("hours"))["total"]
    if total is None:
        raise Http404
    by_organization = (
        entries.values("organization__name").annotate(total=Sum("hours")).order_by("-total")
    )
    paragraphs = [
        _full_name(user),
        _("В %(year)s году вы помогали городу %(hours)s ч.")
        % {"year": year, "hours": plain_number(total)},
        *[
            _("%(organization)s — %(hours)s ч")
            % {
                "organization": row["organization__name"],
                "hours": plain_number(row["total"]),
            }
            for row in by_organization
        ],
        _("Спасибо, что делаете город добрее!"),
    ]
    signature = settings.DOBRY_SITE_NAME
    title = _("Итоги волонтёрского года %(year)s") % {"year": year}
    if choice_param(request.GET, "format", ("html", "docx"), "html") == "docx":
        return docx_response(f"dobry-{year}.docx", docx_letter(title, paragraphs, signature))
    return render(
        request,
        "volunteering/certificate.html",
        {"title": title, "paragraphs": paragraphs, "signature": signature, "docx": True},
    )


def _dobro_rows(user: User) -> list[list[object]]:
    profile = VolunteerProfile.objects.filter(user=user).first()
    # Добро.рф's import reads dates as «ДД.ММ.ГГГГ» text, so they are written that way.
    born = profile.date_of_birth.strftime("%d.%m.%Y") if profile and profile.date_of_birth else ""
    return [
        [
            user.last_name,
            user.first_name,
            user.middle_name,
            born,
            user.email,
            entry.description,
            entry.organization.name,
            entry.organization.inn,
            entry.date.strftime("%d.%m.%Y"),
            entry.hours,
        ]
        for entry in HoursEntry.objects.confirmed()
        .filter(user=user)
        .select_related("organization")
        .order_by("date")
    ]


@login_required
def export_hours(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user = request_user(request)
    stamp = local_today().isoformat()
    if fmt == "xlsx":
        return xlsx_response(f"dobry-hours-{stamp}.xlsx", "Часы", DOBRO_HEADER, _dobro_rows(user))
    return csv_response(f"dobry-hours-{stamp}.csv", DOBRO_HEADER, _dobro_rows(user), delimiter=";")
