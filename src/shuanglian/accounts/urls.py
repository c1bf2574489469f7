from django.urls import path

from . import mfa_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/tokens/", token_views.user_tokens, name="user_tokens"),
    path("tokens/", token_views.token_list, name="token_list"),
    path("login/verify/", mfa_views.verify, name="mfa_verify"),
    path("mfa/", mfa_views.enrol, name="mfa_enrol"),
    path("grants/pending/", views.pending_grants, name="pending_grants"),
    path("grants/pending/<int:pk>/", views.PendingGrantDecideView.as_view(), name="pending_grant_decide"),
]
