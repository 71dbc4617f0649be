from django.db import migrations, models


def fold(text: str) -> str:
    # core.search.fold_for_search as it is today: a migration keeps its own copy
    return text.casefold().replace("ё", "е")


def fill_search_text(apps, schema_editor):
    """Shifts saved before get their folded title and tasks, which «Подходит мне» searches
    for a volunteer's skills."""
    Shift = apps.get_model("events", "Shift")
    changed = []
    for shift in Shift.objects.only("pk", "title", "tasks").iterator(chunk_size=2000):
        shift.search_text = fold(f"{shift.title or ''} {shift.tasks or ''}")
        changed.append(shift)
        if len(changed) >= 2000:
            Shift.objects.bulk_update(changed, ["search_text"])
            changed = []
    if changed:
        Shift.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_alter_event_accessibility_alter_event_cancel_reason_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="shift",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
