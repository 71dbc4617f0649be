"""Each initiative API operation as the anonymous visitor, an outsider, the author, a team
member and a coordinator — status codes and bodies, the page and the API agreeing — and
hostile bodies (wrong types, huge numbers, NUL, ids of other objects): never a 500."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import Comment, Initiative, InitiativeLink, TeamMember
from dobry.civic.tests.factories import (
    CommentFactory,
    InitiativeFactory,
    TeamMemberFactory,
    coordinator,
    district,
)
from dobry.communications.tests.factories import NewsItemFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.groups import group_create

pytestmark = pytest.mark.django_db
API = "/api/v1"
BODY = {"title": "Каток", "problem": "Негде кататься", "idea": "Залить каток"}
ROLES = ("anonymous", "outsider", "author", "member", "coordinator")


@pytest.fixture
def cast():
    initiative = InitiativeFactory(status=Initiative.Status.GATHERING)
    member = TeamMemberFactory(initiative=initiative).user
    users = {
        "anonymous": None,
        "outsider": UserFactory(),
        "author": initiative.author,
        "member": member,
        "coordinator": coordinator(),
    }
    return initiative, users


def _client(user):
    return Client() if user is None else bearer(user)


def call(client, method, path, body=None):
    return getattr(client, method)(f"{API}{path}", body or {}, content_type="application/json")


# (method, path under the initiative, body): the status each role gets.
OPERATIONS = {
    "read": ("get", "", None, (200, 200, 200, 200, 200)),
    "comments": ("get", "/comments", None, (200, 200, 200, 200, 200)),
    "edit": ("put", "", BODY, (401, 403, 200, 403, 200)),
    "to_centre": ("post", "/to_centre", None, (401, 403, 403, 403, 200)),
    "start": ("post", "/start", None, (401, 403, 200, 403, 200)),
    "gather": ("post", "/gather", None, (401, 403, 409, 403, 409)),
    "respond": ("post", "/response", {"response": "Ждём"}, (401, 403, 403, 403, 409)),
    "support": ("post", "/support", None, (401, 201, 403, 201, 201)),  # others support it
    "unsupport": ("delete", "/support", None, (401, 409, 409, 409, 409)),
    "follow": ("post", "/follow", None, (401, 200, 200, 200, 200)),
    "unfollow": ("delete", "/follow", None, (401, 200, 200, 200, 200)),
    "join": ("post", "/team", {"role": "фото"}, (401, 200, 200, 200, 200)),
    "leave": ("delete", "/team", None, (401, 409, 409, 200, 409)),
    "comment": ("post", "/comments", {"text": "Я за"}, (401, 201, 201, 201, 201)),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("role", ROLES)
def test_each_operation_for_each_role(cast, operation, role):
    initiative, users = cast
    method, path, body, statuses = OPERATIONS[operation]
    response = call(_client(users[role]), method, f"/initiatives/{initiative.pk}{path}", body)
    assert response.status_code == statuses[ROLES.index(role)], response.content
    if response.status_code >= 400:
        assert response.json()["message"]
        initiative.refresh_from_db()
        assert initiative.status == Initiative.Status.GATHERING
        assert initiative.title != "Каток"


def test_the_link_operation_for_each_role(cast):
    initiative, users = cast
    statuses = {}
    for role in ROLES:
        body = {"kind": "news", "pk": NewsItemFactory().pk}
        response = call(_client(users[role]), "post", f"/initiatives/{initiative.pk}/links", body)
        statuses[role] = response.status_code
    assert statuses == {
        "anonymous": 401, "outsider": 403, "author": 201, "member": 403, "coordinator": 201,
    }  # fmt: skip
    assert InitiativeLink.objects.count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_the_page_and_the_api_agree_on_moves_and_the_persons_part(cast, role):
    initiative, users = cast
    user = users[role]
    if user is not None:
        call(bearer(user), "post", f"/initiatives/{initiative.pk}/support")
    api = _client(user).get(f"{API}/initiatives/{initiative.pk}").json()
    page = Client()
    if user is not None:
        page.force_login(user)
    context = page.get(initiative.get_absolute_url()).context
    assert api["moves"] == [move.name for move in context["moves"]]
    supporter = user is not None and role != "author"  # others support it
    assert api["support_count"] == context["support_count"] == (1 if supporter else 0)
    assert api["supported"] == context["supported"] == supporter
    assert api["following"] == context["following"]
    assert [m["role"] for m in api["team"]] == [m.role for m in context["team"]]


def test_the_detail_body_for_the_anonymous_visitor(cast):
    initiative, _users = cast
    body = Client().get(f"{API}/initiatives/{initiative.pk}").json()
    assert body["id"] == initiative.pk
    assert body["status"] == "gathering"
    assert body["url"] == f"/initiatives/{initiative.pk}/" or body["url"].endswith(
        f"/{initiative.pk}/"
    )
    assert (body["supported"], body["following"], body["moves"]) == (False, False, [])
    assert body["team"] == [{"name": body["team"][0]["name"], "role": "делаю макет"}]
    assert body["needed_money"] is None
    assert (body["threshold_reached_at"], body["response_due"], body["response_overdue"]) == (
        None, None, False,
    )  # fmt: skip
    assert [entry["stage"] for entry in body["timeline"]] == ["gathering"]


def test_money_is_given_as_text_with_two_places():
    author = bearer(UserFactory())
    created = call(author, "post", "/initiatives", {**BODY, "needed_money": "12 500,5"})
    assert created.status_code == 201, created.content
    assert created.json()["needed_money"] == "12500.50"


def test_the_editors_of_the_group_behind_an_initiative_do_not_support_it():
    """Those behind it are its authors: a group's editor cannot push it toward the
    threshold; a plain member of the group is another resident and may."""
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory

    group = OrganizationFactory()
    initiative = InitiativeFactory(group=group, status=Initiative.Status.GATHERING)
    editor, member = UserFactory(), UserFactory()
    MembershipFactory(organization=group, user=editor, role=Membership.Role.EDITOR)
    MembershipFactory(organization=group, user=member, role=Membership.Role.MEMBER)
    refused = call(bearer(editor), "post", f"/initiatives/{initiative.pk}/support")
    assert refused.status_code == 403
    assert "её поддерживают другие жители" in refused.json()["message"]
    assert call(bearer(member), "post", f"/initiatives/{initiative.pk}/support").status_code == 201
    assert list(initiative.supports.values_list("user", flat=True)) == [member.pk]


def test_a_coordinator_keeps_the_group_behind_an_initiative_when_editing():
    group = OrganizationFactory()
    initiative = InitiativeFactory(group=group)
    staff = bearer(coordinator())
    body = {**BODY, "group": group.pk}
    edited = call(staff, "put", f"/initiatives/{initiative.pk}", body)
    assert edited.status_code == 200, edited.content
    assert edited.json()["group_id"] == group.pk
    other = OrganizationFactory()
    refused = call(staff, "put", f"/initiatives/{initiative.pk}", {**BODY, "group": other.pk})
    assert refused.status_code == 422
    initiative.refresh_from_db()
    assert initiative.group == group


def test_a_coordinator_keeps_the_group_on_the_edit_page():
    group = OrganizationFactory()
    initiative = InitiativeFactory(group=group)
    page = Client()
    page.force_login(coordinator())
    response = page.post(
        f"{initiative.get_absolute_url()}edit/", {**BODY, "group": group.pk}, follow=False
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.group) == ("Каток", group)


# Hostile bodies


@pytest.mark.parametrize(
    "change",
    [
        {"title": 5},
        {"title": ["Каток"]},
        {"title": {"ru": "Каток"}},
        {"title": None},
        {"title": "Ка\x00ток"},
        {"problem": "Негде\x00"},
        {"needed_money": "1e30"},
        {"needed_money": 10**30},
        {"needed_money": "NaN"},
        {"needed_money": "Infinity"},
        {"needed_money": "100000000.01"},
        {"needed_money": "0.001"},
        {"needed_money": True},
        {"district": 2**63},
        {"district": -1},
        {"district": "1; drop"},
        {"group": 2**31},
        {"area": ["sport"]},
        {"unknown": "x"},
    ],
)
def test_hostile_initiative_bodies_are_refused_not_a_500(change):
    author = bearer(UserFactory())
    response = call(author, "post", "/initiatives", {**BODY, **change})
    assert response.status_code == 422, (change, response.content)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("body", ["[]", '"Каток"', "{", "null", "1"])
def test_bodies_that_are_not_objects_are_refused(body):
    author = bearer(UserFactory())
    response = author.post(f"{API}/initiatives", body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/comments", {"text": 5}),
        ("/comments", {"text": "\x00"}),
        ("/comments", {"text": "я" * 5000}),
        ("/comments", {"text": ""}),
        ("/team", {"role": ["фото"]}),
        ("/team", {"role": "я" * 121}),
        ("/team", {"role": "фо\x00то"}),
        ("/links", {"kind": "news", "pk": 2**63}),
        ("/links", {"kind": "news", "pk": "1"}),
        ("/links", {"kind": 7, "pk": 1}),
        ("/links", {"kind": "news" * 20, "pk": 1}),
        ("/links", {"kind": "news"}),
        ("/response", {"response": ""}),
        ("/response", {"response": None}),
    ],
)
def test_hostile_bodies_of_the_actions_are_refused_not_a_500(path, body):
    initiative = InitiativeFactory()
    staff = bearer(coordinator())
    response = call(staff, "post", f"/initiatives/{initiative.pk}{path}", body)
    assert response.status_code in (409, 422), (path, body, response.content)
    assert not Comment.objects.exists()
    assert not TeamMember.objects.exists()
    assert not InitiativeLink.objects.exists()


def test_a_link_to_an_unknown_object_of_a_known_kind_is_refused_at_pk():
    initiative = InitiativeFactory()
    author = bearer(initiative.author)
    comment = CommentFactory()  # its id is not a news item's
    response = call(
        author,
        "post",
        f"/initiatives/{initiative.pk}/links",
        {"kind": "news", "pk": comment.pk + 1000},
    )
    assert response.status_code == 422
    assert not InitiativeLink.objects.exists()


def test_a_link_the_reader_may_not_see_is_left_out_of_the_api():
    staff_user = coordinator()
    initiative = InitiativeFactory()
    group = group_create(actor=staff_user, title="Группа по катку")
    news = NewsItemFactory(title="О катке")
    staff = bearer(staff_user)
    for kind, pk in (("project_group", group.pk), ("news", news.pk)):
        response = call(
            staff, "post", f"/initiatives/{initiative.pk}/links", {"kind": kind, "pk": pk}
        )
        assert response.status_code == 201
    titles = lambda client: [  # noqa: E731
        link["title"] for link in client.get(f"{API}/initiatives/{initiative.pk}").json()["links"]
    ]
    assert titles(staff) == ["Группа по катку", "О катке"]
    assert titles(Client()) == ["О катке"]
    assert titles(bearer(initiative.author)) == ["О катке"]
    refused = call(
        bearer(initiative.author), "post", f"/initiatives/{initiative.pk}/links",
        {"kind": "project_group", "pk": group.pk},
    )  # fmt: skip
    assert refused.status_code == 422
    assert "pk" in str(refused.json())


def test_unknown_ids_of_comments_and_initiatives_are_404_for_every_action():
    client = bearer(coordinator())
    for method, path, body in (
        ("put", "/initiatives/999999", BODY),
        ("post", "/initiatives/999999/gather", None),
        ("post", "/initiatives/999999/response", {"response": "Ждём"}),
        ("post", "/initiatives/999999/links", {"kind": "news", "pk": 1}),
        ("post", "/initiatives/999999/team", {"role": "фото"}),
        ("delete", "/initiatives/999999/follow", None),
        ("get", "/initiatives/999999/comments", None),
        ("post", "/initiative-comments/999999/report", None),
        ("post", "/initiative-comments/999999/hide", None),
    ):
        assert call(client, method, path, body).status_code == 404, path


# Comments: reported, hidden, restored — who sees them


def test_comment_visibility_through_each_status_for_each_role(cast):
    initiative, users = cast
    comment = CommentFactory(initiative=initiative, text="Грубость")
    staff = bearer(users["coordinator"])

    def seen():
        return {
            role: [c["status"] for c in _client(user).get(
                f"{API}/initiatives/{initiative.pk}/comments").json()["items"]]
            for role, user in users.items()
        }  # fmt: skip

    assert (
        call(
            bearer(users["outsider"]), "post", f"/initiative-comments/{comment.pk}/report"
        ).status_code
        == 201
    )
    assert set(map(tuple, seen().values())) == {("reported",)}
    assert (
        call(staff, "post", f"/initiative-comments/{comment.pk}/hide").json()["status"] == "hidden"
    )
    assert seen() == {role: (["hidden"] if role == "coordinator" else []) for role in ROLES}
    page = Client()
    page.force_login(users["author"])
    assert "Грубость" not in page.get(initiative.get_absolute_url()).content.decode()
    page.force_login(users["coordinator"])
    assert "Грубость" in page.get(initiative.get_absolute_url()).content.decode()
    restored = call(staff, "post", f"/initiative-comments/{comment.pk}/restore")
    assert restored.json()["status"] == "published"
    assert set(map(tuple, seen().values())) == {("published",)}


@pytest.mark.parametrize("role", ["anonymous", "outsider", "author", "member"])
def test_only_coordinators_make_moderation_moves(cast, role):
    initiative, users = cast
    comment = CommentFactory(initiative=initiative, status=Comment.Status.REPORTED)
    for name in ("keep", "hide"):
        response = call(_client(users[role]), "post", f"/initiative-comments/{comment.pk}/{name}")
        assert response.status_code == (401 if role == "anonymous" else 403)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REPORTED


def test_keep_by_api_clears_the_reports_and_a_published_comment_cannot_be_kept(cast):
    initiative, users = cast
    comment = CommentFactory(initiative=initiative)
    staff = bearer(users["coordinator"])
    assert call(staff, "post", f"/initiative-comments/{comment.pk}/keep").status_code == 409
    call(
        bearer(users["outsider"]),
        "post",
        f"/initiative-comments/{comment.pk}/report",
        {"reason": "спам"},
    )
    kept = call(staff, "post", f"/initiative-comments/{comment.pk}/keep")
    assert kept.json()["status"] == "published"
    assert not comment.reports.exists()


def test_the_author_of_a_comment_cannot_report_it_by_api():
    comment = CommentFactory()
    response = call(bearer(comment.author), "post", f"/initiative-comments/{comment.pk}/report")
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_the_list_and_detail_show_the_same_counts():
    initiative = InitiativeFactory(district=district())
    for _ in range(2):
        call(bearer(UserFactory()), "post", f"/initiatives/{initiative.pk}/support")
    TeamMemberFactory(initiative=initiative)
    listed = Client().get(f"{API}/initiatives").json()["items"][0]
    detail = Client().get(f"{API}/initiatives/{initiative.pk}").json()
    for field in ("support_count", "team_count", "district_id", "status", "response_overdue"):
        assert listed[field] == detail[field], field
    assert (listed["support_count"], listed["team_count"]) == (2, 1)


def test_the_author_is_told_that_others_support_an_initiative(cast, client):
    """Issue 16: «Others support it» — the author's own support is refused with the
    reason, by the service, the API and the page (no button), and the threshold counts
    only other people."""
    initiative, users = cast
    answer = call(_client(users["author"]), "post", f"/initiatives/{initiative.pk}/support")
    assert answer.status_code == 403
    assert "её поддерживают другие жители" in answer.json()["message"]
    assert not initiative.supports.exists()
    client.force_login(users["author"])
    page = client.get(initiative.get_absolute_url())
    assert "Поддержать</button>" not in page.content.decode()
    client.force_login(users["outsider"])
    assert "Поддержать</button>" in client.get(initiative.get_absolute_url()).content.decode()
