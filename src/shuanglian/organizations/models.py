from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Function, OrganizationKind


class Organization(models.Model):
    """A department, service center, association or office. It serves a division; work is routed to it."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    function = models.CharField(_("function"), max_length=24, choices=Function.choices, default=Function.GENERAL)
    division = models.ForeignKey("divisions.Division", on_delete=models.PROTECT, related_name="organizations",
                                 verbose_name=_("division served"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="units")
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["division__code", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["division", "name"], name="organization_name_uniq")]
        indexes = [models.Index(fields=["kind", "function"], name="organization_kind_idx")]
        verbose_name = _("organization")

    def __str__(self):
        return self.name

    def snapshot(self) -> dict:
        return {"name": self.name, "kind": self.kind, "function": self.function, "division": self.division.code,
                "parent": self.parent_id, "phone": self.phone, "address": self.address, "is_active": self.is_active}
