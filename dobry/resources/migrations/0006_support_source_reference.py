# The support registry's source becomes a `core.references` reference: a registered kind
# and a numeric key instead of a model label and a key as text. Existing links are kept.

from django.conf import settings
from django.db import migrations, models

import dobry.core.references

# the only labels `support_record_for_source` ever wrote, and their kinds (site/references.py)
KIND_OF_LABEL = {
    "events.registration": "registration",
    "resources.consultation": "consultation",
    "resources.roombooking": "room_booking",
    "grants.application": "grant_application",
}
LABEL_OF_KIND = {kind: label for label, kind in KIND_OF_LABEL.items()}


def labels_to_kinds(apps, schema_editor):
    SupportRecord = apps.get_model("resources", "SupportRecord")
    records = SupportRecord.objects.exclude(source_type="")
    unknown = set(records.values_list("source_type", flat=True)) - set(KIND_OF_LABEL)
    if unknown:
        # loud rather than a link silently lost: add the label's kind here and run again
        raise ValueError(f"support records name sources of unknown kinds: {sorted(unknown)}")
    for record in records.iterator():
        record.source_kind = KIND_OF_LABEL[record.source_type]
        record.source_pk = int(record.source_id)
        record.save(update_fields=["source_kind", "source_pk"])


def kinds_to_labels(apps, schema_editor):
    SupportRecord = apps.get_model("resources", "SupportRecord")
    for record in SupportRecord.objects.exclude(source_kind="").iterator():
        record.source_type = LABEL_OF_KIND[record.source_kind]
        record.source_id = str(record.source_pk)
        record.save(update_fields=["source_type", "source_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_alter_organization_description_and_more"),
        ("resources", "0005_library_item_consultation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrecord",
            name="source_kind",
            field=models.CharField(
                blank=True,
                default="",
                max_length=40,
                validators=[dobry.core.references.validate_kind],
                verbose_name="источник",
            ),
        ),
        migrations.AddField(
            model_name="supportrecord",
            name="source_pk",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(labels_to_kinds, kinds_to_labels),
        migrations.RemoveConstraint(
            model_name="supportrecord",
            name="one_support_record_per_source_and_kind",
        ),
        migrations.RemoveField(model_name="supportrecord", name="source_id"),
        migrations.RemoveField(model_name="supportrecord", name="source_type"),
        migrations.AddConstraint(
            model_name="supportrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_kind", ""), _negated=True),
                fields=("source_kind", "source_pk", "kind"),
                name="one_support_record_per_source_and_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="supportrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("source_kind", ""), ("source_pk__isnull", True)),
                    models.Q(
                        models.Q(("source_kind", ""), _negated=True),
                        ("source_pk__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="support_record_source_whole",
            ),
        ),
    ]
