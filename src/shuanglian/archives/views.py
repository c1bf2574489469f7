"""Archive pages: person search, the household file (with edits and audited reveals), imports with a
progress page, and dynamic management. Thin: every read goes through a scoped selector (out of scope
reads as 404), every write through a service."""
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST

from shuanglian.access.roles import IMPORT_ARCHIVES, VIEW_ARCHIVES
from shuanglian.core import clock
from shuanglian.core.exceptions import DomainError, NotFound
from shuanglian.core.exceptions import PermissionDenied as DomainPermissionDenied
from shuanglian.core.htmx import (
    ServiceFormMixin,
    is_fragment_request,
    paginate,
    raise_for_read,
    read,
    render_page,
    require_any_capability,
)
from shuanglian.core.tabular import template_response
from shuanglian.divisions.choices import Level

from . import disclosure, jobs, policies, selectors, services
from .choices import RelationKind, RelationToHead, ResidenceStatus, Sex
from .filtersets import PersonFilterSet
from .forms import HouseholdForm, PersonForm, PersonSearchForm, RevealForm, TagsForm, UploadForm
from .importing import template_rows
from .models import Household, HouseholdVersion, ImportJob, Person, Relation, Tag

SECTION = "archives"
HISTORY_SHOWN = 50
JOB_ERRORS_PER_PAGE = 100
RECENT_JOBS = 10



def _subnav(user) -> dict:
    return {"section": SECTION, "may_import": policies.may_import_somewhere(user)}


# ---------------------------------------------------------------- search

POST_ONLY_FILTERS = ("id_number", "phone")  # full numbers: never in a URL


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def search(request):
    """Persons the user may see, filtered by PersonFilterSet; one count and one page query.

    The form is POSTed, so an ID number or a phone searched for never stands in a URL: not in the browser's
    history, nor in the access log of this server or of a proxy. Other filters still work in a GET (links,
    pages of the list); an ID number or phone in a GET is ignored, with a message."""
    user = request.user
    require_any_capability(user, VIEW_ARCHIVES)
    pii = selectors.pii_scope(user)
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST" and not any(data.get(name) for name in POST_ONLY_FILTERS):
        # Nothing to keep out of the address: the list lives at a GET URL, which pages and links can use.
        query = data.copy()
        for name in [k for k, values in query.lists() if k == "csrfmiddlewaretoken" or not any(values)]:
            query.pop(name)
        url = reverse("archives:search") + (f"?{query.urlencode()}" if query else "")
        return HttpResponseRedirect(url, status=303)  # htmx follows it, and gets the panel
    refused = request.method != "POST" and any(request.GET.get(name) for name in POST_ONLY_FILTERS)
    if refused:
        data = data.copy()
        for name in POST_ONLY_FILTERS:
            data.pop(name, None)
    form = PersonSearchForm(data, user=user, pii=not pii.empty)
    # With `request`, the FilterSet narrows searches on ID number, phone, age and sensitive tags to the
    # persons whose PII the user may see, so the search is no oracle.
    filterset = PersonFilterSet(data, queryset=selectors.person_list_visible_to(user), request=request)
    persons = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = paginate(request, persons)
    today = clock.today()
    for person in page.object_list:
        person.shows_pii = pii.covers_record(person)
        person.shown = disclosure.person_shown(sees_pii=person.shows_pii)
        person.age = selectors.person_age(person.birth_date, today) if "age" in person.shown else None
    shown = sum(1 for person in page.object_list if person.shows_pii)
    if shown:  # one audit event for the page: who, the filters, how many (PIPL Art. 56)
        services.pii_read_record(actor=user, what="person", filters=data, rows=page.paginator.count, shown=shown)
    return render_page(request, "archives/search.html", {
        **_subnav(user), "form": form, "page_obj": page, "pii_column": not pii.empty,
        "invalid": filterset.errors, "posted": request.method == "POST",
        "refused": _("Search by ID number or phone with the form: the number is sent in the request body, "
                     "never in the address.") if refused else "",
    })


# ---------------------------------------------------------------- household file

ACTION_LABELS = {
    "household_register": gettext_lazy("registered the household"),
    "household_update": gettext_lazy("changed the household"),
    "household_tags": gettext_lazy("changed the tags"),
    "person_add": gettext_lazy("added a member"),
    "person_update": gettext_lazy("changed a member"),
    "relation_add": gettext_lazy("added a relation"),
    "import": gettext_lazy("imported from a file"),
}
EXTRA_LABELS = {
    "grid": gettext_lazy("grid"), "tags": gettext_lazy("tags"), "reason": gettext_lazy("reason"),
    "file": gettext_lazy("file"), "lines": gettext_lazy("lines"), "other": gettext_lazy("related person"),
    "kind": gettext_lazy("kind"), "note": gettext_lazy("note"),
}
CHOICE_LABELS = {"sex": Sex, "relation_to_head": RelationToHead, "residence_status": ResidenceStatus,
                 "kind": RelationKind}


