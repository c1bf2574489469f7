"""Types shared by the layers' signatures."""
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise

# Who acts in a service: a user (accounts.User, above core, so named by its Django base class), an
# anonymous request user (the policies refuse it), or None for the system (commands, jobs, the demo).
Actor = AbstractBaseUser | AnonymousUser | None

# A message or label: a str, or a lazy translation of one.
StrOrPromise = str | Promise
