"""What the logs keep of a request that was answered with a refusal."""

import logging


class ConciseClientErrors(logging.Filter):
    """A refused or missing page (4xx) is the visitor's mistake, not the code's: one WARNING line with the
    address, without the traceback Django attaches to the PermissionDenied or Http404 it caught."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
