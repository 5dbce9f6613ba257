from django.db import migrations, models


class Migration(migrations.Migration):
    """A label's ANCT identifier is unique within its phase only: the second phase (2023–2027)
    reuses first-phase identifiers for other territories (ti-3213)."""

    dependencies = [
        ("territories", "0002_postgresql_search"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalindustrylabel",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="Identifiant du programme, par exemple ti-3204, unique dans sa phase : "
                "les deux phases réutilisent les mêmes identifiants pour des territoires "
                "différents.",
                max_length=20,
                null=True,
                verbose_name="identifiant ANCT",
            ),
        ),
        migrations.AlterField(
            model_name="industrylabel",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="Identifiant du programme, par exemple ti-3204, unique dans sa phase : "
                "les deux phases réutilisent les mêmes identifiants pour des territoires "
                "différents.",
                max_length=20,
                null=True,
                verbose_name="identifiant ANCT",
            ),
        ),
        migrations.AddConstraint(
            model_name="industrylabel",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code__isnull", False)),
                fields=("code", "phase"),
                name="industry_label_unique_code_phase",
            ),
        ),
    ]
