"""core.workflow with a throwaway two-step table (the engine knows nothing of any app's workflow): the
table decides what is allowed, an illegal move is a 409 `illegal_transition` naming the allowed
actions, a legal one writes the record, its timeline row and its audit event and calls the `after`
hook, and a handler's refusal leaves nothing written. The records are matters only because a
timeline table is needed; none of the matters' rules take part."""
from dataclasses import dataclass

import pytest
from rest_framework.test import APIRequestFactory

from shuanglian.core import workflow
from shuanglian.core.api import exception_handler
from shuanglian.core.exceptions import ValidationFailed
from shuanglian.core.models import AuditEvent
from shuanglian.core.workflow import IllegalTransition, Moved, Rule, Step
from shuanglian.matters import services
from shuanglian.matters.models import Matter, Transition


@dataclass(frozen=True)
class Note:
    text: str = ""


def _take(matter: Matter, step: Step[Note]) -> dict:
    if step.params.text == "no":
        matter.title = "changed, then refused"
        raise ValidationFailed("The handler refuses.")
    return {"note": step.params.text}


def _drop(matter: Matter, step: Step[Note]) -> None:
    matter.result = step.reason


def _reason(reason: str, rule: Rule, action: str) -> str:
    reason = reason.strip()
    if rule.reason_required and not reason:
        raise ValidationFailed("Give a reason.")
    return reason


AFTER: list[Moved] = []

TABLE = workflow.Workflow(
    label="enginetest", model=Matter, transition_model=Transition, transition_fk="matter",
    rules={"take": Rule(frozenset({"reported"}), "accepted"), "drop": Rule(frozenset({"accepted"}), "closed", True)},
    handlers={"take": _take, "drop": _drop}, authorize=lambda actor, matter: None,
    snapshot=lambda matter: {"status": matter.status}, clean_reason=_reason,
    refused_message=lambda matter, action: f"{matter.status} cannot {action}",
    timeline_fields=lambda matter, moved: {"from_level": matter.level, "to_level": matter.level},
    after=lambda matter, moved: AFTER.append(moved))


@pytest.fixture
def matter(district, personas):
    AFTER.clear()
    return services.matter_report(actor=personas.promoter, grid=district.grid, type="demand", source="visit",
                                  title="路灯坏了")


def test_an_illegal_move_is_a_409_naming_the_allowed_actions(matter, personas):
    assert TABLE.allowed_actions(matter) == ["take"]
    with pytest.raises(IllegalTransition) as refused:
        workflow.move(TABLE, actor=personas.promoter, record=matter, action="drop", reason="x", params=Note())
    assert refused.value.message == "reported cannot drop"
    assert refused.value.details == {"status": "reported", "action": "drop", "allowed": ["take"]}
    request = APIRequestFactory().post("/")
    response = exception_handler(refused.value, {"request": request})
    assert response.status_code == 409
    assert response.data["code"] == "illegal_transition" and response.data["details"]["allowed"] == ["take"]
    assert not Transition.objects.filter(matter=matter, action="drop").exists()
    with pytest.raises(ValidationFailed):
        workflow.move(TABLE, actor=personas.promoter, record=matter, action="fly", params=Note())


def test_a_legal_move_writes_the_record_its_timeline_and_audit_then_calls_after(matter, personas):
    moved = workflow.move(TABLE, actor=personas.promoter, record=matter, action="take", params=Note("ok"))
    assert moved.status == Matter.objects.get(pk=matter.pk).status == "accepted"
    row = Transition.objects.get(matter=matter, action="take")
    assert (row.from_status, row.to_status, row.actor, row.reason) == ("reported", "accepted", personas.promoter, "")
    event = AuditEvent.objects.get(action="enginetest.take")
    assert (event.before, event.after) == ({"status": "reported"}, {"status": "accepted", "reason": ""})
    assert [(m.action, m.from_status, m.details) for m in AFTER] == [("take", "reported", {"note": "ok"})]
    assert TABLE.allowed_actions(moved) == ["drop"]
    with pytest.raises(ValidationFailed):  # the table says a reason is required
        workflow.move(TABLE, actor=personas.promoter, record=moved, action="drop", reason=" ", params=Note())
    workflow.move(TABLE, actor=personas.promoter, record=moved, action="drop", reason="duplicate", params=Note())
    assert Matter.objects.get(pk=matter.pk).result == "duplicate"


def test_a_handler_that_refuses_leaves_nothing_written(matter, personas):
    with pytest.raises(ValidationFailed):
        workflow.move(TABLE, actor=personas.promoter, record=matter, action="take", params=Note("no"))
    fresh = Matter.objects.get(pk=matter.pk)
    assert (fresh.status, fresh.title) == ("reported", "路灯坏了")
    assert not Transition.objects.filter(matter=matter, action="take").exists()
    assert not AuditEvent.objects.filter(action="enginetest.take").exists() and AFTER == []
