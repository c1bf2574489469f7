import logging

from .pii import scrub


class PIIScrubFilter(logging.Filter):
    """Masks anything that looks like an ID number or a mobile number before a record is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
