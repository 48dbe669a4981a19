"""Evidence files (repair photos, complaint evidence): the type is read from the content, not the name; they are
stored under names nobody can guess and handed out only by views that check who is asking."""

import re
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Leading bytes of each accepted type; a PDF renamed .jpg still starts with %PDF.
SIGNATURES = {
    "image/jpeg": [b"\xff\xd8\xff"],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
    "image/gif": [b"GIF87a", b"GIF89a"],
    "image/webp": [b"RIFF"],
    "application/pdf": [b"%PDF-"],
    "audio/mpeg": [b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"],
    "audio/wav": [b"RIFF"],
    "audio/ogg": [b"OggS"],
    "audio/amr": [b"#!AMR"],
    "audio/mp4": [],  # an MP4 box: "ftyp" at byte 4, then the brand (M4A for a phone's recording)
}
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
AUDIO_TYPES = ("audio/mpeg", "audio/wav", "audio/ogg", "audio/amr", "audio/mp4")
# RIFF holds both WebP pictures and WAV sounds: the form is named at byte 8.
RIFF_FORMS = {"image/webp": b"WEBP", "audio/wav": b"WAVE"}


def sniff(head: bytes) -> str | None:
    for content_type, prefixes in SIGNATURES.items():
        if any(head.startswith(prefix) for prefix in prefixes):
            if content_type in RIFF_FORMS and head[8:12] != RIFF_FORMS[content_type]:
                continue
            return content_type
    if head[4:8] == b"ftyp" and head[8:11] == b"M4A":
        return "audio/mp4"
    return None


def validate_evidence(upload, *, allowed=IMAGE_TYPES, max_bytes: int | None = None) -> str:
    """Returns the file's real content type, or raises ValidationError naming what is wrong."""
    max_bytes = max_bytes or settings.MAX_EVIDENCE_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size)s; at most %(max)s is accepted.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type not in allowed:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, GIF or WebP).") % {"name": upload.name}
            if allowed == IMAGE_TYPES
            else _("%(name)s is not an accepted file type.") % {"name": upload.name}
        )
    return content_type


@deconstructible
class RandomName:
    """upload_to for customer evidence: "<folder>/%Y/%m/<random token>.<ext>", keeping only a plain extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()
        if not re.fullmatch(r"\.[a-z0-9]{1,5}", extension):
            extension = ""
        return f"{self.folder}/{timezone.localtime():%Y/%m}/{secrets.token_urlsafe(16)}{extension}"


def record_folder_name(instance, filename: str) -> str:
    """upload_to for a model that names its own folder in `upload_folder` (hall.models.Evidence)."""
    return RandomName(instance.upload_folder)(instance, filename)


def evidence_response(stored, content_type: str = "") -> FileResponse:
    """Streams a stored evidence file to someone already allowed to read it; without a stored type it is
    read from the file's first bytes."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if not content_type:
        content_type = sniff(handle.read(16)) or "application/octet-stream"
        handle.seek(0)
    response = FileResponse(handle, content_type=content_type, filename=PurePath(stored.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
