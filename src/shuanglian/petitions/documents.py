"""Petition documents: the acceptance notice (受理告知书, Art. 23) and the handling opinion (处理意见书,
Art. 32) as PDF, and the monthly table of petitions by township as .xlsx.

The PDFs go to the petitioner, so they carry the petitioner's name: only those who may see it (the
petition office, the named handling officer, a non-accusation's handling unit) get them, and each
download is audited. The monthly table holds counts only.
"""
import re
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.exceptions import NotFound, PermissionDenied
from shuanglian.core.figures import Period
from shuanglian.core.pdf import render_pdf
from shuanglian.divisions.choices import Level
from shuanglian.divisions.models import Division

from . import figures, policies
from .choices import Status
from .deadlines import LIMITS
from .models import Petition

TEMPLATE = "petitions/document_pdf.html"
KINDS = {"notice": "受理告知书", "reply": "信访事项处理意见书"}


@dataclass
class PetitionFile:
    content: bytes
    filename: str
    content_type: str = "application/pdf"


def document_number(petition: Petition, kind: str) -> str:
    """The document's number: the petition's number with the document's mark (受 or 复)."""
    mark = "受" if kind == "notice" else "复"
    return petition.number.replace("信〔", f"信{mark}〔", 1)


def petition_pdf(*, actor, petition: Petition, kind: str) -> PetitionFile:
    if kind not in KINDS:
        raise NotFound(_("No such document."))
    if not policies.may_see_identity(actor, petition):
        raise PermissionDenied(_("The petitioner's identity of %(number)s is confidential.")
                               % {"number": petition.number})
    if kind == "notice" and petition.status in (Status.REGISTERED, Status.ROUTED):
        raise NotFound(_("Petition %(number)s has not been decided on yet: there is no acceptance notice.")
                       % {"number": petition.number})
    if kind == "reply" and petition.replied_at is None:
        raise NotFound(_("Petition %(number)s has no reply yet.") % {"number": petition.number})
    number = document_number(petition, kind)
    context = {"petition": petition, "kind": kind, "title": KINDS[kind], "number": number,
               "accepted": petition.status != Status.NOT_ACCEPTED,
               "refusal": petition.transitions.filter(action="not_accept").values_list("reason", flat=True).first(),
               "reply_days": LIMITS[Status.ACCEPTED].amount, "generated": timezone.localtime(clock.now())}
    content = render_pdf(TEMPLATE, context)
    audit.record(actor=actor, action="petitions.document_pdf", obj=petition, object_repr=number,
                 after={"number": number, "kind": kind})
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{KINDS[kind]}-{number}")
    return PetitionFile(content=content, filename=f"{stem}.pdf")


def monthly_rows(*, year: int, within: Division) -> list[list]:
    """Petitions received per township and month of `year` in the subtree, with person-times and totals."""
    rows = (Petition.objects.filter(figures.received_q(Period.year(year), within))
            .annotate(m=ExtractMonth("received_on")).values_list("township_id", "m").annotate(n=Count("id")))
    counts: dict = {}
    for township, month, n in rows:
        counts.setdefault(township, [0] * 12)[month - 1] += n
    townships = (Division.objects.current().within(within).filter(level=Level.TOWNSHIP).order_by("code")
                 if within.level != Level.TOWNSHIP else [within])
    header = [_("Township"), *[_("Month %(m)d") % {"m": m} for m in range(1, 13)], _("Total")]
    table = [header]
    totals = [0] * 12
    for township in townships:
        months = counts.get(township.pk, [0] * 12)
        totals = [a + b for a, b in zip(totals, months, strict=True)]
        table.append([township.name, *months, sum(months)])
    table.append([_("Total"), *totals, sum(totals)])
    return table
