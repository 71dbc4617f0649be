"""Automatic support entries say what they are by a code, read in the reader's language,
and copy nothing of their source's text (issue 11)."""

from django.db import migrations, models

# The texts the automatic entries were written with, in Russian, by the kind of their
# source: each becomes its code (shown in the reader's language) and loses the copy of
# the source's text (a consultation's subject, a booking's purpose, a project's title).
PREFIXES = {
    "consultation": ("Консультация: ", "consultation"),
    "room_booking": ("Помещение ", "room"),
    "news": ("Новость ", "news"),
    "grant_application": ("Грант конкурса ", "grant"),
}


def _params(apps, record, made_from):
    if made_from == "room":
        booking = apps.get_model("resources", "RoomBooking").objects.filter(pk=record.source_pk)
        name = booking.values_list("room__name", flat=True).first()
        return {"room": name} if name else {}
    if made_from == "grant":
        application = apps.get_model("grants", "Application").objects.filter(pk=record.source_pk)
        title = application.values_list("competition__title", flat=True).first()
        return {"competition": title} if title else {}
    return {}


def _training(apps, record):
    registration = apps.get_model("events", "Registration").objects.filter(pk=record.source_pk)
    kind = registration.values_list("shift__event__kind", flat=True).first()
    if kind is None:
        return None
    labels = dict(apps.get_model("events", "Event")._meta.get_field("kind").choices)
    return kind if record.description.startswith(str(labels.get(kind, "—"))) else None


def codes_for_known_texts(apps, schema_editor):
    SupportRecord = apps.get_model("resources", "SupportRecord")
    for record in SupportRecord.objects.exclude(source_kind="").filter(made_from=""):
        prefix, made_from = PREFIXES.get(record.source_kind, ("", ""))
        params = {}
        if record.source_kind == "registration":
            kind = _training(apps, record)
            made_from, params = ("training", {"event_kind": kind}) if kind else ("", {})
        elif not (made_from and record.description.startswith(prefix)):
            made_from = ""
        else:
            params = _params(apps, record, made_from)
        if made_from:
            record.made_from, record.made_params, record.description = made_from, params, ""
            record.save(update_fields=["made_from", "made_params", "description"])


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0006_support_source_reference"),
        ("events", "0008_shift_search_text"),
        ("grants", "0007_review_due_at_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrecord",
            name="made_from",
            field=models.CharField(
                blank=True,
                choices=[
                    ("consultation", "Консультация"),
                    ("room", "Помещение"),
                    ("training", "Обучение"),
                    ("news", "Новость"),
                    ("grant", "Грант"),
                ],
                max_length=20,
                verbose_name="сделана из",
            ),
        ),
        migrations.AddField(
            model_name="supportrecord",
            name="made_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="supportrecord",
            name="description",
            field=models.TextField(blank=True, max_length=2000, verbose_name="что именно"),
        ),
        migrations.RunPython(codes_for_known_texts, migrations.RunPython.noop),
    ]
