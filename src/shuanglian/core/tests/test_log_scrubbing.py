"""Every log handler the app configures scrubs ID numbers and phones: the development server's access log
(a GET with ?id_number=... in its request line) included. Checked in a fresh process, as the app starts:
tests of this process add handlers of their own (pytest's capture among them)."""
import json
import os
import subprocess
import sys

ID_NUMBER, PHONE = "330803196503120011", "13912345678"

PROBE = f"""
import io, json, logging
import django
django.setup()
from shuanglian.core.logging import PIIScrubFilter, configured_handlers

result = {{"unscrubbed": [repr(h) for h in configured_handlers()
                          if not any(isinstance(f, PIIScrubFilter) for f in h.filters)]}}
written = {{}}
for name, logger, message in [
        ("server", logging.getLogger("django.server"),
         '"GET /archives/?id_number={ID_NUMBER}&phone={PHONE} HTTP/1.1" 200 512'),
        ("root", logging.getLogger("shuanglian.some.module"), "looked up {ID_NUMBER}")]:
    streams = []
    for handler in configured_handlers():
        if isinstance(handler, logging.StreamHandler):
            streams.append((handler, handler.setStream(io.StringIO())))
    logger.warning(message)
    written[name] = "".join(h.stream.getvalue() for h, _old in streams)
    for handler, old in streams:
        handler.setStream(old)
result["written"] = written
result["server_handlers"] = len(logging.getLogger("django.server").handlers)
print(json.dumps(result))
"""


def test_every_configured_handler_scrubs_and_the_access_log_is_masked():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shuanglian.config.settings"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["unscrubbed"] == []
    assert result["server_handlers"] >= 1
    server, root = result["written"]["server"], result["written"]["root"]
    assert "/archives/?id_number=" in server and ID_NUMBER not in server and PHONE not in server
    assert "looked up" in root and ID_NUMBER not in root
