"""The register's council and theme filters, served from their link tables' indexes (issue 15).

Django indexes a many-to-many link table by each column and by the pair (partnership,
council); filtering by a council or theme and counting wants (council, partnership),
so the database reads the matching partnership ids from the index alone. The link
tables are Django's own (no model to carry Meta.indexes), so the indexes are made here,
in SQL both databases accept.
"""

from django.db import migrations

INDEXES = [
    ("partnership_council_first", "partnerships_partnership_councils", "council_id, partnership_id"),
    ("partnership_theme_first", "partnerships_partnership_themes", "theme_id, partnership_id"),
]


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0007_postgres_search_and_order_indexes")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                          f"DROP INDEX IF EXISTS {name}", elidable=False)
        for name, table, columns in INDEXES
    ]
