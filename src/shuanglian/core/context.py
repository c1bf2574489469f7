"""Who is acting and from where, for the audit trail: set by middleware, commands and jobs."""
import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionContext:
    request_id: str = ""
    ip: str | None = None
    channel: str = ""  # web, api, command, job


_current: contextvars.ContextVar[ActionContext] = contextvars.ContextVar(
    "shuanglian_action_context", default=ActionContext()  # noqa: B039 - frozen, so sharing it is safe
)


def current() -> ActionContext:
    return _current.get()


def new_request_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex}"


@contextmanager
def action_context(*, request_id: str | None = None, ip: str | None = None, channel: str = ""):
    token = _current.set(ActionContext(request_id=request_id or new_request_id(), ip=ip, channel=channel))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
