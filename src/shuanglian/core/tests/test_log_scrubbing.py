"""Every log handler the app configures scrubs ID numbers and phones: the development server's access log
(a GET with ?id_number=... in its request line) included."""
import io
import logging

from shuanglian.core.logging import PIIScrubFilter, configured_handlers

ID_NUMBER, PHONE = "330803196503120011", "13912345678"


def _app_handlers(handlers):
    """Leave out the handlers pytest adds to capture logs while a test runs."""
    return [h for h in handlers if not type(h).__module__.startswith("_pytest")]


def test_every_configured_handler_scrubs():
    handlers = _app_handlers(configured_handlers())
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, PIIScrubFilter) for f in handler.filters), handler


def test_the_access_log_line_is_written_masked():
    logger = logging.getLogger("django.server")
    assert logger.handlers, "django.server logs through its own handler"
    for handler in _app_handlers(logger.handlers):
        stream = io.StringIO()
        old = handler.setStream(stream)
        try:
            logger.info('"%s" %s %s', f"GET /archives/?id_number={ID_NUMBER}&phone={PHONE} HTTP/1.1", "200", "512")
        finally:
            handler.setStream(old)
        written = stream.getvalue()
        assert "/archives/?id_number=" in written and ID_NUMBER not in written and PHONE not in written


def test_a_record_propagated_to_the_root_is_scrubbed():
    root = logging.getLogger()
    for handler in _app_handlers(root.handlers):
        if not isinstance(handler, logging.StreamHandler):
            continue
        stream = io.StringIO()
        old = handler.setStream(stream)
        try:
            logging.getLogger("shuanglian.some.module").warning("looked up %s", ID_NUMBER)
        finally:
            handler.setStream(old)
        assert ID_NUMBER not in stream.getvalue()
