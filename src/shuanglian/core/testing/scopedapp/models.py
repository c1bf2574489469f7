from django.db import models

from shuanglian.divisions.models import DivisionScoped


class ScopedThing(DivisionScoped):
    """Test-only record attached somewhere in the tree (no migrations: created by the test runner)."""

    label = models.CharField(max_length=50)
