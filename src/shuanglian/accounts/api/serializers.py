"""Account API shapes. Password hashes never leave the server; a password is write-only on create."""
from rest_framework import serializers

from shuanglian.access.roles import Role
from shuanglian.divisions.api.serializers import DivisionCodeField

from ..models import ApiToken, Grant, PendingGrant, User


class UserGrantSerializer(serializers.ModelSerializer):
    """An active grant, as listed on its user."""

    division = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Grant
        fields = ["id", "role", "division", "organization", "granted_at"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                            help_text="home division code")
    grants = UserGrantSerializer(source="active_grants", many=True, read_only=True, help_text="active grants")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "division", "is_active", "last_login", "date_joined",
                  "grants"]
        read_only_fields = fields


class UserCreateInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, trim_whitespace=False)
    full_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    division = DivisionCodeField()


class UserUpdateInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    division = DivisionCodeField(required=False)
    is_active = serializers.BooleanField(required=False)


class GrantSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    division = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    granted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = Grant
        fields = ["id", "user", "username", "role", "division", "organization", "granted_by", "granted_at",
                  "revoked_at", "active"]
        read_only_fields = fields

    def get_active(self, obj) -> bool:
        return obj.revoked_at is None


class GrantCreateInput(serializers.Serializer):
    """Give exactly one of `division` (a code) and `organization` (an id)."""

    user = serializers.IntegerField(help_text="user id")
    role = serializers.ChoiceField(choices=Role.choices)
    division = DivisionCodeField(required=False, allow_null=True)
    organization = serializers.IntegerField(required=False, allow_null=True, help_text="organization id")


class GrantRevokeInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)
    otp = serializers.CharField(required=False, allow_blank=True, max_length=32, write_only=True,
                                help_text="the authenticator's current code, or a recovery code; required for "
                                          "accounts that need a second factor (else 403 mfa_required)")
    name = serializers.CharField(required=False, allow_blank=True, max_length=60,
                                 help_text="a label for the token, shown in the token list")


class TokenResponse(serializers.Serializer):
    token = serializers.CharField(help_text='send as the header "Authorization: Token <token>"; shown only '
                                            "this once (only its hash is kept)")
    expires_at = serializers.DateTimeField(help_text="after this the token is refused; obtain a new one")


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as listed: never its secret, only the first characters to tell it apart."""

    username = serializers.CharField(source="user.username", read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "user", "username", "name", "prefix", "created_at", "expires_at", "last_used_at",
                  "revoked_at", "revoked_reason", "second_factor", "active"]
        read_only_fields = fields

    def get_active(self, obj) -> bool:
        return obj.is_live(self.context["now"])


class TokenRevokeInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class PasswordChangeInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    old_password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True,
                                         max_length=128)


class PasswordResetInput(serializers.Serializer):
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True,
                                     max_length=128)


class PendingGrantSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    division = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = PendingGrant
        fields = ["id", "user", "username", "role", "division", "organization", "requested_by", "requested_at",
                  "status", "decided_by", "decided_at", "grant"]
        read_only_fields = fields

    def get_status(self, obj) -> str:
        return obj.outcome or "pending"
