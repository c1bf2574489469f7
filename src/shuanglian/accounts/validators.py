from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least `min_classes` of: lower case, upper case, digits, symbols (assessor practice for protection
    level 3: three of four; the setting PASSWORD_MIN_CLASSES)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = max(1, min(4, min_classes))

    def validate(self, password, user=None):
        classes = [any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("The password needs %(n)d of: lower-case letters, upper-case letters, digits, symbols.")
                % {"n": self.min_classes}, code="password_classes")

    def get_help_text(self):
        return _("Use %(n)d of: lower-case letters, upper-case letters, digits, symbols.") % {"n": self.min_classes}
