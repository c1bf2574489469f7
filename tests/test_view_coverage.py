"""Every URL of the project is checked three ways (shuanglian.testing.views) or says here why not."""
import importlib

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# Open to anyone by design: the login pages, the language switch, the API's token, schema and docs,
# the citizens' service guide and their status look-up by receipt (rate-limited, tested in its app), and the
# service points the guide lists.
PUBLIC = {
    "accounts:login", "accounts:logout", "set_language", "api-token", "api-schema", "api-docs",
    "services:guide", "services:status", "api-public-application-status",
    "api-service-point-list", "api-service-point-detail",
}


def url_names() -> set[str]:
    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                    entry.namespace or namespace)
                yield from walk(entry, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    return set(walk(get_resolver()))


def covered() -> set[str]:
    names: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("shuanglian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.test_three_ways")
        except ModuleNotFoundError:
            continue
        names |= set(module.CASES)
    return names


def test_every_case_names_a_url():
    assert covered() - url_names() == set()


def test_every_url_is_covered_three_ways_or_public():
    missing = url_names() - covered() - PUBLIC - NOT_YET
    assert not missing, f"URLs with no three-way case: {sorted(missing)}"
    assert not (NOT_YET & covered()), "covered now: take these off NOT_YET"

# The views written before the three-way cases; each app's cases take its names off this list.
NOT_YET = {
    "api-association-detail",
    "api-association-end-post", "api-association-list", "api-association-meetings", "api-association-posts",
    "api-contact-day-plan",
    "api-household-detail", "api-household-list", "api-kit-detail", "api-kit-issue",
    "api-kit-list", "api-kit-return-item", "api-kit-townships", "api-lecturer-detail", "api-lecturer-list",
    "api-matter-attachments",
    "api-person-detail", "api-person-list", "api-person-reveal",
    "api-team-coverage", "api-team-member-detail", "api-team-member-end", "api-team-member-list",
    "api-team-member-training", "api-team-staff", "api-team-staff-assign", "api-team-stats",
    "api-training-session-attendance", "api-training-session-detail",
    "api-training-session-list",
    "archive_exports:export_job", "archive_exports:export_job_download",
    "archive_exports:household_file_pdf", "archive_exports:household_file_reveal",
    "archive_exports:household_file_xlsx", "archive_exports:village_book",
    "archive_exports:village_book_reveal", "archives:attention", "archives:household", "archives:job",
    "archives:job_rejects", "archives:reveal", "archives:search", "archives:template", "archives:upload",
    "associations:appoint", "associations:detail", "associations:end-post", "associations:list",
    "associations:meeting",
    "teams:card", "teams:card_pdf", "teams:coverage", "teams:import", "teams:import_template",
    "teams:member", "teams:roster", "teams:session", "teams:sessions", "teams:staff", "teams:stats",
    "teams:village_cards_pdf",
}
