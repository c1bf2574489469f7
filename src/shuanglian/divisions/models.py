import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CODE_LENGTH, KINDS_BY_LEVEL, Kind, Level, code_key, code_key_upper

# The start of recorded history for divisions loaded without an effective date.
BEGINNING = dt.date(1949, 10, 1)


class DivisionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_on__isnull=True)

    def within(self, division: "Division"):
        """The division and everything under it: one range scan on the code key."""
        return self.filter(code_key__gte=division.code_key, code_key__lte=division.code_key_upper)

    def within_codes(self, codes):
        q = Q()
        for code in codes:
            q |= Q(code_key__gte=code_key(code), code_key__lte=code_key_upper(code))
        return self.filter(q) if codes else self.none()


class Division(models.Model):
    """A node of the division tree. The code is hierarchical, so it doubles as the materialized path."""

    code = models.CharField(_("code"), max_length=15)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    kind_explicit = models.BooleanField(default=False, help_text="kind was set by hand, not derived from the code")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code_key = models.BigIntegerField(editable=False)
    valid_from = models.DateField(_("valid from"), default=BEGINNING)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors"
    )
    planned_households = models.PositiveIntegerField(_("planned households"), null=True, blank=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        # code_key orders like code (parents before children) and lets the subtree index serve the sort.
        ordering = ["code_key"]
        constraints = [
            # Codes are reissued: unique among current divisions only.
            models.UniqueConstraint(fields=["code"], condition=Q(retired_on__isnull=True), name="division_code_current_uniq"),
            models.CheckConstraint(condition=Q(retired_on__isnull=True) | Q(retired_on__gte=models.F("valid_from")),
                                   name="division_retired_after_valid"),
        ]
        indexes = [
            models.Index(fields=["code_key"], name="division_key_idx", condition=Q(retired_on__isnull=True)),
            models.Index(fields=["level", "code_key"], name="division_level_key_idx"),
            models.Index(fields=["name"], name="division_name_idx"),
            models.Index(fields=["parent", "code"], name="division_parent_code_idx"),
        ]
        verbose_name = _("division")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.code_key = code_key(self.code)
        super().save(*args, **kwargs)

    @property
    def code_key_upper(self) -> int:
        return code_key_upper(self.code)

    @property
    def is_current(self) -> bool:
        return self.retired_on is None

    def clean(self):
        errors: dict[str, Any] = {}
        if not self.code.isdigit() or len(self.code) != CODE_LENGTH.get(self.level, -1):
            errors["code"] = _("A %(level)s code has %(n)s digits.") % {
                "level": self.get_level_display(), "n": CODE_LENGTH.get(self.level)}
        if self.kind and self.kind not in KINDS_BY_LEVEL.get(self.level, set()):
            errors["kind"] = _("This kind does not apply at this level.")
        if self.parent is not None and self.code and not self.code.startswith(self.parent.code):
            errors["code"] = _("The code must begin with its parent's code %(code)s.") % {"code": self.parent.code}
        if errors:
            raise ValidationError(errors)

    def ancestor_codes(self) -> list[str]:
        return [self.code[:n] for n in (2, 4, 6, 9, 12) if n < len(self.code)]

    def snapshot(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "kind": self.kind,
            "parent": self.parent.code if self.parent is not None else None,
            "retired_on": self.retired_on,
            "planned_households": self.planned_households,
        }


class DivisionVersion(models.Model):
    """What a division was called, coded and hung under from valid_from until valid_to (exclusive).

    Statistics "as of" a date group by the versions in force on that date.
    """

    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    code = models.CharField(max_length=15)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=Level.choices)
    kind = models.CharField(max_length=10, blank=True)
    parent = models.ForeignKey(Division, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    change = models.CharField(max_length=20, blank=True)  # what opened this version: create, rename, merge...

    class Meta:
        ordering = ["division", "valid_from"]
        indexes = [
            models.Index(fields=["level", "valid_from", "valid_to"], name="divversion_level_span_idx"),
            models.Index(fields=["division", "valid_from"], name="divversion_div_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["division"], condition=Q(valid_to__isnull=True), name="divversion_one_open"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code}) {self.valid_from}–{self.valid_to or ''}"


def scope_column(*, db_index: bool = True) -> models.ForeignKey:
    """One of DivisionScoped's scope columns. A model whose composite index leads with the column
    redefines it with `db_index=False`: an index of its own would only slow every write."""
    return models.ForeignKey(Division, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                             db_index=db_index, db_constraint=False)


class DivisionScoped(models.Model):
    """Base for every record that belongs somewhere in the tree (households, matters, ...).

    `division` is where the record was attached and never changes; the county/township/village/grid
    columns are denormalized for scoping and grouping and are rewritten in bulk by restructuring,
    so that "everything attached to a moved grid follows it".
    """

    # The attach point is a real foreign key. The scope columns are copies derived from it, kept by
    # attach_to() and restructuring: no database constraint of their own (it would only check every
    # bulk-loaded row four more times), and no index on the attach point or the county, which scoping
    # never filters by alone.
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", db_index=False)
    county = scope_column(db_index=False)
    township = scope_column()
    village = scope_column()
    grid = scope_column()

    class Meta:
        abstract = True

    def attach_to(self, division: Division) -> None:
        """Set the attach point and its scope columns (one query for the ancestors)."""
        self.division = division
        chain = {d.level: d for d in Division.objects.filter(code__in=division.ancestor_codes()).current()}
        chain[division.level] = division
        for level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID):
            setattr(self, level, chain.get(level))
