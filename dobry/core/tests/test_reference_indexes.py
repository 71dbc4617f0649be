"""Every reference stored on a model (`ReferenceField`) is looked up through an index on its
two columns (`ReferenceField.index`): the news of one organisation scanned all 30,000 items
at a region's scale without one (17 ms; 0.1 ms with it). A reference that is never looked up
by its target is named below with the reason."""

from django.apps import apps

from dobry.core.references import ReferenceField

# (model label, field): why no index
NEVER_LOOKED_UP = {
    ("volunteering.HoursEntry", "origin"): "shown on its entry only; 5 M rows at a region",
    ("civic.InitiativeLink", "target"): "shown on its initiative's page only",
}


def _reference_fields():
    for model in apps.get_models():
        for name, value in vars(model).items():
            if isinstance(value, ReferenceField):
                yield model, name


def test_every_looked_up_reference_has_its_index():
    missing = []
    for model, name in _reference_fields():
        columns = [f"{name}_kind", f"{name}_pk"]
        indexed = any(list(index.fields) == columns for index in model._meta.indexes)
        if not indexed and (model._meta.label, name) not in NEVER_LOOKED_UP:
            missing.append(f"{model._meta.label}.{name}")
    assert missing == [], "add ReferenceField.index(...) to Meta.indexes"


def test_the_exceptions_are_real_references():
    found = {(model._meta.label, name) for model, name in _reference_fields()}
    assert set(NEVER_LOOKED_UP) <= found
