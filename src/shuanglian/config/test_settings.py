"""Settings for the test suite: the production settings plus a test-only app and fast hashing."""
from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

# A stand-in DivisionScoped model, so restructuring is tested on records before real modules exist.
INSTALLED_APPS = [*INSTALLED_APPS, "shuanglian.testing.scopedapp"]
# Production hashing costs ~0.3 s a password; tests create dozens of accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests that check the audit checkpoints name their own file (tmp_path); the others write none.
AUDIT_CHECKPOINT_FILE = ""
