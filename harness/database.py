"""A database and a Redis db of one's own, and Django set up in this process on them."""

import contextlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432"


def create_database(db_name: str, template: str | None = None, pg_url: str = PG_URL) -> None:
    """Drops `db_name` if it is there and creates it empty, or as a copy of the database `template`."""
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {db_name}" + (f" TEMPLATE {template}" if template else ""))


def drop_database(db_name: str, pg_url: str = PG_URL) -> None:
    """Closes this process's connections (and pools) and drops the database, whoever else is still connected."""
    import psycopg

    close_connections()
    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")


def close_connections() -> None:
    from django.db import connections

    connections.close_all()
    for connection in connections.all(initialized_only=True):
        pool = getattr(connection, "pool", None)
        if pool is not None:
            pool.close()


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@contextlib.contextmanager
def own_database(db_name: str, redis_url: str, static_root: Path, env: dict):
    """The database `db_name`, created and migrated, its Redis db emptied and Django set up in this process with
    `env`; afterwards, whatever happened, the database is dropped, the Redis db emptied again and the static
    directory removed."""
    static_root.mkdir(exist_ok=True)
    create_database(db_name)
    try:
        setup_django(env)
        flush_redis(redis_url)
        migrate()
        yield
    finally:
        drop_database(db_name)
        flush_redis(redis_url)
        shutil.rmtree(static_root, ignore_errors=True)
