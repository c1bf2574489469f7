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
