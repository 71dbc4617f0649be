import pytest

from dobry.core import references
from dobry.core.models import District
from dobry.core.references import Reference, UnknownReference


@pytest.fixture
def districts_registered():
    references.register(District, describe=lambda district: f"район {district}")
    yield
    references._REGISTRY.pop("core.district", None)


@pytest.mark.django_db
def test_a_reference_names_the_model_and_key_and_resolves_to_the_object(districts_registered):
    north = District.objects.create(name="Северный", slug="north")
    reference = Reference.to(north)
    assert (reference.label, reference.pk, str(reference)) == (
        "core.district",
        str(north.pk),
        f"core.district:{north.pk}",
    )
    assert reference.resolve() == north
    assert reference.describe() == "район Северный"


@pytest.mark.django_db
def test_a_reference_to_a_deleted_object_resolves_to_none(districts_registered):
    north = District.objects.create(name="Северный", slug="north")
    reference = Reference.to(north)
    north.delete()
    assert reference.resolve() is None
    assert reference.describe() == ""


def test_an_unregistered_label_never_loads_a_table():
    with pytest.raises(UnknownReference):
        Reference("accounts.user", "1").resolve()
    with pytest.raises(UnknownReference):
        references.model_for("accounts.user")


def test_an_unsaved_object_has_no_reference():
    with pytest.raises(ValueError, match="saved"):
        Reference.to(District(name="x", slug="x"))
