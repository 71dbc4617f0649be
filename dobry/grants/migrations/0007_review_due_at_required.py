from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0006: PostgreSQL changes a column in the transaction that filled it only
    when no deferred trigger is pending."""

    dependencies = [
        ("grants", "0006_review_due_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="due_at",
            field=models.DateTimeField(verbose_name="оценить до"),
        ),
    ]
