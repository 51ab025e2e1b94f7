"""Index a case's parent and merged-into only where set.

SQLite's statistics count all NULLs as one value: with a full index on a column that is nearly always NULL, the
planner expects a million rows for `parent_id = 5` and walks the whole table instead (0.8 s for a case's
children at a million cases). A partial index holds only the set values and is used.

On SQLite, altering the fields rebuilds `desk_ticket`, which drops the text index's triggers: they are made again.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search = importlib.import_module("torg.desk.migrations.0002_ticket_search_text")
        search.create_sqlite_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_ticket_search_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ticket",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="desk.ticket",
                verbose_name="merged into",
            ),
        ),
        migrations.AlterField(
            model_name="ticket",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="children",
                to="desk.ticket",
                verbose_name="parent case",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("parent__isnull", False)), fields=["parent"], name="ticket_parent"
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="ticket_merged_into",
            ),
        ),
    ]
