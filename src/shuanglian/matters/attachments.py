"""Photos and documents attached to a matter: checked by their content (not their name or the browser's
word for it), stored under MEDIA_ROOT with a random name, and served only through a scoped view.

Who may attach: whoever may act on the matter where it is held, or may record matters in its grid
(the person who reported it, a volunteer with a second photo). A closed matter takes no more.
"""
from __future__ import annotations

import os
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from shuanglian.access.roles import REPORT_MATTERS
from shuanglian.access.scope import has_capability
from shuanglian.core import audit
from shuanglian.core.exceptions import Conflict, PermissionDenied, ValidationFailed

from . import policies
from .choices import Status
from .models import Attachment, Matter

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9  # per form, as many as a phone's photo picker usually offers at once
# What a file's first bytes say it is -> (content type, extension). HEIC: iPhones (when not converted).
_SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"GIF87a", 0, "image/gif", ".gif"),
    (b"GIF89a", 0, "image/gif", ".gif"),
    (b"%PDF-", 0, "application/pdf", ".pdf"),
]
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an image or PDF from its first bytes; None for anything else."""
    for magic, offset, content_type, ext in _SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic", ".heic"
    return None


def check_upload(upload) -> tuple[str, str]:
    """Refuse what is too big or not an image or a PDF, with a message naming the file."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    if upload.size > MAX_BYTES:
        raise ValidationFailed(
            _("%(name)s is larger than %(mb)d MB. Take the photo again at a lower resolution, or send a smaller file.")
            % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}, details={"attachments": [name]})
    if upload.size == 0:
        raise ValidationFailed(_("%(name)s is empty.") % {"name": name}, details={"attachments": [name]})
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationFailed(_("%(name)s is not a photo or a PDF. Attach images (JPEG, PNG, HEIC ...) or PDF "
                                 "files only.") % {"name": name}, details={"attachments": [name]})
    return kind


def may_attach(user, matter: Matter) -> bool:
    if user is None:
        return True
    return policies.may_handle(user, matter) or (matter.grid is not None
                                                 and has_capability(user, REPORT_MATTERS, matter.grid))


@transaction.atomic
def attachment_add(*, actor, matter: Matter, upload) -> Attachment:
    """Store one uploaded file on the matter. The file is written under MEDIA_ROOT/matters/<year>/<month>/
    with a random name; the name the person gave it is kept for display only."""
    if not may_attach(actor, matter):
        raise PermissionDenied(_("You may not add attachments to this matter."))
    if matter.status == Status.CLOSED:
        raise Conflict(_("A closed matter takes no more attachments; reopen it first."),
                       details={"status": matter.status})
    content_type, ext = check_upload(upload)
    display = (os.path.basename(upload.name or "") or _("attachment"))[:200]
    row = Attachment(matter=matter, name=display, content_type=content_type, size=upload.size,
                     uploaded_by=actor if getattr(actor, "pk", None) else None)
    row.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
    # The file is on disk before the row is written: remove it again if writing the row fails. (If an
    # outer transaction rolls back later, its caller removes the files: see discard_files.)
    try:
        row.save()
        audit.record(actor=actor, action="matters.attachment_add", obj=matter,
                     after={"attachment": row.pk, "name": display, "content_type": content_type, "size": row.size})
    except Exception:
        row.file.delete(save=False)
        raise
    return row


def discard_files(rows) -> None:
    """Delete stored files whose rows were rolled back (the caller's transaction failed after saving)."""
    for row in rows:
        try:
            row.file.delete(save=False)
        except OSError:  # pragma: no cover - best effort
            pass
