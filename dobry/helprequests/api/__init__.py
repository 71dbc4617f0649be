"""The help requests' API: one router, tagged «help requests», made of a submodule per part,
each calling the same permission, selector and service as its page: `help_requests` (asking
for help, reading and correcting a request), `handling` (moves, the helper's report,
closing, rating, the invitation), `offers` (candidates, offers and answers), `batch` (the
day's plan), `triage` (the coordinators' queue, urgency, routing), `programmes` (the
catalogue and monthly records). Operation ids stay `dobry_helprequests_api_<function>`
(`dobry.api.api.DobryAPI`)."""

from ninja import Router

from dobry.helprequests.api import batch, handling, help_requests, offers, programmes, triage

router = Router(tags=["help requests"])
for part in (help_requests, handling, offers, batch, triage, programmes):
    router.add_router("", part.router)

__all__ = ["router"]
