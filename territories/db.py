"""Database helpers shared by the apps' migrations."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """Raw SQL that only PostgreSQL needs (extensions, text search, trigram indexes).

    SQLite has no equivalent and needs none: the project falls back to simpler queries there.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
