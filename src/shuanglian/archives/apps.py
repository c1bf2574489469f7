from django.apps import AppConfig

from shuanglian.access import roles


class ArchivesConfig(AppConfig):
    name = "shuanglian.archives"
    label = "archives"
    verbose_name = "Household archives"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_ARCHIVES, roles.VIEW_ARCHIVES_PII, roles.REVEAL_PII, roles.EDIT_ARCHIVES,
                              roles.IMPORT_ARCHIVES})
