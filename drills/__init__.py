"""Fault drills: the hall's real processes (gunicorn, the Celery worker and beat) on real PostgreSQL and Redis,
a fault injected — a worker killed mid-sweep, beat started twice, an SMS gateway that hangs — and the database
counted afterwards. Not part of the test suite: `make drill` runs them (drills/run.py)."""
