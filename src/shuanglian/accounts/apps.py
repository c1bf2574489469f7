from django.apps import AppConfig

from shuanglian.access import roles


class AccountsConfig(AppConfig):
    name = "shuanglian.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_USERS, roles.MANAGE_USERS})
