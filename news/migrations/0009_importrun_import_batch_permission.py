from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_article_source_url_brief"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="importrun",
            options={
                "get_latest_by": "started_at",
                "ordering": ["-started_at"],
                "permissions": [("import_batch", "Peut importer un lot")],
                "verbose_name": "import",
                "verbose_name_plural": "imports",
            },
        ),
    ]
