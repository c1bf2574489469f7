"""The one workflow engine: a record moves only by an action of its app's transitions table.

An app describes its workflow once (a `Workflow`: its model, table, typed handlers and a few hooks)
and calls `move()`. The engine does what every workflow does the same way: refuses an unknown
action (400), locks the row, refuses an action the status does not allow (`IllegalTransition`,
409 `illegal_transition`, with the allowed actions), asks the app who may act, cleans the reason,
runs the action's handler, sets the target status, writes the timeline row and the audit event, and
calls the app's `after` hook (notifications are written with the transaction; text messages go out
after the commit, see notifications.services.notify).

core imports no app: the apps pass their models, tables and handlers in.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from shuanglian.core import audit, clock
from shuanglian.core.exceptions import Conflict, ValidationFailed

R = TypeVar("R", bound=models.Model)  # the record that moves
P = TypeVar("P")  # the app's typed inputs of an action (who to assign, the result, ...)


class IllegalTransition(Conflict):
    """The record's status does not allow the action (HTTP 409 `illegal_transition`)."""

    code = "illegal_transition"


@dataclass(frozen=True)
class Rule:
    """One row of a transitions table: the statuses an action may start from and where it leads."""

    sources: frozenset[str]
    target: str | None  # None: the handler decides (e.g. resume returns to where it was)
    reason_required: bool = False


@dataclass(frozen=True)
class Step(Generic[P]):
    """What a handler is given: the action being taken, by whom, when, and the app's inputs."""

    actor: Any
    action: str
    reason: str
    now: dt.datetime
    params: P


@dataclass(frozen=True)
class Moved:
    """What the timeline row and the `after` hook are told about a finished move."""

    action: str
    from_status: str
    before: dict
    details: dict
    step: Step


# A handler changes the locked record in memory (the engine saves it) and may answer details for the
# timeline row. It raises a DomainError to refuse.
Handler = Callable[[R, Step[P]], "dict | None"]


@dataclass(frozen=True)
class Workflow(Generic[R, P]):
    """An app's workflow, declared once. `label` prefixes the audit actions (`matters.accept`)."""

    label: str
    model: type[R]
    rules: Mapping[str, Rule]
    handlers: Mapping[str, Handler]
    transition_model: type[models.Model]  # the timeline table
    transition_fk: str  # its foreign key to the record
    authorize: Callable[[Any, R], None]  # raises PermissionDenied
    snapshot: Callable[[R], dict]  # the audit event's before/after
    refused_message: Callable[[R, str], str]
    clean_reason: Callable[[str, Rule, str], str]  # (reason, rule, action) -> the cleaned reason
    related: tuple[str, ...] = ()  # select_related when locking
    narrow: Callable[[R, list[str]], list[str]] | None = None  # drop actions the table allows but the record not
    refused_details: Callable[[R], dict] = field(default=lambda record: {})
    timeline_fields: Callable[[R, Moved], dict] = field(default=lambda record, moved: {})
    settle: Callable[[R, Step[P]], None] | None = None  # after the target status is set, before saving
    after: Callable[[R, Moved], None] | None = None  # notifications
    status_field: str = "status"

    def status(self, record: R) -> str:
        return getattr(record, self.status_field)

    def allowed_actions(self, record: R) -> list[str]:
        """What the current status allows (the table), before any check of who asks."""
        actions = [a for a, rule in self.rules.items() if self.status(record) in rule.sources]
        return self.narrow(record, actions) if self.narrow is not None else actions

    def lock(self, record: R) -> R:
        return (self.model._default_manager.select_for_update(of=("self",)).select_related(*self.related)
                .get(pk=record.pk))

    def refuse(self, record: R, action: str, message: str | None = None) -> IllegalTransition:
        return IllegalTransition(
            message or self.refused_message(record, action),
            details={"status": self.status(record), **self.refused_details(record), "action": action,
                     "allowed": self.allowed_actions(record)})


def move(workflow: Workflow[R, P], *, actor: Any, record: R, action: str, params: P, reason: str = "",
         at: dt.datetime | None = None) -> R:
    """Move `record` by one action of the workflow's table; answers the locked, saved record."""
    if action not in workflow.rules:
        raise ValidationFailed(_("Unknown action %(action)s.") % {"action": action}, details={"action": [action]})
    with transaction.atomic():
        record = workflow.lock(record)
        if action not in workflow.allowed_actions(record):
            raise workflow.refuse(record, action)
        workflow.authorize(actor, record)
        rule = workflow.rules[action]
        reason = workflow.clean_reason(reason, rule, action)
        step = Step(actor=actor, action=action, reason=reason, now=at or clock.now(), params=params)
        before = workflow.snapshot(record)
        from_status = workflow.status(record)
        details = workflow.handlers[action](record, step) or {}
        if rule.target is not None:
            setattr(record, workflow.status_field, rule.target)
        if workflow.settle is not None:
            workflow.settle(record, step)
        record.save()
        moved = Moved(action=action, from_status=from_status, before=before, details=details, step=step)
        workflow.transition_model._default_manager.create(**{
            workflow.transition_fk: record, "action": action, "from_status": from_status,
            "to_status": workflow.status(record), "actor": actor if getattr(actor, "pk", None) else None,
            "actor_label": audit.actor_label(actor), "reason": reason, "at": step.now,
            **workflow.timeline_fields(record, moved)})
        audit.record(actor=actor, action=f"{workflow.label}.{action}", obj=record, before=before,
                     after={**workflow.snapshot(record), "reason": reason})
        if workflow.after is not None:
            workflow.after(record, moved)
    return record
