"""Settings for the test suite: the production settings plus a test-only app and fast hashing."""
from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

# A stand-in DivisionScoped model, so restructuring is tested on records before real modules exist.
INSTALLED_APPS = [*INSTALLED_APPS, "shuanglian.testing.scopedapp"]
# Production hashing costs ~0.3 s a password; tests create dozens of accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The second factor is off unless a test turns it on (accounts/tests/test_mfa.py): the personas sign in
# with a password, as the demo does.
MFA_REQUIRED = False
# No API throttling: the suite makes thousands of requests from one address in minutes (the counters
# live in the shared cache). core/tests/test_throttling.py turns it on.
API_THROTTLE_USER = API_THROTTLE_ANON = ""
# Every test client comes from 127.0.0.1, so the per-address slowdown of failed sign-ins would carry from
# one test to the next through the cache; its own tests lower this.
LOGIN_ADDRESS_FREE_FAILURES = 10_000
# Tests move the clock by hours or months between requests (time_machine): idle sign-out and password
# expiry would sign their personas out or hold them at the change page. Their own tests turn them on
# (accounts/tests/test_idle_logout.py, test_passwords.py).
SESSION_IDLE_MINUTES = 0
PASSWORD_MAX_AGE_DAYS = 0
# Tests that check the audit checkpoints name their own file (tmp_path); the others write none.
AUDIT_CHECKPOINT_FILE = ""
