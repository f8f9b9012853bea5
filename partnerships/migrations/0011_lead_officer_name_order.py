"""An index on auth_user in the order the register sorts partnerships by lead officer
(register.filters.CaseInsensitiveOrdering): whole name, folded, then the officer. Django's
own user model is not ours to add Meta.indexes to, so it is made here in SQL that SQLite
and PostgreSQL both read (an index on expressions)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partnerships", "0010_risk"),
    ]

    operations = [
        migrations.RunSQL(
            sql='CREATE INDEX "auth_user_name_folded" ON "auth_user" (lower("first_name"), lower("last_name"), "id")',
            reverse_sql='DROP INDEX "auth_user_name_folded"',
        ),
    ]
