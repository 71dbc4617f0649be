from datetime import timedelta
from decimal import Decimal

import factory

from dobry.core.clock import local_today
from dobry.opportunities.models import Opportunity


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Конкурс проектов {n}")
    programme = Opportunity.Programme.PRESIDENTIAL
    organiser = "Фонд президентских грантов"
    summary = "Гранты на социальные проекты."
    areas = factory.LazyFunction(lambda: ["social"])
    eligible_kinds = factory.LazyFunction(lambda: ["sonko"])
    min_amount = Decimal("500000")
    max_amount = Decimal("3000000")
    opens_on = factory.LazyFunction(lambda: local_today() - timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: local_today() + timedelta(days=30))
    url = "https://xn--80afcdbalict6afooklqi5o.xn--p1ai/"
