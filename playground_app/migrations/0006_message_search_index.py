"""The full-text index the history search uses on PostgreSQL (playground_app/history_search.py): the same
expression as `content_vector()`, so that the planner uses it. Nothing on other databases."""

from django.db import migrations

INDEX = "playground_message_words"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON playground_app_message "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(content, '')))"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("playground_app", "0005_comparisons")]

    operations = [migrations.RunPython(create_index, drop_index)]
