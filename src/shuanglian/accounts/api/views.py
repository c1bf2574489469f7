"""Accounts over the API: tokens, users and grants. Reads through the selectors, writes through the services."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from shuanglian.core import clock
from shuanglian.core.api_views import error_responses
from shuanglian.organizations.selectors import organization_get_for_user

from .. import mfa, passwords, services, signin, tokens
from ..filtersets import ApiTokenFilterSet, GrantFilterSet, UserFilterSet
from ..models import ApiToken, Grant, PendingGrant, User
from ..selectors import (
    grant_get_for_user,
    grant_list_visible_to,
    pending_grant_get_for_user,
    pending_grant_list_visible_to,
    user_get_for_user,
    user_list_visible_to,
)
from . import serializers as s


class ObtainTokenView(APIView):
    """Exchange a username and password (and, where the account needs it, a second factor) for a new API
    token. Each call issues a new token that expires after API_TOKEN_DAYS days."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(summary="Obtain an API token", request=s.TokenRequest,
                   responses={200: s.TokenResponse, **error_responses(400, 403, 429)}, auth=[])
    def post(self, request):
        data = s.TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        # Lockout, slowdown and the audit trail (accounts.signin); no token while a password change is due;
        # the second factor where the account needs one (accounts.mfa). token_issue audits the issue.
        user = signin.check_password(request=request, username=data.validated_data["username"],
                                     password=data.validated_data["password"], purpose="token")
        passwords.require_current(user)
        checked = mfa.check_for_token(user=user, otp=data.validated_data.get("otp"))
        token, secret = tokens.token_issue(actor=user, user=user, name=data.validated_data.get("name") or "API",
                                           second_factor=checked)
        return Response(s.TokenResponse({"token": secret, "expires_at": token.expires_at}).data)


