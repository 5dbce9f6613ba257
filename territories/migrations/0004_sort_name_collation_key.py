"""A stored collation key (``naming.sort_key``) on territories, organisations and labels.

Lists are ordered by it rather than by ``name``: accents and an intercommunalité's legal form
do not count. The key is plain ASCII compared byte by byte: SQLite's built-in ``BINARY``
collation, and on PostgreSQL a collation of that name on the ``C`` locale, created here, so
that both databases order the same way whatever their own locale.
"""

from django.db import migrations, models

from territories.db import PostgreSQLOnly
from territories.naming import sort_key

BATCH_SIZE = 2000


def fill_sort_names(apps, schema_editor):
    for model_name in ("Territory", "Organisation", "IndustryLabel"):
        model = apps.get_model("territories", model_name)
        rows = []
        for row in model.objects.only("pk", "name").iterator(chunk_size=BATCH_SIZE):
            row.sort_name = sort_key(row.name)
            rows.append(row)
        model.objects.bulk_update(rows, ["sort_name"], batch_size=BATCH_SIZE)


def sort_name_field():
    return models.CharField(
        db_collation="BINARY",
        db_index=True,
        default="",
        editable=False,
        max_length=200,
        verbose_name="clé de tri",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0003_industry_label_code_unique_per_phase"),
    ]

    operations = [
        PostgreSQLOnly(
            sql="CREATE COLLATION IF NOT EXISTS \"BINARY\" (provider = libc, locale = 'C');",
            reverse_sql='DROP COLLATION IF EXISTS "BINARY";',
        ),
        migrations.AlterModelOptions(
            name="industrylabel",
            options={
                "ordering": ["sort_name", "pk"],
                "verbose_name": "territoire d'industrie",
                "verbose_name_plural": "territoires d'industrie",
            },
        ),
        migrations.AlterModelOptions(
            name="organisation",
            options={
                "ordering": ["sort_name", "pk"],
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
            },
        ),
        migrations.AlterModelOptions(
            name="territory",
            options={
                "ordering": ["sort_name", "code"],
                "verbose_name": "territoire",
                "verbose_name_plural": "territoires",
            },
        ),
        migrations.AddField(
            model_name="industrylabel", name="sort_name", field=sort_name_field()
        ),
        migrations.AddField(model_name="organisation", name="sort_name", field=sort_name_field()),
        migrations.AddField(model_name="territory", name="sort_name", field=sort_name_field()),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop, elidable=True),
    ]
