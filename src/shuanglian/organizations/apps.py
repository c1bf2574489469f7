from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "shuanglian.organizations"
    label = "organizations"
    verbose_name = "Organizations"
