# An organisation not verified yet is found by its names alone: its description and address
# are shown to its members and coordinators only, and a search must not probe them (issue 11).

from django.db import migrations

from dobry.core.search import fold_for_search


def fold_names_only(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    for organization in Organization.objects.exclude(status="verified").only(
        "name", "short_name"
    ):
        organization.search_text = fold_for_search(
            f"{organization.name} {organization.short_name}"
        )
        organization.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_one_line_fields")]

    operations = [migrations.RunPython(fold_names_only, migrations.RunPython.noop)]
