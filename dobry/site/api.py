"""The API's router list: each domain app's router, mounted on the one `NinjaAPI`."""

from dobry.accounts.api import router as accounts_router
from dobry.api.api import api
from dobry.charity.api import router as charity_router
from dobry.civic.api import router as civic_router
from dobry.communications.api import router as communications_router
from dobry.communications.channels.api import router as channels_router
from dobry.communications.mailings.api import router as mailings_router
from dobry.communications.news.api import router as news_router
from dobry.communications.suppression_api import router as subscriptions_router
from dobry.events.api import router as events_router
from dobry.festivals.api import router as festivals_router
from dobry.grants.api import router as grants_router
from dobry.helprequests.api import router as helprequests_router
from dobry.opportunities.api import router as opportunities_router
from dobry.organizations.api import router as organizations_router
from dobry.reports.api import router as reports_router
from dobry.resources.api import router as resources_router
from dobry.volunteering.api import router as volunteering_router

api.add_router("/", accounts_router)
api.add_router("/", communications_router)
api.add_router("/", subscriptions_router)
api.add_router("/", news_router)
api.add_router("/", mailings_router)
api.add_router("/", channels_router)
api.add_router("/organizations", organizations_router)
api.add_router("/", events_router)
api.add_router("/", volunteering_router)
api.add_router("/", resources_router)
api.add_router("/", helprequests_router)
api.add_router("/", grants_router)
api.add_router("/", opportunities_router)
api.add_router("/", charity_router)
api.add_router("/", civic_router)
api.add_router("/", festivals_router)
api.add_router("/", reports_router)

__all__ = ["api"]
