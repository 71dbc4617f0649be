"""`register_moves`: one operation per move of a workflow, named like a hand-written one."""

import pytest
from django.test import Client
from ninja import Router, Schema

from dobry.api.moves import register_moves
from dobry.charity.models import CAMPAIGN_WORKFLOW
from dobry.communications.models import NEWS_WORKFLOW


class _Reason(Schema):
    reason: str


def _act(request, pk, name, reason=""):
    return {"pk": pk, "name": name, "reason": reason}


def _operations(router: Router) -> dict[str, list]:
    return {path: view.operations for path, view in router.path_operations.items()}


def test_it_registers_one_post_per_move_in_the_order_given():
    router = Router()
    register_moves(
        router,
        "/things/{int:pk}",
        CAMPAIGN_WORKFLOW,
        _act,
        noun="thing",
        response=dict,
        summaries={"finish": "Finish", "publish": "Publish"},
    )

    operations = _operations(router)
    assert list(operations) == ["/things/{int:pk}/finish", "/things/{int:pk}/publish"]
    [finish] = operations["/things/{int:pk}/finish"]
    assert finish.methods == ["POST"]
    assert finish.summary == "Finish"
    assert finish.view_func.__name__ == "finish_thing"
    # the operation id names the module of `act`, as a hand-written operation's would
    assert finish.view_func.__module__ == __name__


def test_it_refuses_a_name_that_is_not_a_move_of_the_workflow():
    with pytest.raises(ValueError, match="'fly' is not a move"):
        register_moves(
            Router(),
            "/things/{int:pk}",
            CAMPAIGN_WORKFLOW,
            _act,
            noun="thing",
            response=dict,
            summaries={"fly": "Fly"},
        )


def test_a_move_that_needs_a_reason_needs_a_body_schema():
    with pytest.raises(ValueError, match="needs a reason"):
        register_moves(
            Router(),
            "/things/{int:pk}",
            NEWS_WORKFLOW,
            _act,
            noun="thing",
            response=dict,
            summaries={"return": "Return"},
        )


def test_only_the_move_that_needs_a_reason_takes_a_body():
    router = Router()
    register_moves(
        router,
        "/things/{int:pk}",
        NEWS_WORKFLOW,
        _act,
        noun="thing",
        response=dict,
        reason_in=_Reason,
        summaries={"return": "Return", "publish": "Publish"},
    )

    [returning] = _operations(router)["/things/{int:pk}/return"]
    [publishing] = _operations(router)["/things/{int:pk}/publish"]
    assert returning.view_func(None, 7, payload=_Reason(reason="typo")) == {
        "pk": 7,
        "name": "return",
        "reason": "typo",
    }
    assert publishing.view_func(None, 7) == {"pk": 7, "name": "publish", "reason": ""}


@pytest.mark.django_db
def test_the_registered_operations_keep_their_ids_and_bodies():
    schema = Client().get("/api/v1/openapi.json").json()["paths"]

    publish = schema["/api/v1/campaigns/{pk}/publish"]["post"]
    assert publish["operationId"] == "dobry_charity_api_publish_campaign"
    assert "requestBody" not in publish
    returning = schema["/api/v1/news/{pk}/return"]["post"]
    assert returning["operationId"] == "dobry_communications_news_api_return_news"
    assert "requestBody" in returning
    approve = schema["/api/v1/channel-posts/{pk}/approve"]["post"]
    assert approve["operationId"] == "dobry_communications_channels_api_approve_channel_post"
    assert schema["/api/v1/statement-entries/{pk}/ignore"]["post"]["operationId"] == (
        "dobry_charity_api_ignore_entry"
    )
