"""Two requests at the same moment, for the PostgreSQL tests of a rule that a constraint decides."""
import threading

from django.db import connections


def race(monkeypatch, module, call, *, n: int = 2, hold: str = "_insert") -> tuple[list, list[Exception]]:
    """Run `call(i)` for i in 0..n-1, each in its own thread and connection, all held at `module.<hold>` until
    every one has passed the service's own check: the race proper (with `module` None, only released at
    once). Returns the results (None where the call raised) and the exceptions raised."""
    if module is not None:
        checked = threading.Barrier(n)
        held = getattr(module, hold)

        def after_all_checked(*args, **kwargs):
            checked.wait(10)
            return held(*args, **kwargs)

        monkeypatch.setattr(module, hold, after_all_checked)
    start = threading.Barrier(n)
    results, errors = [None] * n, []

    def run(i):
        try:
            start.wait(10)
            results[i] = call(i)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors
