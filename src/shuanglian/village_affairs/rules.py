"""The Organic Law's numbers as pure functions (RULES.md, Villagers' committees), so each is tested at its
boundary without a database: quorums by meeting kind, the majority of those present, the notice periods,
the committee's size, the representatives' share and minimum.

Quorums (Art. 22, 26, 28; the party members' meeting by local practice, the joint meeting by a simple
majority of its members, which the law leaves open):
- villagers' meeting: more than half of the villagers aged 18+, or at least 2/3 of the households;
- representatives' meeting, villager group meeting, party members' meeting: at least 2/3 of those who may attend;
- two-committee meeting: more than half of its members.
A motion passes with more than half of those present (not of those voting).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import MeetingKind

TWO_THIRDS = {MeetingKind.REPRESENTATIVES, MeetingKind.GROUP, MeetingKind.PARTY_MEMBERS}
NOTICE_DAYS = {MeetingKind.VILLAGERS: 10}  # Art. 21: villagers are told 10 days ahead
AGENDA_DAYS = {MeetingKind.REPRESENTATIVES: 3}  # Zhejiang: the agenda reaches members 3 days ahead
COMMITTEE_MIN, COMMITTEE_MAX = 3, 7  # Art. 6
TERM_YEARS = 5  # Art. 11
REPRESENTATIVES_ALLOWED_FROM = 300  # Zhejiang: a representatives' meeting for villages of 300+ people


def more_than_half_needed(total: int) -> int:
    """The least count that is more than half of `total` (45 -> 23, 44 -> 23)."""
    return total // 2 + 1


def two_thirds_needed(total: int) -> int:
    """The least count that is at least 2/3 of `total` (45 -> 30, 44 -> 30)."""
    return -(-2 * total // 3)


def quorum_needed(kind: str, eligible: int) -> int:
    return two_thirds_needed(eligible) if kind in TWO_THIRDS else more_than_half_needed(eligible)


@dataclass(frozen=True)
class Quorum:
    present: int
    eligible: int
    needed: int
    reached: bool
    by_households: bool = False  # a villagers' meeting reached it by 2/3 of households

    def text(self) -> str:
        """What a cadre sees as the figures are entered: "32 of 45 present: quorum needs 30 — reached"."""
        state = _("reached") if self.reached else _("not reached")
        return _("%(present)s of %(eligible)s present: quorum needs %(needed)s — %(state)s") % {
            "present": self.present, "eligible": self.eligible, "needed": self.needed, "state": state}


def quorum(kind: str, *, present: int, eligible: int, households_present: int = 0,
           households_eligible: int = 0) -> Quorum:
    """The quorum of a meeting of `kind` with `present` of `eligible` there (and, for a villagers' or group
    meeting, `households_present` of `households_eligible` households represented)."""
    needed = quorum_needed(kind, eligible)
    reached = eligible > 0 and present >= needed
    by_households = False
    if not reached and kind in (MeetingKind.VILLAGERS, MeetingKind.GROUP) and households_eligible > 0:
        by_households = households_present >= two_thirds_needed(households_eligible)
        reached = by_households
    return Quorum(present=present, eligible=eligible, needed=needed, reached=reached, by_households=by_households)


def passes(*, votes_for: int, present: int) -> bool:
    """A decision needs more than half of those present (Art. 22, 26, 28)."""
    return present > 0 and votes_for >= more_than_half_needed(present)


def notice_warnings(kind: str, *, held_on: dt.date, notice_on: dt.date | None,
                    agenda_sent_on: dt.date | None) -> list[str]:
    out = []
    days = NOTICE_DAYS.get(kind)
    if days and (notice_on is None or (held_on - notice_on).days < days):
        out.append(_("Villagers are to be told of the meeting %(days)s days ahead.") % {"days": days})
    days = AGENDA_DAYS.get(kind)
    if days and (agenda_sent_on is None or (held_on - agenda_sent_on).days < days):
        out.append(_("The agenda is to reach the members %(days)s days ahead.") % {"days": days})
    return out


def representatives_minimum(population: int) -> int:
    """Zhejiang's minimum number of representatives by the village's population."""
    if population < 500:
        return 30
    if population < 1000:
        return 40
    return 50


def committee_warnings(*, members: int, women: int) -> list[str]:
    out = []
    if members < COMMITTEE_MIN or members > COMMITTEE_MAX:
        out.append(_("The villagers' committee has %(n)s members; the law asks for 3 to 7.") % {"n": members})
    if women == 0:
        out.append(_("The villagers' committee has no woman member."))
    return out


def representatives_warnings(*, representatives: int, women: int, meeting_members: int, population: int) -> list[str]:
    """Representatives at least 4/5 of the meeting's members, women at least 1/3 (Art. 25), and the minimum."""
    out = []
    if meeting_members and representatives * 5 < meeting_members * 4:
        out.append(_("Representatives are %(n)s of the meeting's %(m)s members, under 4/5.")
                   % {"n": representatives, "m": meeting_members})
    if meeting_members and women * 3 < meeting_members:
        out.append(_("Women are %(n)s of the meeting's %(m)s members, under 1/3.") % {"n": women, "m": meeting_members})
    minimum = representatives_minimum(population)
    if representatives < minimum:
        out.append(_("%(n)s representatives; a village of %(p)s people needs at least %(min)s.")
                   % {"n": representatives, "p": population, "min": minimum})
    if population < REPRESENTATIVES_ALLOWED_FROM:
        out.append(_("A village under 300 people decides in the villagers' meeting."))
    return out


def motion_outcome(*, quorate: bool, votes_for: int, present: int) -> str:
    """What a motion's record says: no quorum decides nothing; else passed or not, with the numbers."""
    if not quorate:
        return _("No quorum: the meeting decides nothing.")
    text = (_("Passed: %(n)s of %(p)s present for, more than half needed (%(need)s).")
            if passes(votes_for=votes_for, present=present) else
            _("Not passed: %(n)s of %(p)s present for, more than half needed (%(need)s)."))
    return text % {"n": votes_for, "p": present, "need": more_than_half_needed(present)}