class PasswordChangeView(APIView):
    """Change one's own password with the current one; works without a token (also while a change is due)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(summary="Change your password", request=s.PasswordChangeInput,
                   responses={204: None, **error_responses(400, 403, 429)}, auth=[])
    def post(self, request):
        data = s.PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_change(request=request, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
TOKEN_REASON = OpenApiParameter("reason", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                                description="why the token is revoked (or send it in the body)")


@extend_schema_view(
    list=extend_schema(summary="API tokens: your own, and those of the accounts you may see",
                       responses={200: s.ApiTokenSerializer, **error_responses(401)}),
    retrieve=extend_schema(summary="One API token (never its secret)", parameters=[ID],
                           responses={200: s.ApiTokenSerializer, **error_responses(401, 404)}),
    destroy=extend_schema(summary="Revoke an API token (it stays listed, marked revoked)",
                          parameters=[ID, TOKEN_REASON], request=s.TokenRevokeInput,
                          responses={200: s.ApiTokenSerializer, **error_responses(401, 403, 404, 409)}),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = s.ApiTokenSerializer
    filterset_class = ApiTokenFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = ApiToken.objects.none()  # for the schema; requests use the selector

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": clock.now()}

    def get_queryset(self):
        return tokens.token_list_visible_to(self.request.user)

    def get_object(self):
        return tokens.token_get_for_user(self.request.user, self.kwargs["pk"])

    def destroy(self, request, *args, **kwargs):
        token = self.get_object()
        body = request.data if hasattr(request.data, "get") else {}
        data = s.TokenRevokeInput(data={"reason": body.get("reason") or request.query_params.get("reason", "")})
        data.is_valid(raise_exception=True)
        token = tokens.token_revoke(actor=request.user, token=token, reason=data.validated_data["reason"])
        return Response(self.get_serializer(token).data)


@extend_schema_view(
    list=extend_schema(summary="Users you may see", responses={200: s.UserSerializer, **error_responses(401)}),
    retrieve=extend_schema(summary="One user", parameters=[ID],
                           responses={200: s.UserSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Create a user", request=s.UserCreateInput,
                         responses={201: s.UserSerializer, **error_responses(400, 401, 403, 409)}),
    partial_update=extend_schema(summary="Change a user's name, email, home division or active flag",
                                 parameters=[ID], request=s.UserUpdateInput,
                                 responses={200: s.UserSerializer, **error_responses(400, 401, 403, 404)}),
    password=extend_schema(summary="Reset a user's password (temporary: changed at their next sign-in)",
                           parameters=[ID], request=s.PasswordResetInput,
                           responses={204: None, **error_responses(400, 401, 403, 404)}),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.UserSerializer
    filterset_class = UserFilterSet
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = User.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return user_list_visible_to(self.request.user)

    def get_object(self):
        return user_get_for_user(self.request.user, self.kwargs["pk"])

    def _render(self, user, code=status.HTTP_200_OK):
        # Re-read through the selector so the answer has the same shape (active grants) as a list row.
        return Response(s.UserSerializer(user_get_for_user(self.request.user, user.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = s.UserCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **data.validated_data)
        return self._render(user, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        user = self.get_object()
        data = s.UserUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_update(actor=request.user, user=user, **data.validated_data)
        return self._render(user)

    @action(detail=True, methods=["post"])
    def password(self, request, *args, **kwargs):
        user = self.get_object()
        data = s.PasswordResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_set_password(actor=request.user, user=user, password=data.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


GRANT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
REASON = OpenApiParameter("reason", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                          description="why the grant is revoked (or send it in the body)")


@extend_schema_view(
    list=extend_schema(summary="Grants of the users you may see", responses={200: s.GrantSerializer,
                                                                              **error_responses(401)}),
    retrieve=extend_schema(summary="One grant", parameters=[GRANT_ID],
                           responses={200: s.GrantSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="Grant a role at a division or an organization (202: it awaits a second "
                                 "administrator, GRANT_APPROVAL=two_person)", request=s.GrantCreateInput,
                         responses={201: s.GrantSerializer, 202: s.PendingGrantSerializer,
                                    **error_responses(400, 401, 403, 404, 409)}),
    destroy=extend_schema(summary="Revoke a grant (it stays on record, marked revoked)",
                          parameters=[GRANT_ID, REASON], request=s.GrantRevokeInput,
                          responses={200: s.GrantSerializer, **error_responses(401, 403, 404, 409)}),
)
class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = s.GrantSerializer
    filterset_class = GrantFilterSet
    lookup_value_regex = r"[0-9]+"
    queryset = Grant.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return grant_list_visible_to(self.request.user)

    def get_object(self):
        return grant_get_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = s.GrantCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = user_get_for_user(request.user, values["user"])
        organization = values.get("organization")
        if organization is not None:
            organization = organization_get_for_user(request.user, organization)
        grant = services.grant_create(actor=request.user, user=user, role=values["role"],
                                      division=values.get("division"), organization=organization)
        if isinstance(grant, PendingGrant):  # GRANT_APPROVAL=two_person: a second administrator decides
            return Response(s.PendingGrantSerializer(grant).data, status=status.HTTP_202_ACCEPTED)
        return Response(s.GrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        grant = self.get_object()
        body = request.data if hasattr(request.data, "get") else {}
        data = s.GrantRevokeInput(data={"reason": body.get("reason") or request.query_params.get("reason", "")})
        data.is_valid(raise_exception=True)
        grant = services.grant_revoke(actor=request.user, grant=grant, reason=data.validated_data["reason"])
        return Response(s.GrantSerializer(grant).data)


@extend_schema_view(
    list=extend_schema(summary="Grants that awaited or await a second administrator",
                       responses={200: s.PendingGrantSerializer, **error_responses(401)}),
    approve=extend_schema(summary="Approve a pending grant (not the administrator who asked)", parameters=[ID],
                          request=None, responses={200: s.PendingGrantSerializer,
                                                   **error_responses(401, 403, 404, 409)}),
    reject=extend_schema(summary="Reject a pending grant (not the administrator who asked)", parameters=[ID],
                         request=None, responses={200: s.PendingGrantSerializer,
                                                  **error_responses(401, 403, 404, 409)}),
)
class PendingGrantViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PendingGrantSerializer
    lookup_value_regex = r"[0-9]+"
    queryset = PendingGrant.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return pending_grant_list_visible_to(self.request.user)

    def _decide(self, request, approve: bool):
        pending = pending_grant_get_for_user(request.user, self.kwargs["pk"])
        pending = services.pending_grant_decide(actor=request.user, pending=pending, approve=approve)
        return Response(s.PendingGrantSerializer(pending).data)

    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        return self._decide(request, True)

    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        return self._decide(request, False)