def _field_label(name: str) -> str:
    for model in (Household, Person):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return str(EXTRA_LABELS.get(name, name))


def _shown(name: str, value, tags: dict[str, Tag]) -> str:
    if value in (None, "", []):
        return "—"
    if name == "tags":
        return "、".join(tags[c].name if c in tags else c for c in value) or "—"
    choices = CHOICE_LABELS.get(name)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)


def _history(version: HouseholdVersion, tags: dict[str, Tag], pii: bool) -> dict:
    """One history row as people read it: what the reader may see of it is disclosure's to say."""
    changes = []
    sensitive = {code for code, tag in tags.items() if tag.sensitive}
    for name, value in disclosure.history_changes(version.changes, sees_pii=pii, sensitive_tags=sensitive,
                                                  known_tags=set(tags)).items():
        if isinstance(value, list) and len(value) == 2 and version.action not in ("household_register", "person_add"):
            before, after = _shown(name, value[0], tags), _shown(name, value[1], tags)
            if before == after:
                continue
            changes.append({"label": _field_label(name), "before": before, "after": after})
        elif value not in (None, "", []):
            changes.append({"label": _field_label(name), "after": _shown(name, value, tags)})
    return {"at": version.at, "actor": version.actor_label, "person": version.person,
            "action": ACTION_LABELS.get(version.action, version.action), "changes": changes}


class HouseholdView(LoginRequiredMixin, ServiceFormMixin, View):
    """One household file. Whether the viewer sees PII here is decided once, for the whole household
    (its members share its scope columns)."""

    template_name = "archives/household.html"
    FRAGMENTS = {"household": "archives/partials/household_form.html",
                 "tags": "archives/partials/tags_form.html",
                 "person_add": "archives/partials/person_form.html",
                 "person_edit": "archives/partials/person_form.html"}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        require_any_capability(user, VIEW_ARCHIVES)
        self.household = read(selectors.household_get_for_user, user, kwargs["pk"])
        self.pii = selectors.pii_scope(user).covers_record(self.household)
        self.may_edit = policies.may_edit(user, self.household)
        self.may_reveal = self.pii and policies.may_reveal(user, self.household)
        self.members = self._members()
        return super().dispatch(request, *args, **kwargs)

    def _members(self) -> list[Person]:
        today = clock.today()
        members = list(self.household.members.filter(is_active=True).order_by("pk"))
        members.sort(key=lambda m: m.relation_to_head != RelationToHead.HEAD)
        for m in members:
            m.age = selectors.person_age(m.birth_date, today)
        return members

    def _relations(self) -> list[dict]:
        ids = [m.pk for m in self.members]
        rows = (Relation.objects.filter(Q(person_id__in=ids) | Q(other_id__in=ids))
                .select_related("person__household", "other__household").order_by("pk"))
        out = []
        for r in rows:
            near, far = (r.person, r.other) if r.person_id in ids else (r.other, r.person)
            # The far end may live outside the viewer's area: then neither name nor household is shown.
            visible = far.is_active and policies.may_view(self.request.user, far)
            out.append({"near": near, "far": far if visible else None, "kind": r.get_kind_display(),
                        "note": r.note, "other_household": visible and far.household_id != self.household.pk})
        return out

    # Forms

    def make_form(self, action: str, data=None, person=None):
        hh = self.household
        if action == "household":
            initial = {f: getattr(hh, f) for f in services.HOUSEHOLD_FIELDS}
            return HouseholdForm(data, initial=initial, pii=self.pii, prefix="hh")
        if action == "tags":
            return TagsForm(data, initial={"tags": hh.tag_list()}, prefix="tags")
        if action == "person_add":
            return PersonForm(data, prefix="add")
        if action == "person_edit":
            return PersonForm(data, person=person, prefix=f"p{person.pk}")
        raise KeyError(action)

    def get_context_data(self, form=None, **kwargs):
        bound = getattr(self, "action", None) if form is not None else None
        hh, user = self.household, self.request.user
        tag_list = list(Tag.objects.all())
        tags = {t.code: t for t in tag_list}
        shown_tags = [t for t in hh.tag_list({t.index: t for t in tag_list})
                      if disclosure.tag_shown(t, sees_pii=self.pii)]
        versions = hh.versions.select_related("person")
        context = {
            **_subnav(user), "household": hh, "members": self.members, "tags": shown_tags, "pii": self.pii,
            "shown": disclosure.person_shown(sees_pii=self.pii) | disclosure.household_shown(sees_pii=self.pii),
            "may_edit": self.may_edit, "may_reveal": self.may_reveal, "relations": self._relations(),
            "history": [_history(v, tags, self.pii) for v in versions[:HISTORY_SHOWN]],
            "history_count": versions.count(), "form": form,
        }
        if self.may_edit:
            for action in ("household", "tags", "person_add"):
                context[f"{action}_form"] = form if action == bound else self.make_form(action)
            context["edit_forms"] = [
                (m, form if bound == "person_edit" and m == self.person else self.make_form("person_edit", person=m))
                for m in self.members]
        if bound == "person_edit":
            context["member"] = self.person
        return context

    def get(self, request, pk):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request, pk):
        if not self.may_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in self.FRAGMENTS:
            return HttpResponseBadRequest(_("Unknown operation."))
        self.action = action
        self.form_template_name = self.FRAGMENTS[action]
        self.person = None
        if action == "person_edit":
            by_pk = {str(m.pk): m for m in self.members}
            self.person = by_pk.get(request.POST.get("person", ""))
            if self.person is None:
                raise_for_read(NotFound("No such member of this household."))
        return self.submit(self.make_form(action, request.POST, person=self.person))

    def perform(self, form):
        actor, hh, data = self.request.user, self.household, form.cleaned_data
        if self.action == "household":
            return services.household_update(actor=actor, household=hh, **data)
        if self.action == "tags":
            return services.household_set_tags(actor=actor, household=hh, tags=list(data["tags"]))
        fields = form.service_fields()
        if self.action == "person_add":
            return services.person_add(actor=actor, household=hh, **fields)
        return services.person_update(actor=actor, person=self.person, **fields)

    def success_url(self, result) -> str:
        return reverse("archives:household", kwargs={"pk": self.household.pk})

    def success_message(self, result) -> str:
        if self.action == "household":
            return _("Household %(number)s saved.") % {"number": self.household.number}
        if self.action == "tags":
            return _("Tags saved.")
        if self.action == "person_add":
            return _("%(name)s added to the household.") % {"name": result.name}
        return _("%(name)s saved.") % {"name": result.name}


