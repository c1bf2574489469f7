"""The procedure a major village matter runs through, as data: an ordered list of steps, each saying what it
needs. The seed's five steps (五步工作法) are the default; 四议两公开 ships as an alternative.

A county chooses with the setting VILLAGE_AFFAIRS_PROCEDURE (a code below) and may add its own procedures in
VILLAGE_AFFAIRS_PROCEDURES, a dict code -> {"name": ..., "steps": [{"code", "name", "needs", ...}]}, the same
shape as PROCEDURES. A decision copies its procedure's steps when it is proposed, so a later change of the
setting never moves a decision already under way.

What a step needs (`needs`):
- "record": a text (who proposed what);
- "meeting": a meeting of one of `kinds` in the decision's village with a motion that passed; with
  `quorate` the meeting must have had its quorum; `vote` marks the step that puts the matter to the vote;
- "review": filed with the township, which approves or returns it within the review time limit;
- "notice": date, place and text of a public notice (`result` also asks for the implementation result).
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from shuanglian.core.exceptions import ValidationFailed

from .choices import MeetingKind

RECORD, MEETING, REVIEW, NOTICE = "record", "meeting", "review", "notice"
NEEDS = (RECORD, MEETING, REVIEW, NOTICE)
DEFAULT = "five_steps"

PROCEDURES: dict[str, dict[str, Any]] = {
    "five_steps": {"name": "五步工作法", "steps": [
        {"code": "motion", "name": "动议", "needs": RECORD},
        {"code": "deliberation", "name": "审议", "needs": MEETING, "kinds": [MeetingKind.JOINT]},
        {"code": "filing", "name": "报审", "needs": REVIEW},
        {"code": "vote", "name": "民决", "needs": MEETING, "quorate": True, "vote": True,
         "kinds": [MeetingKind.VILLAGERS, MeetingKind.REPRESENTATIVES]},
        {"code": "notice", "name": "告知", "needs": NOTICE, "result": True},
    ]},
    "four_two": {"name": "四议两公开", "steps": [
        {"code": "branch_proposal", "name": "党支部提议", "needs": RECORD},
        {"code": "joint_conference", "name": "两委商议", "needs": MEETING, "kinds": [MeetingKind.JOINT]},
        {"code": "members_deliberation", "name": "党员大会审议", "needs": MEETING, "quorate": True,
         "kinds": [MeetingKind.PARTY_MEMBERS]},
        {"code": "villagers_decision", "name": "村民(代表)会议决议", "needs": MEETING, "quorate": True, "vote": True,
         "kinds": [MeetingKind.VILLAGERS, MeetingKind.REPRESENTATIVES]},
        {"code": "decision_published", "name": "决议公开", "needs": NOTICE},
        {"code": "result_published", "name": "实施结果公开", "needs": NOTICE, "result": True},
    ]},
}


def available() -> dict[str, dict[str, Any]]:
    """The shipped procedures and the county's own (settings), checked."""
    table = {**PROCEDURES, **getattr(settings, "VILLAGE_AFFAIRS_PROCEDURES", {})}
    for code, procedure in table.items():
        check(code, procedure)
    return table


def default_code() -> str:
    return getattr(settings, "VILLAGE_AFFAIRS_PROCEDURE", DEFAULT)


def get(code: str | None = None) -> dict[str, Any]:
    code = code or default_code()
    table = available()
    if code not in table:
        raise ValidationFailed(_("No procedure %(code)s; one of %(codes)s.") % {"code": code, "codes": ", ".join(table)},
                               details={"procedure": [code]})
    return {"code": code, **table[code]}


def check(code: str, procedure: dict[str, Any]) -> None:
    """A procedure's steps: unique codes, a known need each, meeting steps naming their kinds, one vote step."""
    steps = procedure.get("steps") or []
    codes = [step.get("code") for step in steps]
    if not steps or len(set(codes)) != len(codes) or not all(codes):
        raise ValueError(f"procedure {code}: steps need unique codes")
    for step in steps:
        if step.get("needs") not in NEEDS:
            raise ValueError(f"procedure {code}, step {step['code']}: needs one of {NEEDS}")
        if step["needs"] == MEETING and not set(step.get("kinds") or []) <= set(MeetingKind.values):
            raise ValueError(f"procedure {code}, step {step['code']}: unknown meeting kind")
        if step["code"] in ("new", "done") or ":" in step["code"]:
            raise ValueError(f"procedure {code}: step code {step['code']} is reserved")
    if sum(1 for step in steps if step.get("vote")) != 1:
        raise ValueError(f"procedure {code}: exactly one step puts the matter to the vote")
