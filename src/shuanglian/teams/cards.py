"""The posted grid card (公示牌) as a PDF: one page per grid, A5 (default) or A4, with the embedded CJK font
(core.pdf). The HTML print page and the PDF share one card partial, so they show the same things."""
from django.utils import timezone

from shuanglian.core import clock
from shuanglian.core.pdf import render_pdf

CONTENT_TYPE = "application/pdf"
SIZES = ("A5", "A4")


def page_size(value: str | None) -> str:
    value = (value or "").upper()
    return value if value in SIZES else SIZES[0]


def cards_pdf(cards: list[dict], size: str) -> bytes:
    return render_pdf("teams/cards_pdf.html", {"cards": cards, "size": size,
                                               "generated": timezone.localtime(clock.now())})
