"""The people's mediation agreement (人民调解协议书) as a PDF.

It holds what People's Mediation Law Art. 29 asks for: the parties' basic information (ID numbers and
phones always masked: the document travels, the archive keeps the full values), the main facts, the
disputed issues, the responsibilities, the terms with how and when they are performed, the date it took
effect, the signature lines, the copies, and the note on judicial confirmation within 30 days (Art. 33).

Rendered by WeasyPrint with the embedded CJK font the archives exports use (`core.pdf.cjk_fonts`);
the URL fetcher lets it read those font files and nothing else. Each download writes an audit event.
"""
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from shuanglian.archives.exports import full_name
from shuanglian.core import audit, clock
from shuanglian.core.exceptions import NotFound
from shuanglian.core.pdf import render_pdf
from shuanglian.matters import policies

from .choices import PartyRole
from .models import CONFIRMATION_DAYS, Dispute, MediationAgreement

CONTENT_TYPE = "application/pdf"
TEMPLATE = "mediation/agreement_pdf.html"
ROLE_ORDER = {PartyRole.APPLICANT: 0, PartyRole.RESPONDENT: 1, PartyRole.OTHER: 2}


@dataclass
class AgreementFile:
    content: bytes
    filename: str
    content_type: str = CONTENT_TYPE


def _sex(value: str) -> str:
    return {"male": _("male"), "female": _("female")}.get(value, "")


def agreement_context(dispute: Dispute, agreement: MediationAgreement, *, identities: bool = True) -> dict:
    """What the document shows. ID numbers and phones are the masked strings, never the plaintext, and
    blank without `identities` (policies.may_see_party_identities)."""
    matter = dispute.matter
    parties = sorted(dispute.parties.all(), key=lambda p: (ROLE_ORDER.get(p.role, 9), p.pk))
    mediators = list(dispute.mediators.all())
    place = full_name(matter.grid) if matter.grid_id else ""
    return {
        "agreement": agreement, "dispute": dispute, "matter": matter, "place": place,
        "parties": [{"role": p.get_role_display(), "name": p.name, "sex": _sex(p.sex),
                     "id_number": p.id_number.masked if identities else "",
                     "phone": p.phone.masked if identities else "", "address": p.address}
                    for p in parties],
        "mediators": mediators,
        "committee": next((m.committee for m in mediators if m.committee), ""),
        "deadline": agreement.confirmation_deadline, "confirmation_days": CONFIRMATION_DAYS,
        "generated": timezone.localtime(clock.now()),
    }


def render_agreement_pdf(context: dict) -> bytes:
    return render_pdf(TEMPLATE, context)


def agreement_pdf(*, actor, dispute: Dispute) -> AgreementFile:
    """The agreement of a dispute the actor may see, as a PDF; audited (`matters.agreement_pdf`)."""
    if not policies.may_view(actor, dispute.matter):
        raise NotFound(_("No such dispute that you may see."))
    agreement = MediationAgreement.objects.filter(dispute_id=dispute.pk).first()
    if agreement is None:
        raise NotFound(_("This dispute has no mediation agreement."))
    identities = policies.may_see_party_identities(actor, dispute.matter)
    content = render_agreement_pdf(agreement_context(dispute, agreement, identities=identities))
    audit.record(actor=actor, action="matters.agreement_pdf", obj=agreement, object_repr=agreement.number,
                 after={"number": agreement.number, "dispute": dispute.pk, "pii": "masked" if identities else "omitted"})
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{_('Mediation agreement')}-{agreement.number}")
    return AgreementFile(content=content, filename=f"{stem}.pdf")
