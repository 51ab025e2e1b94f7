"""The text index of cases: `Ticket.search_text` and, per database, the index that searches it.

SQLite: an FTS5 table over `desk_ticket.search_text` (external content), kept in step by triggers. Django
rebuilds a SQLite table to alter it (create, copy, drop, rename), and dropping `desk_ticket` drops these
triggers: a later migration that alters `Ticket` must run `create_sqlite_triggers` again (as 0003 does) (the search tests
fail until it does).
PostgreSQL: a stored generated column `search_vector` (`to_tsvector('simple', search_text)`) with a GIN
index. Stored rather than an expression index: a filter or recheck on an expression recomputes it for every row
it reads (measured: 14 µs a case, 0.4 s for one team's open cases at a million), which the planner does not
foresee. The column is not a model field (SQLite has no tsvector); `torg.desk.search` refers to it.

Also the partial index of open cases, newest first, that queues walk.
"""

from django.db import migrations, models

FTS = "desk_ticket_fts"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON desk_ticket BEGIN
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON desk_ticket BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    # A save that leaves the text as it was (assign, status) must not rewrite the index.
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE OF search_text ON desk_ticket
        WHEN old.search_text IS NOT new.search_text BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
]


def create_sqlite_triggers(schema_editor):
    for statement in SQLITE_TRIGGERS:
        schema_editor.execute(statement)


POSTGRES = [
    "ALTER TABLE desk_ticket ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX ticket_search ON desk_ticket USING gin (search_vector)",
]


def fill(apps, schema_editor):
    """Write the search text of the cases there are."""
    from torg.desk.search import document

    Ticket = apps.get_model("desk", "Ticket")
    Message = apps.get_model("desk", "Message")
    last = 0
    while batch := list(Ticket.objects.filter(pk__gt=last).order_by("pk")[:2000]):
        replies = {}
        for ticket_id, body in (
            Message.objects.filter(ticket__in=batch, visibility="public")
            .order_by("created_at", "id")
            .values_list("ticket_id", "body")
        ):
            replies.setdefault(ticket_id, []).append(body)
        for ticket in batch:
            ticket.search_text = document(ticket.title, ticket.description, *replies.get(ticket.pk, []))
        Ticket.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='desk_ticket', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
        )
        schema_editor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        create_sqlite_triggers(schema_editor)
    elif vendor == "postgresql":
        for statement in POSTGRES:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE desk_ticket DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status__in", ("new", "in_progress", "waiting_user", "waiting_supplier"))),
                fields=["-created_at", "-id"],
                name="ticket_open_created",
            ),
        ),
    ]
