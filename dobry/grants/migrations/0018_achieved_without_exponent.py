"""Achieved indicator values saved before the fix read «1.2E+2» (Decimal.normalize): they
are written as typed, «120», so the page shows them so and the next save accepts them."""

from decimal import Decimal, InvalidOperation

from django.db import migrations


def plain(value):
    if not isinstance(value, str) or "E" not in value.upper():
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    text = f"{number.normalize():f}"
    return "0" if text == "-0" else text


def forwards(apps, schema_editor):
    ReportVersion = apps.get_model("grants", "ReportVersion")
    for version in ReportVersion.objects.only("pk", "content").iterator():
        content = version.content or {}
        rows = content.get("indicators") if isinstance(content, dict) else None
        if not isinstance(rows, list):
            continue
        changed = False
        for row in rows:
            if isinstance(row, dict) and plain(row.get("achieved")) != row.get("achieved"):
                row["achieved"] = plain(row["achieved"])
                changed = True
        if changed:
            ReportVersion.objects.filter(pk=version.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [("grants", "0017_project_outcomes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
