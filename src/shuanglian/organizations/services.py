from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuanglian.core import audit
from shuanglian.core.exceptions import Conflict, ValidationFailed, full_clean

from . import policies
from .models import Organization

EDITABLE = ("name", "kind", "function", "phone", "address", "is_active", "parent")


def _save(org: Organization) -> None:
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise Conflict(_("%(division)s already has an organization named %(name)s.")
                       % {"division": org.division, "name": org.name}, code="duplicate_name") from exc


@transaction.atomic
def organization_create(*, actor, division, name: str, kind: str, function: str = "general",
                        parent: Organization | None = None, phone: str = "", address: str = "") -> Organization:
    policies.require_manage(actor, division)
    if division.retired_on:
        raise Conflict(_("%(division)s is retired.") % {"division": division}, code="retired")
    org = Organization(division=division, name=(name or "").strip(), kind=kind, function=function, parent=parent,
                       phone=phone, address=address)
    try:
        full_clean(org, validate_unique=False, validate_constraints=False)
    except Exception as exc:  # django ValidationError: report field by field
        raise ValidationFailed(_("The organization is not valid."), details=getattr(exc, "message_dict", {})) from exc
    _save(org)
    audit.record(actor=actor, action="organization.create", obj=org, after=org.snapshot())
    return org


@transaction.atomic
def organization_update(*, actor, organization: Organization, **changes) -> Organization:
    policies.require_manage(actor, organization.division)
    before = organization.snapshot()
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ValidationFailed(_("%(field)s cannot be changed here.") % {"field": name})
        setattr(organization, name, value)
    _save(organization)
    audit.record(actor=actor, action="organization.update", obj=organization, before=before,
                 after=organization.snapshot())
    return organization
