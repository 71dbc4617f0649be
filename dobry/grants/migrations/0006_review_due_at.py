from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def due_at_the_competitions_deadline(apps, schema_editor):
    """Reviews made before each had its own due time were due at their competition's
    review deadline."""
    Review = apps.get_model("grants", "Review")
    Competition = apps.get_model("grants", "Competition")
    deadline = Competition.objects.filter(applications__reviews=OuterRef("pk")).values(
        "review_deadline"
    )[:1]
    Review.objects.filter(due_at__isnull=True).update(due_at=Subquery(deadline))


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0005_alter_application_screening_comment_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="due_at",
            field=models.DateTimeField(null=True, verbose_name="оценить до"),
        ),
        migrations.RunPython(due_at_the_competitions_deadline, migrations.RunPython.noop),
    ]
