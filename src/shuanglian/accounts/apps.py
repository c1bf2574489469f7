from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shuanglian.accounts"
    label = "accounts"
    verbose_name = "Accounts"
