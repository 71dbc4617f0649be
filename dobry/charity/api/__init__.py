"""Charity by API: campaigns, their payment QR code and the bank details it is built from
(`campaigns`); donations, bank statements and the queue (`money`); in-kind needs and
pledges (`needs`); spending and public reports (`spending`) — the same permission
functions, selectors and services as the pages."""

from ninja import Router

from dobry.charity.api.campaigns import router as campaigns_router
from dobry.charity.api.money import router as money_router
from dobry.charity.api.needs import router as needs_router
from dobry.charity.api.spending import router as spending_router

router = Router()
router.add_router("", campaigns_router)
router.add_router("", money_router)
router.add_router("", needs_router)
router.add_router("", spending_router)
