"""Organization pages: departments, service centers and associations the user may see."""
from django.contrib.auth.decorators import login_required
from django.urls import reverse

from shuanglian.access.roles import VIEW_ORGANIZATIONS
from shuanglian.core.exceptions import NotFound
from shuanglian.core.htmx import paginate, raise_for_read, render_page, require_any_capability

from .choices import Function, OrganizationKind
from .filtersets import OrganizationFilterSet
from .selectors import organization_get_for_user, organization_list_visible_to


@login_required
def organization_list(request):
    require_any_capability(request.user, VIEW_ORGANIZATIONS)
    filterset = OrganizationFilterSet(request.GET, queryset=organization_list_visible_to(request.user))
    organizations = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render_page(request, "organizations/list.html", {
        "section": "organizations", "filterset": filterset, "page_obj": paginate(request, organizations),
        "kinds": OrganizationKind.choices, "functions": Function.choices,
    })


@login_required
def organization_detail(request, pk: int):
    require_any_capability(request.user, VIEW_ORGANIZATIONS)
    try:
        organization = organization_get_for_user(request.user, pk)
    except NotFound as exc:
        raise_for_read(exc)
    association_url = None
    if organization.kind == OrganizationKind.ASSOCIATION:  # its posts and meetings, if the viewer may see them
        from shuanglian.associations.selectors import association_list_visible_to

        if association_list_visible_to(request.user).filter(pk=organization.pk).exists():
            association_url = reverse("associations:detail", args=[organization.pk])
    return render_page(request, "organizations/detail.html", {"section": "organizations", "organization": organization,
                                                              "association_url": association_url})
