"""`Authorization: Token <secret>` against our hashed, expiring tokens (accounts.tokens)."""
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .. import mfa, tokens


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's header parsing, our lookup: the secret is hashed, and an expired or revoked token is refused."""

    def authenticate_credentials(self, key):
        token = tokens.token_authenticate(secret=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if not token.second_factor and mfa.required_for(token.user):
            # Issued before the second factor was asked of this account (or before MFA was turned on).
            raise exceptions.AuthenticationFailed(
                _("This token was issued without a second factor, which your account now needs: obtain a new one."))
        return token.user, token
