"""What the logs keep of a request that was answered with a refusal, or with 503 while the database was away."""

import logging


class ConciseClientErrors(logging.Filter):
    """A refused or missing page (4xx) is the visitor's mistake, not the code's: one WARNING line with the
    address, without the traceback Django attaches to the PermissionDenied or Http404 it caught. A request
    answered 503 because the database could not be reached (hall.middleware.database_unavailable) is one WARNING
    line too, saying why."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        cause = getattr(getattr(record, "request", None), "database_unavailable", None)
        if cause and isinstance(record.args, tuple):
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
            record.msg, record.args = f"{record.msg} (the database: %s)", (*record.args, cause)
            record.exc_info = None
            record.exc_text = None
        return True
