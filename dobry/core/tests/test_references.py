"""The generic reference: registered kinds, what a reader sees of a target (title and page,
or nothing when it was deleted or is not theirs to see), one query per kind for a list,
and the template tag. A test kind over districts: «north» is visible to staff only."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template import Context, Template

from dobry.core import references
from dobry.core.models import District
from dobry.core.references import Link, Reference, UnknownReference
from dobry.organizations.models import Organization


def visible_districts(user):
    """The test kind's permission, list form: staff see every district, others not «north»."""
    districts = District.objects.all()
    return districts if getattr(user, "is_coordinator", False) else districts.exclude(slug="north")


@pytest.fixture
def district_kind():
    references.register(
        "test_district",
        model=District,
        label="район",
        title=lambda district: f"район {district.name}",
        url=lambda district: f"/districts/{district.slug}/",
        visible=visible_districts,
    )
    yield
    references.unregister("test_district")


@pytest.fixture
def districts(db):
    return {
        slug: District.objects.create(name=name, slug=slug)
        for slug, name in [("north", "Северный"), ("south", "Южный"), ("east", "Восточный")]
    }


def test_a_registered_object_resolves_to_its_title_and_page(district_kind, districts, resident):
    reference = references.reference_to(districts["south"])
    assert reference == Reference("test_district", districts["south"].pk)
    assert str(reference) == f"test_district:{districts['south'].pk}"
    assert references.resolve(reference, resident) == Link(
        "test_district", districts["south"].pk, "район Южный", "/districts/south/"
    )
    assert references.resolve(reference, AnonymousUser()) is not None
    assert references.resolve(None, resident) is None


def test_a_deleted_target_resolves_to_none(district_kind, districts, coordinator):
    reference = references.reference_to(districts["east"])
    districts["east"].delete()
    assert references.resolve(reference, coordinator) is None


def test_a_target_the_reader_may_not_see_gives_nothing_of_it(
    district_kind, districts, coordinator, resident
):
    reference = references.reference_to(districts["north"])
    assert references.resolve(reference, coordinator).title == "район Северный"
    assert references.resolve(reference, resident) is None
    assert references.resolve(reference, AnonymousUser()) is None


def test_an_unknown_kind_is_refused_at_input_and_shows_nothing_when_stored(db, resident):
    with pytest.raises(UnknownReference):
        references.check_kind("accounts_user")
    with pytest.raises(ValidationError):
        references.validate_kind("accounts_user")
    references.validate_kind("")  # blank: no reference
    # a kind stored once and no longer registered never loads a table
    assert references.resolve(Reference("accounts_user", resident.pk), resident) is None
    with pytest.raises(UnknownReference):
        references.reference_to(resident)


def test_an_unsaved_object_has_no_reference(district_kind):
    with pytest.raises(ValueError, match="saved"):
        references.reference_to(District(name="x", slug="x"))


def test_a_kind_names_one_model_and_a_model_one_kind(district_kind):
    with pytest.raises(ImproperlyConfigured):
        references.register("test_district", model=Organization, label="x", title=str, visible=None)
    with pytest.raises(ImproperlyConfigured):
        references.register("test_other", model=District, label="x", title=str, visible=None)
    assert "test_district" in references.kinds()
    assert ("test_district", "район") in references.kind_choices()
    assert references.kind_label("test_district") == "район"
    assert references.kind_label("gone") == "gone"


def test_the_site_registers_the_kinds_the_apps_link_to():
    assert set(references.kinds()) >= {
        "organization",
        "event",
        "registration",
        "help_request",
        "consultation",
        "room_booking",
        "grant_application",
    }


@pytest.mark.parametrize("count", [1, 20])
def test_many_references_resolve_with_one_query_per_kind(
    district_kind, db, coordinator, django_assert_num_queries, count
):
    districts = [District.objects.create(name=f"Район {i}", slug=f"d{i}") for i in range(count)]
    Organization.objects.bulk_create(
        Organization(name=f"Организация {i}", kind="sonko") for i in range(count)
    )
    refs = [references.reference_to(d) for d in districts]
    refs += [references.reference_to(o) for o in Organization.objects.all()]
    refs += [Reference("organization", 987654), None]  # a deleted one, and none
    with django_assert_num_queries(2):
        links = references.resolve_many(refs, coordinator)
    assert sum(link is not None for link in links.values()) == 2 * count
    assert links[Reference("organization", 987654)] is None


def test_attach_keeps_each_objects_link_and_refuses_to_guess_without_it(
    district_kind, districts, resident
):
    from dobry.resources.models import SupportRecord

    shown, hidden, none = SupportRecord(), SupportRecord(), SupportRecord()
    shown.source = references.reference_to(districts["south"])
    hidden.source = references.reference_to(districts["north"])
    with pytest.raises(references.LinksNotResolved):
        references.link_of(shown, "source")
    references.attach([shown, hidden, none], "source", resident)
    assert references.link_of(shown, "source").title == "район Южный"
    assert (hidden.source_link, none.source_link) == (None, None)
    assert none.source is None
    assert (none.source_kind, none.source_pk) == ("", None)
    shown.source = None  # writing the reference forgets the old link
    with pytest.raises(references.LinksNotResolved):
        references.link_of(shown, "source")


def render_link(link):
    return Template("{% load dobry %}{% reference_link link %}").render(Context({"link": link}))


def test_the_tag_links_the_title_escaped_and_says_when_nothing_may_be_shown():
    assert render_link(Link("x", 1, "Отчёт <2025>", "/x/1/")) == (
        '<a href="/x/1/">Отчёт &lt;2025&gt;</a>'
    )
    assert render_link(Link("x", 1, "Без страницы", "")) == "Без страницы"
    assert render_link(None) == '<span class="text-body-secondary">недоступно</span>'
