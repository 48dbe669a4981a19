"""Statements run on every kiosk press and state change: planned once per connection on PostgreSQL. Services call
these by name; none opens a cursor itself."""

from functools import cache

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
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


def next_value(model: type[models.Model], *, limit: int | None = None, **key) -> int | None:
    """The next value of the model's counter row for `key` (its unique fields, by attname), 1 for a new key;
    None once `limit` values were taken. One statement, whose row lock holds until the caller commits: every
    other taker of the same key waits for it, so the values come out without gaps or repeats.

    The model has the unique `key` fields and a `last` integer field."""
    if limit is not None and limit < 1:
        return None
    sql = _next_value_statement(model, tuple(key), limit is not None)
    params = [*key.values(), *([] if limit is None else [limit])]
    with transaction.mark_for_rollback_on_error(), planned_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else row[0]


@cache
def _next_value_statement(model: type[models.Model], key: tuple[str, ...], limited: bool) -> str:
    meta, quote_name = model._meta, connections[DEFAULT_DB_ALIAS].ops.quote_name
    table, last = quote_name(meta.db_table), quote_name(meta.get_field("last").column)
    columns = ", ".join(quote_name(meta.get_field(name).column) for name in key)
    placeholders = ", ".join(["%s"] * len(key))
    sql = f"""
        INSERT INTO {table} ({columns}, {last}) VALUES ({placeholders}, 1)
        ON CONFLICT ({columns}) DO UPDATE SET {last} = {table}.{last} + 1"""
    if limited:
        # No row comes back once the limit is reached: the update's condition fails and nothing is written.
        sql += f" WHERE {table}.{last} < %s"
    return f"{sql} RETURNING {last}"


def insert(*instances: models.Model) -> None:
    """instance.save(force_insert=True) for each instance as one planned statement, sending the same signals;
    for new rows of one model without parents, whose primary keys the database assigns."""
    if not instances:
        return
    fields, _table, _columns, sql = _insert_statement(type(instances[0]), len(instances))
    values = []
    for instance in instances:
        _pre_save(instance)
        values += _values(instance, fields)
    with transaction.mark_for_rollback_on_error(), planned_cursor() as cursor:
        cursor.execute(sql, values)
        # Rows come back in the order of VALUES, as Django's bulk_create also relies on.
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
    for instance in instances:
        _post_save(instance)


def insert_linked(first: models.Model, second: models.Model, link: str) -> None:
    """insert(first), then insert(second) with its `link` field (an attname) set to first's new primary key:
    one statement on PostgreSQL, where each round trip to the database costs more than the inserts."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        insert(first)
        setattr(second, link, first.pk)
        insert(second)
        return
    fields, sql = _linked_insert_statement(type(first), type(second), link)
    _pre_save(first)
    _pre_save(second)
    with transaction.mark_for_rollback_on_error(), planned_cursor() as cursor:
        cursor.execute(sql, _values(first, fields[0]) + _values(second, fields[1]))
        second.pk, first.pk = cursor.fetchone()
    setattr(second, link, first.pk)
    _post_save(first)
    _post_save(second)


def _values(instance: models.Model, fields: list[models.Field]) -> list:
    db = connections[DEFAULT_DB_ALIAS]
    return [field.get_db_prep_save(field.pre_save(instance, add=True), db) for field in fields]


def _pre_save(instance: models.Model) -> None:
    pre_save.send(sender=type(instance), instance=instance, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None)


def _post_save(instance: models.Model) -> None:
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    post_save.send(
        sender=type(instance), instance=instance, created=True, update_fields=None, raw=False, using=DEFAULT_DB_ALIAS
    )


@cache
def _insert_statement(model: type[models.Model], rows: int = 1) -> tuple[list[models.Field], str, list[str], str]:
    meta, quote_name = model._meta, connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    table, columns = quote_name(meta.db_table), [quote_name(field.column) for field in fields]
    placeholders = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} RETURNING {quote_name(meta.pk.column)}"
    return fields, table, columns, sql


@cache
def _linked_insert_statement(first: type[models.Model], second: type[models.Model], link: str):
    quote_name = connections[DEFAULT_DB_ALIAS].ops.quote_name
    _fields, _table, _columns, first_sql = _insert_statement(first)
    fields, table, columns, _sql = _insert_statement(second)
    selected = [f"inserted.{quote_name(first._meta.pk.column)}" if f.attname == link else "%s" for f in fields]
    linked = next(column for field, column in zip(fields, columns, strict=True) if field.attname == link)
    sql = f"""
        WITH inserted AS ({first_sql})
        INSERT INTO {table} ({", ".join(columns)}) SELECT {", ".join(selected)} FROM inserted
        RETURNING {quote_name(second._meta.pk.column)}, {linked}"""
    return (_fields, [field for field in fields if field.attname != link]), sql
