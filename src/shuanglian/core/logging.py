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


def configured_handlers() -> list[logging.Handler]:
    """Every handler the logging configuration holds: the root's and each named logger's."""
    loggers = [logging.getLogger()] + [logger for logger in logging.Logger.manager.loggerDict.values()
                                       if isinstance(logger, logging.Logger)]
    found: dict[int, logging.Handler] = {}
    for logger in loggers:
        for handler in logger.handlers:
            found.setdefault(id(handler), handler)
    return list(found.values())


def scrub_every_handler() -> int:
    """Put the scrubbing filter on every configured handler that lacks it: the settings name it on their own
    handlers, but Django's defaults (django.server's access log, the console) and any a library adds would
    write ID numbers and phones as they came. A filter on the handler, not the logger, also sees records
    propagated from child loggers. Answers how many handlers got it."""
    added = 0
    for handler in configured_handlers():
        if not any(isinstance(f, PIIScrubFilter) for f in handler.filters):
            handler.addFilter(PIIScrubFilter())
            added += 1
    return added