# ---------------------------------------------------------------- reveal


@login_required
@require_POST
def reveal(request, pk: int):
    """The full value of one field, for a stated reason, in this one response: it is not kept anywhere."""
    user = request.user
    require_any_capability(user, VIEW_ARCHIVES)
    person = read(selectors.person_get_for_user, user, pk)
    form = RevealForm(request.POST)
    field = request.POST.get("field", "")
    context = {"person": person, "field": field if field in services.REVEALABLE else "id_number",
               "may_reveal": True, "open": True}
    context["value"] = getattr(person, context["field"])
    if not form.is_valid():
        return _reveal_response(request, {**context, "error": _("Choose the ID number or the phone.")}, 400)
    try:
        value = services.person_reveal(actor=user, person=person, field=form.cleaned_data["field"],
                                       reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if isinstance(exc, DomainPermissionDenied):
            context["may_reveal"] = False
        return _reveal_response(request, {**context, "error": exc.message}, exc.http_status)
    return _reveal_response(request, {**context, "revealed": value}, 200)


def _reveal_response(request, context: dict, status: int):
    if is_fragment_request(request):
        response = render(request, "archives/partials/pii.html", context, status=status)
        patch_vary_headers(response, ("HX-Request",))
    else:
        context["household"] = context["person"].household
        response = render_page(request, "archives/reveal.html", {**context, "section": SECTION}, status=status)
    return response  # a revealed value lingers in no cache: core's NoStoreMiddleware


# ---------------------------------------------------------------- import


class UploadView(LoginRequiredMixin, ServiceFormMixin, View):
    """Upload a spreadsheet; it is imported in the background. The user's recent imports are listed."""

    template_name = "archives/upload.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_any_capability(request.user, IMPORT_ARCHIVES)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        recent = jobs.import_job_list_visible_to(user).filter(user=user)[:RECENT_JOBS]
        return {**_subnav(user), "form": form or UploadForm(), "jobs": recent}

    def get(self, request):
        return render_page(request, self.template_name, self.get_context_data())

    def post(self, request):
        return self.submit(UploadForm(request.POST, request.FILES))

    def perform(self, form):
        data = form.cleaned_data
        return jobs.import_job_create(actor=self.request.user, upload=data["file"], dry_run=data["dry_run"],
                                      skip_invalid=data["skip_invalid"])

    def success_url(self, result) -> str:
        return reverse("archives:job", kwargs={"pk": result.pk})


# The stages import_households reports in its progress file.
STAGES = {
    "reading": gettext_lazy("reading the file"),
    "checking": gettext_lazy("checking every row"),
    "households": gettext_lazy("writing households"),
    "persons": gettext_lazy("writing persons"),
    "tags": gettext_lazy("writing tags and history"),
    "done": gettext_lazy("finishing"),
}


def _job_context(request, job: ImportJob) -> dict:
    progress = jobs.read_progress(job) if job.is_active else None
    percent = None
    if progress and progress.get("total"):
        percent = min(100, round(100 * progress.get("done", 0) / progress["total"]))
    if progress:
        progress["label"] = STAGES.get(progress.get("stage"), "")
    return {"job": job, "progress": progress, "percent": percent,
            "errors_page": Paginator(job.errors, JOB_ERRORS_PER_PAGE).get_page(request.GET.get("page")),
            "may_download": bool(job.rejects_path) and job.user_id == request.user.pk}


@login_required
def job(request, pk: int):
    """An import's progress (the page polls itself every second while it runs), then its result."""
    user = request.user
    require_any_capability(user, IMPORT_ARCHIVES)
    found = jobs.reap_if_stale(read(jobs.import_job_get_for_user, user, pk))
    context = _job_context(request, found)
    if is_fragment_request(request) and request.htmx.target == "job-status":
        response = render(request, "archives/partials/job_status.html", context)
        patch_vary_headers(response, ("HX-Request",))
        return response
    return render_page(request, "archives/job.html", {**_subnav(user), **context})


@login_required
def job_rejects(request, pk: int):
    user = request.user
    require_any_capability(user, IMPORT_ARCHIVES)
    found = read(jobs.import_job_get_for_user, user, pk)
    try:
        path = jobs.rejects_downloaded(actor=user, job=found)
    except DomainError as exc:
        raise_for_read(exc)
    name = f"{Path(found.file_name).stem}.rejects.csv"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type="text/csv")


