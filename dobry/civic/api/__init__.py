"""City initiatives by API: initiatives, their stages, the resource centre's answer and
links (`initiatives`); supports, follows, the team and comments (`people`); residents'
votes (`votes`)."""

from ninja import Router

from dobry.civic.api.initiatives import router as initiatives_router
from dobry.civic.api.people import router as people_router
from dobry.civic.api.votes import router as votes_router

router = Router()
router.add_router("", initiatives_router)
router.add_router("", people_router)
router.add_router("", votes_router)
