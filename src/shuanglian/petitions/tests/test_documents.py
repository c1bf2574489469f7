"""Petition documents: the acceptance notice and the reply as PDF (Chinese text, numbered, the petitioner's
name, only for those who may see it, audited) and the monthly table by township as .xlsx."""
# ruff: noqa: F811  (pytest fixtures imported from fixtures, local to this module)
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from shuanglian.core.exceptions import NotFound, PermissionDenied
from shuanglian.core.models import AuditEvent
from shuanglian.petitions import documents, services
from shuanglian.petitions.choices import Action

from .fixtures import REPLY, accepted, clock, officer, register  # noqa: F401


def _text(content: bytes) -> str:
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_notice_and_the_reply_are_numbered_pdfs_for_the_office(clock, district, personas, officer):
    petition = accepted(officer, register(officer, district.village, petitioner_name="吴十一"))
    with pytest.raises(NotFound):
        documents.petition_pdf(actor=officer, petition=petition, kind="reply")
    notice = documents.petition_pdf(actor=officer, petition=petition, kind="notice")
    text = _text(notice.content)
    assert notice.content.startswith(b"%PDF") and "受理告知书" in text and "信受〔2010〕00001号" in text
    assert "吴十一" in text and "60日内" in text
    petition = services.transition(actor=officer, petition=petition, action=Action.REPLY, outcome="support",
                                   texts=REPLY)
    reply = documents.petition_pdf(actor=officer, petition=petition, kind="reply")
    text = _text(reply.content)
    assert "信访事项处理意见书" in text and "信复〔2010〕00001号" in text and "第四十八条" in text
    assert AuditEvent.objects.filter(action="petitions.document_pdf").count() == 2
    with pytest.raises(PermissionDenied):  # a cadre may not see the petitioner, so not the letter to them
        documents.petition_pdf(actor=personas.township_cadre, petition=petition, kind="reply")


def test_the_monthly_table_counts_by_township_and_month(clock, district, officer, personas, client):
    register(officer, district.village, received_on=dt.date(2010, 1, 5))
    register(officer, district.village2, received_on=dt.date(2010, 1, 9))
    register(officer, district.village3, received_on=dt.date(2010, 3, 1))
    client.force_login(personas.county_office)
    answer = client.get(reverse("petitions:monthly"), {"year": 2010, "within": district.county.code})
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name[district.township.name][:3] == (2, 0, 0) and by_name[district.township.name][-1] == 2
    assert by_name[district.township2.name][2] == 1
    assert rows[-1][-1] == 3
