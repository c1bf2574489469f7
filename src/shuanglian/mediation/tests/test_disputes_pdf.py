"""The mediation agreement PDF: Chinese text with an embedded CJK font, every Art. 29 element, ID numbers
and phones masked, the 30-day judicial confirmation note; audited; out of scope is 404."""
# ruff: noqa: F811  (pytest fixtures imported from test_disputes_fixtures, local to this module)
import io

import pytest
from pypdf import PdfReader

from shuanglian.archives import exports
from shuanglian.core.exceptions import NotFound
from shuanglian.core.models import AuditEvent
from shuanglian.mediation import agreement as agreement_pdf
from shuanglian.mediation import selectors

from .test_disputes_fixtures import (  # noqa: F401
    AGREEMENT,
    APPLICANT_ID,
    APPLICANT_PHONE,
    RESPONDENT_ID,
    agreed,
    clock,
    dispute,
    masked_id,
    matter,
)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> list[tuple[str, bool]]:
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            found.append((str(font["/BaseFont"]), any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                                "/FontFile3"))))
    return found


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_agreement_pdf_holds_every_element_with_ids_and_phones_masked(dispute, personas):
    agreed(personas.promoter, dispute)
    result = agreement_pdf.agreement_pdf(actor=personas.village_cadre, dispute=dispute)
    assert result.content.startswith(b"%PDF") and result.content_type == "application/pdf"
    assert result.filename == "Mediation_agreement-调字〔2010〕第0001号.pdf"
    text = _flat(pdf_text(result.content))
    for expected in ("调字〔2010〕第0001号", "王大明", "李秀英", "徐调解", "樟潭社区人民调解委员会", "樟潭社区1号",
                     "浙江省衢州市衢江区樟潭街道樟潭社区第一网格", *AGREEMENT.values(),
                     masked_id(APPLICANT_ID), masked_id(RESPONDENT_ID), "139****5678", "2010-05-31",
                     "2010-06-30", "within30days", "Art.33", "3copies"):
        assert _flat(expected) in text, expected
    for secret in (APPLICANT_ID, RESPONDENT_ID, APPLICANT_PHONE):
        assert secret not in text
    family = exports.font_family_name(exports.cjk_fonts()["normal"]).replace(" ", "-")
    fonts = pdf_fonts(result.content)
    assert fonts and all(embedded for _name, embedded in fonts)
    assert all(name.split("+")[-1].startswith(family) for name, _embedded in fonts), fonts
    event = AuditEvent.objects.get(action="matters.agreement_pdf")
    assert event.actor == personas.village_cadre and event.after["pii"] == "masked"


def test_no_pdf_without_an_agreement_or_outside_ones_scope(dispute, personas):
    with pytest.raises(NotFound):
        agreement_pdf.agreement_pdf(actor=personas.promoter, dispute=dispute)
    agreed(personas.promoter, dispute)
    with pytest.raises(NotFound):
        agreement_pdf.agreement_pdf(actor=personas.outsider, dispute=dispute)
    assert not AuditEvent.objects.filter(action="matters.agreement_pdf").exists()


def test_user_text_is_escaped_and_loads_nothing(dispute, personas):
    agreed(personas.promoter, dispute, terms='<img src="http://example.com/x.png">赔偿<b>500</b>元')
    text = pdf_text(agreement_pdf.agreement_pdf(actor=personas.promoter, dispute=dispute).content)
    assert '<img src="http://example.com/x.png">' in text and "<b>500</b>" in text
    assert selectors.confirmation_window(dispute.agreement).state == "open"
