from django.db import models

from shuanglian.core.pii import BlindIndexField, PIIField
from shuanglian.divisions.models import DivisionScoped


class ScopedThing(DivisionScoped):
    """Test-only record attached somewhere in the tree (no migrations: created by the test runner)."""

    label = models.CharField(max_length=50)


class SecretThing(models.Model):
    """Test-only holder of personal information."""

    id_number = PIIField(kind="id_number")
    id_number_hash = BlindIndexField(db_index=True)
    phone = PIIField(kind="phone")

    def __str__(self):
        return f"secret {self.pk}"
