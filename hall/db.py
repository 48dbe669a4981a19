"""Statements run on every kiosk press and state change: planned once per connection on PostgreSQL."""

from functools import cache

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import post_save, pre_save


def planned_cursor():
    """A cursor whose statements PostgreSQL can plan once per connection instead of on every run.

    The ORM binds parameters on the client, so each statement arrives as new text to parse and plan. Here
    they are bound on the server, and psycopg prepares a statement once it ran OPTIONS["prepare_threshold"]
    times on a connection (see DATABASE_PREPARED_STATEMENTS). Other databases get Django's own cursor."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return db.cursor()
    db.ensure_connection()
    cursor = psycopg.Cursor(db.connection)
    return db.make_debug_cursor(cursor) if db.queries_logged else db.make_cursor(cursor)


def insert(instance: models.Model) -> None:
    """instance.save(force_insert=True) as one planned statement, sending the same signals; for a new row of
    a model without parents, whose primary key the database assigns."""
    model, db = type(instance), connections[DEFAULT_DB_ALIAS]
    using = db.alias
    fields, sql = _insert_statement(model)
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    values = [field.get_db_prep_save(field.pre_save(instance, add=True), db) for field in fields]
    with planned_cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = using
    post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)


@cache
def _insert_statement(model: type[models.Model]) -> tuple[list[models.Field], str]:
    meta, quote_name = model._meta, connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    columns = ", ".join(quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    pk = quote_name(meta.pk.column)
    table = quote_name(meta.db_table)
    return fields, f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING {pk}"