@login_required
def template(request):
    """The import template: the Chinese headers and one example row, as .xlsx or (?format=csv) CSV."""
    require_any_capability(request.user, IMPORT_ARCHIVES)
    return template_response(template_rows(), stem=_("household-import-template"), sheet_title=_("Households"),
                             text_columns="CDF", widths={"D": 22}, csv_format=request.GET.get("format") == "csv")


# ---------------------------------------------------------------- dynamic management

ATTENTION_LISTS = {
    "stale": gettext_lazy("Not updated for 12 months"),
    "milestones": gettext_lazy("Turning 18, 60 or 80"),
    "incomplete": gettext_lazy("Files below 60%"),
    "mismatch": gettext_lazy("ID number disagrees"),
}
PERSONAL_LISTS = {"milestones": "birth_date", "mismatch": "id_number"}  # the field each list tells


@login_required
def attention(request):
    """Completeness per township and village, and the households and persons that need attention."""
    user = request.user
    require_any_capability(user, VIEW_ARCHIVES)
    pii = selectors.pii_scope(user)
    # Milestones tell birth dates, mismatches what ID numbers say: both personal (archives.disclosure).
    lists = {k: v for k, v in ATTENTION_LISTS.items()
             if k not in PERSONAL_LISTS or disclosure.shown(PERSONAL_LISTS[k], sees_pii=not pii.empty)}
    show = request.GET.get("show") if request.GET.get("show") in lists else "stale"
    today = clock.today()
    if show == "stale":
        page = paginate(request, selectors.households_not_updated(user))
    elif show == "incomplete":
        page = paginate(request, selectors.households_incomplete(user))
    elif show == "milestones":
        page = paginate(request, selectors.persons_turning(user))
        for person in page.object_list:
            person.milestone, person.milestone_on = selectors.milestone_of(person)
    else:
        page = paginate(request, selectors.persons_identity_mismatch(user))
        found = dict(page.object_list)
        persons = {p.pk: p for p in selectors.person_list_visible_to(user).filter(pk__in=found)}
        labels = {"birth_date": _field_label("birth_date"), "sex": _field_label("sex"),
                  "id_number": _("ID number is invalid")}
        page.object_list = [(persons[pk], [labels[p] for p in problems]) for pk, problems in page.object_list
                            if pk in persons]
    return render_page(request, "archives/attention.html", {
        **_subnav(user), "show": show, "lists": lists, "page_obj": page, "today": today,
        "townships": selectors.completeness_rollup(user, Level.TOWNSHIP),
        "villages": selectors.completeness_rollup(user, Level.VILLAGE),
        "below": selectors.INCOMPLETE_BELOW,
    })
