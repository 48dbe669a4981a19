"""What the benchmarks (benchmarks/) and the fault drills (drills/) share: a database and a Redis db of their own,
Django set up in their process with the server's environment, and the hall's real processes started the way
production starts them (gunicorn, the Celery worker and beat), each in its own process group with its output kept.

Not part of the app: nothing in it is imported by the hall's code.
"""
