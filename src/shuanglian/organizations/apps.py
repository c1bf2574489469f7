from django.apps import AppConfig

from shuanglian.access import roles


class OrganizationsConfig(AppConfig):
    name = "shuanglian.organizations"
    label = "organizations"
    verbose_name = "Organizations"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_ORGANIZATIONS, roles.MANAGE_ORGANIZATIONS})
