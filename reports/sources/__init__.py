"""Each module is one area's source of parts and figures (reports.engine), registered on import."""

from reports.sources import callbacks, complaints, hall_wide, queue, repairs  # noqa: F401
