"""Text messages behind one interface. The default backend only logs (masked): no external service."""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

from shuanglian.core import pii

logger = logging.getLogger("shuanglian.sms")


class LogBackend:
    """Writes each message to the log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", pii.mask("phone", phone), text)


class MemoryBackend:
    """Keeps messages in `outbox` (for tests and demos)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemoryBackend.outbox.append((phone, text))


def backend():
    return import_string(settings.SMS_BACKEND)()


def send(phone: str, text: str) -> None:
    if phone:
        backend().send(phone, text)
