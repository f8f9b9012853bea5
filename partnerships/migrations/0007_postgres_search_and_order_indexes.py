"""Two indexes for the register at national scale, on PostgreSQL only (issue 15).

1. A trigram index for the search. The search is `search_text LIKE '%word%'`
   (lower-cased on both sides): a btree cannot serve it, so at 100,000 partnerships
   every search read the whole table. pg_trgm's GIN index can.
2. The name order's index (partnership_name_folded: lower(name), id) also carries the
   name itself (INCLUDE), so PostgreSQL can read a page's ids in name order from the
   index alone: it does not use an index on an expression for an index-only scan unless
   the column under the expression is in the index too. A deep page (2,000 of 100,000
   partnerships) otherwise sorts the whole table.

SQLite has neither kind of index (its registers are small), so this migration does
nothing there; that is also why neither is in the model's Meta, which would make SQLite
try to build them. The order's index keeps its name and key columns, so the model's
state still describes it.
"""

from django.db import migrations

SEARCH_INDEX = "partnership_search_trgm"
ORDER_INDEX = "partnership_name_folded"
TABLE = "partnerships_partnership"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON {TABLE} USING gin (search_text gin_trgm_ops)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {ORDER_INDEX}")
    schema_editor.execute(f'CREATE INDEX {ORDER_INDEX} ON {TABLE} ((LOWER("name")), "id") INCLUDE ("name")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {ORDER_INDEX}")
    schema_editor.execute(f'CREATE INDEX {ORDER_INDEX} ON {TABLE} ((LOWER("name")), "id")')


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_register_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
