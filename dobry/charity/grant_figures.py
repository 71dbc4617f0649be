"""Donations to a grant project's campaigns, for its reports (`grants.reporting.figures`):
money received within the report's period for the campaigns that name the agreement."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from dobry.charity.models import Donation
from dobry.grants.models import Agreement
from dobry.grants.reporting.figures import Figure, register


def donations(agreement: Agreement, first: date, last: date) -> dict[str, str]:
    received = Donation.objects.filter(
        campaign__agreement=agreement, received_on__gte=first, received_on__lte=last
    ).aggregate(total=Sum("amount"), n=Count("pk"), donors=Count("donor_key", distinct=True))
    return {
        "donations_amount": str((received["total"] or Decimal(0)).quantize(Decimal("0.01"))),
        "donations": str(received["n"]),
        "donors": str(received["donors"]),
    }


register(
    [
        Figure("donations_amount", _("пожертвования на сборы проекта, ₽")),
        Figure("donations", _("пожертвования на сборы проекта, число")),
        Figure("donors", _("жертвователи, человек")),
    ],
    donations,
)
