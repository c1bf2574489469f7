"""The five ones (五个一): a notebook, a card, a pen, a bag and a badge issued to each team member, and returned
when they leave. An item is issued through one of the member's posts (the record is attached to its grid,
whose managers see it and take it back); a member holds at most one of each item at a time.

Writes, audited, in a transaction; the scoped reads are in teams.selectors.
"""
import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.bulk import copy_or_insert
from shuanglian.core.exceptions import Conflict, ValidationFailed
from shuanglian.divisions.models import Division

from .. import policies
from ..choices import KitItem
from ..models import KitIssue, Member, Membership

SCOPE_COLUMNS = ("division_id", "county_id", "township_id", "village_id", "grid_id")


def _snapshot(issue: KitIssue) -> dict:
    return {"member": issue.member_id, "item": issue.item, "grid": issue.grid_id, "issued_on": issue.issued_on,
            "returned_on": issue.returned_on}


def _outstanding_conflict(member: Member, items: Iterable[str]) -> Conflict:
    held = list(KitIssue.objects.filter(member=member, item__in=list(items), returned_on__isnull=True)
                .order_by("item"))
    text = ", ".join(f"{KitItem(h.item).label} ({h.issued_on.isoformat()})" for h in held)
    return Conflict(_("%(name)s already holds: %(items)s. Take an item back before issuing it again.")
                    % {"name": member.name, "items": text or _("an item of this kit")},
                    code="kit_item_outstanding",
                    details={"member": member.pk, "items": {h.item: h.pk for h in held}})


def _check_items(items: Iterable[str]) -> list[str]:
    items = list(items)
    unknown = [i for i in items if i not in KitItem.values]
    if unknown or not items or len(set(items)) != len(items):
        raise ValidationFailed(_("Items are some of %(all)s, each once; got %(got)s.")
                               % {"all": ", ".join(KitItem.values), "got": ", ".join(map(str, items)) or "-"},
                               details={"items": unknown or items})
    return items


def _insert(rows: list[KitIssue]) -> None:
    """Its own savepoint, so that a constraint refusal leaves the transaction usable for the message."""
    with transaction.atomic():
        KitIssue.objects.bulk_create(rows)


@transaction.atomic
def kit_issue(*, actor, membership: Membership, items: Iterable[str] = KitItem.values,
              issued_on: dt.date | None = None) -> list[KitIssue]:
    """Issue items (by default the whole kit) to the member of a current post. An item the member still holds
    is refused with a Conflict saying since when, by the check here and, for two requests at once, by the
    partial unique constraint; nothing of the request is issued then."""
    policies.require_manage(actor, membership)
    items = _check_items(items)
    if membership.ended_on is not None:
        raise ValidationFailed(_("The post ended on %(d)s: issue the kit through a current post.")
                               % {"d": membership.ended_on.isoformat()}, details={"post": membership.pk})
    member = membership.member
    if KitIssue.objects.filter(member=member, item__in=items, returned_on__isnull=True).exists():
        raise _outstanding_conflict(member, items)
    issued_on = issued_on or clock.today()
    columns = {c: getattr(membership, c) for c in SCOPE_COLUMNS}
    rows = [KitIssue(member=member, item=item, issued_on=issued_on, **columns) for item in items]
    try:
        _insert(rows)
    except IntegrityError:
        raise _outstanding_conflict(member, items) from None
    for row in rows:
        audit.record(actor=actor, action="teams.kit_issue", obj=row,
                     object_repr=f"{member.name} {row.item}", after=_snapshot(row))
    return rows


@transaction.atomic
def kit_return(*, actor, issue: KitIssue, returned_on: dt.date | None = None) -> KitIssue:
    policies.require_manage(actor, issue)
    issue = KitIssue.objects.select_for_update(of=("self",)).select_related("member").get(pk=issue.pk)
    if issue.returned_on is not None:
        raise Conflict(_("This %(item)s was already returned on %(d)s.")
                       % {"item": issue.get_item_display(), "d": issue.returned_on.isoformat()},
                       code="already_returned")
    returned_on = returned_on or clock.today()
    if returned_on < issue.issued_on:
        raise ValidationFailed(_("An item cannot come back before it was issued (%(d)s).")
                               % {"d": issue.issued_on.isoformat()}, details={"returned_on": "before_issue"})
    before = _snapshot(issue)
    issue.returned_on = returned_on
    issue.save(update_fields=["returned_on"])
    audit.record(actor=actor, action="teams.kit_return", obj=issue, object_repr=f"{issue.member.name} {issue.item}",
                 before=before, after=_snapshot(issue))
    return issue


@transaction.atomic
def kits_load(*, actor, posts: Iterable[Membership], issued_on: dt.date, batch_size: int = 5000) -> dict:
    """The whole kit for many members at once (the demo, first loads), through the first of each member's given
    posts: COPY or executemany (core.bulk) and one audit event. Members holding any item already are refused."""
    first: dict[int, Membership] = {}
    for post in posts:
        first.setdefault(post.member_id, post)
    for grid in Division.objects.filter(pk__in={p.grid_id for p in first.values()}):
        policies.require_manage_grid(actor, grid)
    held = KitIssue.objects.filter(member_id__in=list(first), returned_on__isnull=True).first()
    if held is not None:
        raise _outstanding_conflict(held.member, KitItem.values)
    # Below the ORM (tens of thousands of rows for a county): no model object per row.
    postgres = connection.vendor == "postgresql"
    day, now = (issued_on, clock.now()) if postgres else (issued_on.isoformat(), clock.now().isoformat(" "))
    rows = [(m, item, day, None, now, *(getattr(p, c) for c in SCOPE_COLUMNS))
            for m, p in first.items() for item in KitItem.values]
    copy_or_insert(KitIssue._meta.db_table, ["member_id", "item", "issued_on", "returned_on", "created_at",
                                             *SCOPE_COLUMNS], rows, chunk=batch_size, binary=True)
    counts = {"members": len(first), "items": len(rows)}
    audit.record(actor=actor, action="teams.kits_load", object_type="teams.kitissue",
                 object_repr=f"{len(first)} kits", after={**counts, "issued_on": issued_on})
    return counts
