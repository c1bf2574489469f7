"""Reads of the associations, scoped by associations.view: the associations serving one's subtree, and
those serving the township and village above one's grants (a promoter sees the village's association and
the township's general one; they cannot manage them). `user=None` is the system: it sees everything."""
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from shuanglian.access.roles import VIEW_ASSOCIATIONS
from shuanglian.access.scope import scope_for
from shuanglian.core.exceptions import NotFound
from shuanglian.core.scoped import get_visible
from shuanglian.divisions.choices import Level
from shuanglian.divisions.scope import Scope
from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.models import Organization

from .choices import KIND_LEVEL, OFFICER_POSTS, RANK, AssociationKind, Post
from .models import AssociationPost, Meeting

RECENT_MEETINGS = 5


def _scope(user) -> Scope:
    return Scope(everything=True) if user is None else scope_for(user, VIEW_ASSOCIATIONS)


def post_rank():
    """Posts in rank order (president first), as an expression the database sorts by."""
    return Case(*[When(post=p, then=Value(i)) for p, i in RANK.items()], output_field=IntegerField())


def association_list_visible_to(user) -> QuerySet[Organization]:
    """Current associations the user may see, each annotated with `association_kind`, `president_name`,
    `people` (current post holders) and `last_meeting`: one query whatever the page size."""
    scope = _scope(user)
    q = scope.division_q("division__")
    above = {code[:n] for code in scope.codes for n in (9, 12) if n < len(code)}
    if above:
        q |= Q(division__code__in=sorted(above))
    current = AssociationPost.objects.filter(association=OuterRef("pk"), ended_on__isnull=True)
    people = current.order_by().values("association").annotate(n=Count("pk")).values("n")
    return (Organization.objects.filter(q, kind=OrganizationKind.ASSOCIATION, is_active=True,
                                        division__retired_on__isnull=True,
                                        division__level__in=(Level.TOWNSHIP, Level.VILLAGE))
            .select_related("division")
            .annotate(association_kind=Case(When(division__level=Level.TOWNSHIP, then=Value(AssociationKind.GENERAL)),
                                            default=Value(AssociationKind.PROMOTION), output_field=CharField()),
                      president_name=Subquery(current.filter(post=Post.PRESIDENT).values("member__name")[:1]),
                      people=Coalesce(Subquery(people, output_field=IntegerField()), 0),
                      last_meeting=Subquery(Meeting.objects.filter(association=OuterRef("pk"))
                                            .order_by("-held_on").values("held_on")[:1]))
            .order_by("division__code_key", "pk"))


def kind_q(kind: str) -> Q:
    return Q(division__level=KIND_LEVEL[kind])


def association_get_for_user(user, pk: int) -> Organization:
    return get_visible(association_list_visible_to(user), pk, what="association",
                       message=_("No association %(pk)s that you may see.") % {"pk": pk})


def post_list(association, *, current: bool | None = True) -> QuerySet[AssociationPost]:
    """The association's posts, president first; `current=None` for all, False for history (newest end first)."""
    qs = AssociationPost.objects.filter(association=association).select_related("member")
    if current is None:
        return qs.order_by("ended_on", post_rank(), "started_on", "pk")
    if current:
        return qs.filter(ended_on__isnull=True).order_by(post_rank(), "started_on", "pk")
    return qs.filter(ended_on__isnull=False).order_by("-ended_on", "-pk")


def officers(association) -> list[AssociationPost]:
    return list(post_list(association).filter(post__in=OFFICER_POSTS))


def post_get(association, pk: int) -> AssociationPost:
    found = post_list(association, current=None).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("%(association)s has no post %(pk)s.") % {"association": association.name, "pk": pk})
    return found


def meeting_list(association) -> QuerySet[Meeting]:
    return Meeting.objects.filter(association=association).prefetch_related("attendees").order_by("-held_on", "-pk")


def association_summary(association) -> dict:
    """What the detail shows: the current officers, how many members, the recent meetings."""
    return {"officers": officers(association),
            "members_count": post_list(association).filter(post=Post.MEMBER).count(),
            "recent_meetings": list(meeting_list(association)[:RECENT_MEETINGS])}


def association_detail_url(user: Any, organization: Organization) -> str | None:
    """The association's own page (posts and meetings), linked from the organization page when the user
    may see it."""
    if association_list_visible_to(user).filter(pk=organization.pk).exists():
        return reverse("associations:detail", args=[organization.pk])
    return None
