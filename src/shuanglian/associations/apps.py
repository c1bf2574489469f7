from django.apps import AppConfig

from shuanglian.access import roles
from shuanglian.organizations import detail_links
from shuanglian.organizations.choices import OrganizationKind


class AssociationsConfig(AppConfig):
    name = "shuanglian.associations"
    label = "associations"
    verbose_name = "Associations"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_ASSOCIATIONS, roles.MANAGE_ASSOCIATIONS})

    def ready(self) -> None:
        from .selectors import association_detail_url  # it imports models: only once the registry is ready

        detail_links.register(OrganizationKind.ASSOCIATION, association_detail_url)
