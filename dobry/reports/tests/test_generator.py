import pytest
from django.core.management import call_command

from dobry.events.models import Event, Registration
from dobry.helprequests.models import HelpRequest
from dobry.reports import indicators
from dobry.reports.periods import year
from dobry.volunteering.models import HoursEntry, VolunteerProfile

pytestmark = pytest.mark.django_db


def test_the_generator_makes_activity_in_proportion_to_residents():
    from django.utils import timezone

    call_command("generate_region", "--residents", "2000", stdout=None)
    assert VolunteerProfile.objects.count() == 200
    assert HoursEntry.objects.count() == 20_000
    assert HelpRequest.objects.count() == 400
    assert Event.objects.count() == 100
    assert Registration.objects.count() > 300
    last_year = year(timezone.localdate().year - 1)
    figures = {f.key: f.value for f in indicators.passport(last_year)}
    assert figures["helped_residents"] > 0
    assert indicators.helped_residents(last_year).parts["programme_recipients"] > 0
    assert figures["involved_share"] > 0
