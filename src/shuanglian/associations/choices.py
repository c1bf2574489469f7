from django.db import models
from django.utils.translation import gettext_lazy as _


class AssociationKind(models.TextChoices):
    """Derived from the division an association serves, not stored: a township's is the general one."""

    GENERAL = "general", _("general association")  # 和谐平安促进总会, one per township
    PROMOTION = "promotion", _("promotion association")  # 和谐平安促进会, one per village or community


KIND_LEVEL = {AssociationKind.GENERAL: "township", AssociationKind.PROMOTION: "village"}


class Post(models.TextChoices):
    """In rank order: lists show officers in this order."""

    PRESIDENT = "president", _("president")  # exactly one current per association
    VICE_PRESIDENT = "vice_president", _("vice-president")
    SECRETARY = "secretary", _("secretary")
    OFFICER = "officer", _("officer")
    MEMBER = "member", _("member")


OFFICER_POSTS = (Post.PRESIDENT, Post.VICE_PRESIDENT, Post.SECRETARY, Post.OFFICER)
RANK = {p: i for i, p in enumerate(Post.values)}
