"""Guesses sent at once (issue 13, finding 13: 8 were checked for a limit of 5): the count is reserved before
a guess is checked, and past the limit one guess at a time may be checked."""
import threading

from django.core.cache import cache

from shuanglian.applications import public
from shuanglian.core.exceptions import NotFound


class _HeldLookup:
    """Stands in for the application table: every guess that gets checked waits until all have arrived."""

    def __init__(self, n: int):
        self.n, self.arrived, self.checked = n, 0, 0
        self.changed, self.release = threading.Condition(), threading.Event()
        self.objects = self

    def arrive(self, checked: bool = False) -> None:
        with self.changed:
            self.arrived += 1
            self.checked += checked
            self.changed.notify_all()

    def filter(self, **kwargs):
        return self

    def only(self, *fields):
        return self

    def first(self):
        self.arrive(checked=True)
        self.release.wait(10)
        return None  # a wrong guess


def test_guesses_at_once_cannot_all_slip_under_the_limit(monkeypatch):
    cache.clear()
    n = 8
    held = _HeldLookup(n)
    monkeypatch.setattr(public, "Application", held)
    answers: list = []

    def guess(i):
        try:
            public.lookup(receipt_no="2026-AAAA-BBBB", phone_last4=f"{i:04d}", client=f"10.0.0.{i}")
        except NotFound:
            answers.append(404)
        except public.TooManyGuesses:
            answers.append(429)
            held.arrive()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    with held.changed:
        assert held.changed.wait_for(lambda: held.arrived == n, timeout=10)
    held.release.set()
    for t in threads:
        t.join(10)
    assert held.checked == public.LIMIT_PER_RECEIPT + 1 and sorted(answers) == [404] * 6 + [429] * 2
    cache.clear()
