"""Migration operations shared by the apps."""

from django.db import migrations


class AddConstraintOnPostgres(migrations.AddConstraint):
    """Adds a PostgreSQL-only constraint (e.g. an exclusion constraint) there, and skips it on SQLite, which
    only the single-machine `make run` uses; production refuses to start without PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
