"""Downloads of the village book and the household file. GET gives the masked export; revealing the full
ID numbers and phones is a POST from a small form that asks why (the service checks and audits)."""
import re
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from shuanglian.core.exceptions import DomainError
from shuanglian.core.exceptions import PermissionDenied as DomainPermissionDenied
from shuanglian.core.htmx import form_add_domain_error, raise_for_read, render_page

from . import exports


class RevealExportForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, min_length=exports.REASON_MIN,
                             help_text=gettext_lazy("Written to the audit log with your name and what you export."))
    format = forms.ChoiceField(label=gettext_lazy("Format"), initial="pdf", widget=forms.RadioSelect,
                               choices=[("pdf", "PDF"), ("xlsx", "Excel (.xlsx)")])


def content_disposition(filename: str) -> str:
    """An attachment with an ASCII fallback name and the real one in UTF-8 (RFC 6266, RFC 5987)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "export"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(export: exports.ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition(export.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _unavailable(request, exc: exports.ExportUnavailable):
    return render_page(request, "archives/export/unavailable.html", {"message": exc.message},
                       status=exc.http_status)


def _target(request, kind: str, key):
    try:
        if kind == exports.VILLAGE_BOOK:
            return exports.village_book_target(request.user, key)
        return exports.household_file_target(request.user, key)
    except DomainError as exc:
        raise_for_read(exc)


def _masked(request, kind: str, key, fmt: str):
    target = _target(request, kind, key)
    try:
        export = exports.export_make(actor=request.user, target=target, fmt=fmt)
    except exports.ExportUnavailable as exc:
        return _unavailable(request, exc)
    except DomainError as exc:
        raise_for_read(exc)
    return _download(export)


def _reveal(request, kind: str, key):
    target = _target(request, kind, key)
    if not exports.may_reveal(request.user, target):
        raise PermissionDenied
    form = RevealExportForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                export = exports.export_make(actor=request.user, target=target, fmt=form.cleaned_data["format"],
                                             reveal_reason=form.cleaned_data["reason"])
            except exports.ExportUnavailable as exc:
                return _unavailable(request, exc)
            except DomainPermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                return _download(export)
        status = 422
    return render_page(request, "archives/export/reveal.html", {
        "section": "archives", "form": form, "target": target, "kind": kind,
        "village_full_name": exports.full_name(target.village),
        "household_count": len(target.households), "person_count": len(target.persons),
        "title": _("Village book") if kind == exports.VILLAGE_BOOK else _("Household file"),
    }, status=status)


@login_required
@never_cache
@require_GET
def village_book(request, code: str, fmt: str):
    return _masked(request, exports.VILLAGE_BOOK, code, fmt)


@login_required
@never_cache
@require_GET
def household_file(request, pk: int, fmt: str):
    return _masked(request, exports.HOUSEHOLD_FILE, pk, fmt)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def village_book_reveal(request, code: str):
    return _reveal(request, exports.VILLAGE_BOOK, code)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def household_file_reveal(request, pk: int):
    return _reveal(request, exports.HOUSEHOLD_FILE, pk)
