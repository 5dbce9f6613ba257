"""Trigram indexes for the territory and organisation autocompletes on PostgreSQL.

``normalized_name`` and alias keys are already lower-case and accent-free, so a plain
``gin_trgm_ops`` index serves ``LIKE '%…%'`` searches over the ~40,000 territories.
"""

from django.db import migrations

from territories.db import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [
        PostgreSQLOnly(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
            migrations.RunSQL.noop,
        ),
        PostgreSQLOnly(
            "CREATE INDEX IF NOT EXISTS territory_normalized_trgm "
            "ON territories_territory USING gin (normalized_name gin_trgm_ops);"
            "CREATE INDEX IF NOT EXISTS territoryalias_normalized_trgm "
            "ON territories_territoryalias USING gin (normalized gin_trgm_ops);"
            "CREATE INDEX IF NOT EXISTS organisation_normalized_trgm "
            "ON territories_organisation USING gin (normalized_name gin_trgm_ops);",
            "DROP INDEX IF EXISTS territory_normalized_trgm;"
            "DROP INDEX IF EXISTS territoryalias_normalized_trgm;"
            "DROP INDEX IF EXISTS organisation_normalized_trgm;",
        ),
    ]
