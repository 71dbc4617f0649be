"""A donor's own donations: the list, a thank-you letter for each, and once a year the
statement of donations to non-profits for the social tax deduction (НК РФ, ст. 219,
п. 1, пп. 1)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.auth import request_user
from dobry.charity import permissions, selectors
from dobry.charity.models import Donation, Pledge
from dobry.core.documents import docx_letter, docx_response
from dobry.core.numbers import roubles
from dobry.core.request_values import choice_param, year_param
from dobry.core.typography import quoted


@login_required
def my_donations(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    context = {
        "donations": selectors.donations_of_donor(user),
        "years": selectors.donation_years(user),
    }
    return render(request, "charity/my_donations.html", context)


def _letter(donation: Donation) -> list[str]:
    what = quoted(donation.campaign.title) if donation.campaign else _("уставную деятельность")
    return [
        _("Благодарим вас за пожертвование на %(what)s: %(amount)s, поступившее %(date)s.")
        % {
            "amount": roubles(donation.amount),
            "what": what,
            "date": formats.date_format(donation.received_on, "j E Y"),
        },
        _(
            "Ваша помощь дошла до тех, кому она нужна. Отчёт о том, на что потрачены деньги, публикуется на странице сбора."
        ),
    ]


@login_required
def thank_you_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """?format=docx for Word; otherwise a page to print."""
    user = request_user(request)
    donation = Donation.objects.select_related("campaign", "organization").filter(pk=pk).first()
    if donation is None or not permissions.can_read_donation(user, donation):
        raise Http404
    paragraphs = _letter(donation)
    signature = f"{donation.organization.name}, {settings.DOBRY_SITE_NAME}"
    title = _("Благодарственное письмо")
    if choice_param(request.GET, "format", ("html", "docx"), "html") == "docx":
        return docx_response(
            f"thanks-{donation.pk}.docx", docx_letter(title, paragraphs, signature)
        )
    context = {"title": title, "paragraphs": paragraphs, "signature": signature}
    return render(request, "charity/letter.html", context)


@login_required
def pledge_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A thank-you letter for help in kind the organisation received (a business files it
    with its accounts). ?format=docx for Word."""
    user = request_user(request)
    pledge = (
        Pledge.objects.select_related("need__organization", "on_behalf")
        .filter(pk=pk, pledger=user, status=Pledge.Status.RECEIVED)
        .first()
    )
    if pledge is None:
        raise Http404
    need = pledge.need
    giver = pledge.on_behalf.name if pledge.on_behalf else (user.get_full_name() or user.email)
    paragraphs = [
        giver,
        _("Благодарим вас за помощь: %(title)s — %(quantity)s %(unit)s, получено %(date)s.")
        % {
            "title": quoted(need.title),
            "quantity": pledge.quantity,
            "unit": need.unit,
            "date": formats.date_format(pledge.received_on, "j E Y") if pledge.received_on else "",
        },
    ]
    signature = f"{need.organization.name}, {settings.DOBRY_SITE_NAME}"
    title = _("Благодарственное письмо")
    if choice_param(request.GET, "format", ("html", "docx"), "html") == "docx":
        return docx_response(
            f"thanks-pledge-{pledge.pk}.docx", docx_letter(title, paragraphs, signature)
        )
    context = {"title": title, "paragraphs": paragraphs, "signature": signature}
    return render(request, "charity/letter.html", context)


@login_required
def tax_statement(request: HttpRequest) -> HttpResponse:
    """The year's donations to non-profits with an ИНН (`selectors.DEDUCTIBLE_KINDS`), by
    organisation: what the donor attaches, with the bank's payment documents, to the 3-НДФЛ
    declaration; donations to other recipients are counted as left out. ?year=,
    ?format=docx."""
    user = request_user(request)
    years = selectors.donation_years(user)
    year = year_param(request.GET, "year", default=years[0] if years else None)
    if year not in years:
        raise Http404
    of_year = selectors.donations_of_donor(user).of_year(year)
    donations = list(selectors.deductible(of_year).order_by("received_on", "pk"))
    left_out = of_year.count() - len(donations)
    total = sum((d.amount for d in donations), Decimal("0"))
    lines = [
        _("%(date)s — %(organization)s (ИНН %(inn)s): %(amount)s")
        % {
            "date": formats.date_format(d.received_on, "d.m.Y"),
            "organization": d.organization.name,
            "inn": d.organization.inn,
            "amount": roubles(d.amount),
        }
        for d in donations
    ]
    title = _("Пожертвования некоммерческим организациям за %(year)s год") % {"year": year}
    paragraphs = [
        user.get_full_name() or user.email,
        *lines,
        _("Итого: %(total)s.") % {"total": roubles(total)},
        *(
            [
                ngettext(
                    "Не вошло %(count)s пожертвование: получатель не некоммерческая "
                    "организация с ИНН (инициативная группа, бизнес, администрация).",
                    "Не вошло %(count)s пожертвований: получатель не некоммерческая "
                    "организация с ИНН (инициативная группа, бизнес, администрация).",
                    left_out,
                )
                % {"count": left_out}
            ]
            if left_out
            else []
        ),
        _(
            "Для социального налогового вычета (подпункт 1 пункта 1 статьи 219 НК РФ) к "
            "декларации 3-НДФЛ прикладывают платёжные документы банка; эта справка помогает "
            "их собрать."
        ),
    ]
    signature = str(settings.DOBRY_SITE_NAME)
    if choice_param(request.GET, "format", ("html", "docx"), "html") == "docx":
        return docx_response(f"donations-{year}.docx", docx_letter(title, paragraphs, signature))
    context = {"title": title, "paragraphs": paragraphs, "signature": signature}
    return render(request, "charity/letter.html", context)
