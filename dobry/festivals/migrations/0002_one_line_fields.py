# Rows stored before one-line fields refused line breaks: each line break becomes a space,
# so the next save of such a row is not refused at a field nobody touched (issue 11).

from django.db import migrations

from dobry.core.one_line import flatten_migration


class Migration(migrations.Migration):
    dependencies = [("festivals", "0001_initial")]

    operations = [flatten_migration("festivals")]
