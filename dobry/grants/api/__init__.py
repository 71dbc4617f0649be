"""The grant competition API: the whole process, from the call to the published results,
thin over the services and with the same visibility rules as the pages.

One router, tagged «grant competitions», made of a submodule per part of the process:
`competitions` (the call and its criteria), `applications` (drafts, submission,
screening), `experts` (the pool and who reviews what, for the organisers), `reviews` (the
expert's own work), `results` (ranking, allocation, the commission, open data). Operation
ids stay `dobry_grants_api_<function>` (`dobry.api.api.DobryAPI`)."""

from ninja import Router

from dobry.grants.api import (
    agreements,
    applications,
    calendar,
    competitions,
    experts,
    outcomes,
    reports,
    results,
    reviews,
)

router = Router(tags=["grant competitions"])
# in this order: the OpenAPI document lists the operations as the process runs
for part in (
    competitions,
    applications,
    experts,
    reviews,
    results,
    agreements,
    reports,
    outcomes,
    calendar,
):
    router.add_router("", part.router)

__all__ = ["router"]
