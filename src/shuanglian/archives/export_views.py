"""The village book and the household file. The household file downloads in the request (GET masked).
The village book takes too long for a request: its page (a POST) queues an export job, whose page shows
the progress and then offers the file, once, to the user who asked (export_jobs.py). Revealing the full
ID numbers and phones is a POST from a small form that asks why (the service checks and audits)."""
import re
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.exceptions import PermissionDenied as DomainPermissionDenied
from shuanglian.core.htmx import (
    form_add_domain_error,
    is_fragment_request,
    raise_for_read,
    redirect_after_post,
    render_page,
)

from . import export_jobs, exports
from .models import ExportJob

FORMAT_CHOICES = [("pdf", "PDF"), ("xlsx", gettext_lazy("Excel (.xlsx)"))]
RECENT_EXPORTS = 10


class RevealExportForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, min_length=exports.REASON_MIN,
                             help_text=gettext_lazy("Written to the audit log with your name and what you export."))
    format = forms.ChoiceField(label=gettext_lazy("Format"), initial="pdf", widget=forms.RadioSelect,
                               choices=FORMAT_CHOICES)


class VillageBookForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), initial="pdf", widget=forms.RadioSelect,
                               choices=FORMAT_CHOICES)


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
            fmt, reason = form.cleaned_data["format"], form.cleaned_data["reason"]
            try:
                if kind == exports.VILLAGE_BOOK:
                    job = export_jobs.export_job_create(actor=request.user, code=key, fmt=fmt, reveal_reason=reason)
                else:
                    export = exports.export_make(actor=request.user, target=target, fmt=fmt, reveal_reason=reason)
            except exports.ExportUnavailable as exc:
                return _unavailable(request, exc)
            except DomainPermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except NotFound as exc:
                raise_for_read(exc)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                if kind == exports.VILLAGE_BOOK:
                    return redirect_after_post(request, _job_url(job))
                return _download(export)
        status = 422
    return render_page(request, "archives/export/reveal.html", {
        "section": "archives", "form": form, "target": target, "kind": kind,
        "village_full_name": exports.full_name(target.village),
        "household_count": len(target.households), "person_count": len(target.persons),
        "title": _("Village book") if kind == exports.VILLAGE_BOOK else _("Household file"),
    }, status=status)


def _job_url(job: ExportJob) -> str:
    return reverse("archive_exports:export_job", kwargs={"pk": job.pk})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def village_book(request, code: str):
    """The village book's page: choose PDF or Excel; the POST queues the export and goes to its job page."""
    target = _target(request, exports.VILLAGE_BOOK, code)
    initial = {"format": request.GET.get("format") if request.GET.get("format") in exports.FORMATS else "pdf"}
    form = VillageBookForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                job = export_jobs.export_job_create(actor=request.user, code=code, fmt=form.cleaned_data["format"])
            except exports.ExportUnavailable as exc:
                return _unavailable(request, exc)
            except NotFound as exc:
                raise_for_read(exc)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                return redirect_after_post(request, _job_url(job))
        status = 422
    return render_page(request, "archives/export/start.html", {
        "section": "archives", "form": form, "target": target, "village_full_name": exports.full_name(target.village),
        "household_count": len(target.households), "person_count": len(target.persons),
        "may_reveal": exports.may_reveal(request.user, target),
        "jobs": export_jobs.export_job_list_visible_to(request.user)[:RECENT_EXPORTS],
    }, status=status)


STAGES = {  # what export_jobs reports in ExportJob.progress, in order
    "reading": gettext_lazy("reading the archives"),
    "layout": gettext_lazy("laying out the pages"),
    "writing": gettext_lazy("writing the file"),
}


def _job_context(request, job: ExportJob) -> dict:
    progress = job.progress if job.is_active and job.progress.get("stage") in STAGES else None
    step = list(STAGES).index(progress["stage"]) + 1 if progress else 0
    return {"section": "archives", "job": job, "progress": progress, "step": step, "steps": len(STAGES),
            "stage_label": STAGES[progress["stage"]] if progress else "",
            "available": export_jobs.file_available(job), "expires_at": export_jobs.expires_at(job),
            "village_full_name": exports.full_name(job.village)}


@login_required
@never_cache
@require_GET
def export_job(request, pk: int):
    """An export's progress (the page polls itself while it runs), then its download. The requester's only."""
    job = export_jobs.reap_if_stale(_read(request, export_jobs.export_job_get_for_user, pk))
    context = _job_context(request, job)
    if is_fragment_request(request) and request.htmx.target == "export-status":
        response = render(request, "archives/export/partials/job_status.html", context)
        patch_vary_headers(response, ("HX-Request",))
        return response
    return render_page(request, "archives/export/job.html", context)


@login_required
@never_cache
@require_POST
def export_job_download(request, pk: int):
    """The file, once (a POST, so a link preview or prefetch cannot use it up); then it is deleted."""
    job = _read(request, export_jobs.export_job_get_for_user, pk)
    try:
        fh, filename, content_type = export_jobs.export_job_download(actor=request.user, job=job)
    except NotFound as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_job_url(job))
    response = FileResponse(fh, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _read(request, getter, pk):
    try:
        return getter(request.user, pk)
    except DomainError as exc:
        raise_for_read(exc)


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
