"""The user and grant pages and endpoints three ways: administrators manage users in their own subtree."""
from django.urls import reverse

from shuanglian.testing.personas import PASSWORD
from shuanglian.testing.views import Case, three_ways


def _user_in(division_attr):
    def make(w):
        from shuanglian.accounts.services import user_create

        return user_create(actor=None, username="subject", password=PASSWORD,
                           division=getattr(w.district, division_attr), full_name="subject")
    return make


def _token_in(division_attr):
    def make(w):
        from shuanglian.accounts.tokens import token_issue

        user = _user_in(division_attr)(w)
        return token_issue(actor=None, user=user, name="subject-token")[0]
    return make
def _pending(w):
    """A grant of a role that reveals personal information in 樟潭 (village), asked for by the county's
    administrator: the township's administrator may decide it."""
    from django.test import override_settings

    from shuanglian.access.roles import Role
    from shuanglian.accounts.services import grant_create, user_create

    subject = user_create(actor=None, username="subject", password=PASSWORD, division=w.district.village)
    with override_settings(GRANT_APPROVAL="two_person"):
        return grant_create(actor=w.personas.admin, user=subject, role=Role.ARCHIVE_KEEPER,
                            division=w.district.village)


def _lists_no_subject(response, w):
    return "subject" not in response.content.decode()


CASES = {
    "accounts:user_list": Case(lambda w: reverse("accounts:user_list"), permitted="township_admin",
                               denied="promoter", outsider=None),
    "accounts:user_create": Case(lambda w: reverse("accounts:user_create"), permitted="township_admin",
                                 denied="promoter", outsider=None),
    "accounts:user_detail": Case(lambda w: reverse("accounts:user_detail", args=[w.made.pk]),
                                 permitted="admin", denied="promoter", outsider="township_admin",
                                 make=_user_in("township2")),
    # Every signed-in user changes their own password: nobody is refused, nothing is out of scope.
    "accounts:password_change": Case(lambda w: reverse("accounts:password_change"), permitted="promoter",
                                     denied=None, outsider=None),
    "api-user-password": Case(lambda w: f"/api/v1/users/{w.made.pk}/password/", api=True, method="post",
                              data=lambda w: {"password": "Qujiang-Harmony-2010!"}, ok=(204,), permitted="admin",
                              denied="promoter", outsider="township_admin", make=_user_in("township2")),
    # A pending grant: the list shows those of accounts one may see; a second administrator decides.
    "accounts:pending_grants": Case(lambda w: reverse("accounts:pending_grants"), permitted="township_admin",
                                    denied="promoter", outsider=None, make=_pending),
    "accounts:pending_grant_decide": Case(lambda w: reverse("accounts:pending_grant_decide", args=[w.made.pk]),
                                          method="post", data=lambda w: {"decision": "reject"}, ok=(302,),
                                          permitted="township_admin", denied="promoter", outsider=None,
                                          make=_pending),
    "api-pending-grant-list": Case(lambda w: "/api/v1/pending-grants/", api=True, permitted="township_admin",
                                   denied="promoter", outsider="outsider", make=_pending, hidden=_lists_no_subject),
    "api-pending-grant-approve": Case(lambda w: f"/api/v1/pending-grants/{w.made.pk}/approve/", api=True,
                                      method="post", permitted="township_admin", denied="promoter",
                                      outsider="outsider", outsider_status=(403, 404), make=_pending),
    "api-pending-grant-reject": Case(lambda w: f"/api/v1/pending-grants/{w.made.pk}/reject/", api=True,
                                     method="post", permitted="township_admin", denied="promoter",
                                     outsider="outsider", outsider_status=(403, 404), make=_pending),
    "api-user-list": Case(lambda w: "/api/v1/users/", api=True, permitted="township_admin", denied="promoter",
                          outsider="township_admin", make=_user_in("township2"),
                          hidden=lambda r, w: "subject" not in r.content.decode()),
    "api-user-detail": Case(lambda w: f"/api/v1/users/{w.made.pk}/", api=True, permitted="admin",
                            denied="promoter", outsider="township_admin", make=_user_in("township2")),
    # Every user may list the grants they may see (their own at least): none is refused the list.
    "api-grant-list": Case(lambda w: "/api/v1/grants/", api=True, permitted="township_admin", denied=None,
                           outsider="outsider", hidden=lambda r, w: "promoter" not in r.content.decode()),
    "api-grant-detail": Case(lambda w: f"/api/v1/grants/{w.personas.promoter.grants.get().pk}/", api=True,
                             permitted="township_admin", denied="promoter", outsider=None),
    "api-organization-list": Case(lambda w: "/api/v1/organizations/", api=True, permitted="county_office",
                                  denied=None, outsider="outsider",
                                  hidden=lambda r, w: w.personas.police.name not in r.content.decode()),
    "api-organization-detail": Case(lambda w: f"/api/v1/organizations/{w.personas.police.pk}/", api=True,
                                    permitted="county_office", denied=None, outsider="outsider"),
    # Tokens: everyone has their own list; administrators see and revoke those of the accounts they manage.
    "accounts:token_list": Case(lambda w: reverse("accounts:token_list"), permitted="promoter", denied=None,
                                outsider=None),
    "accounts:user_tokens": Case(lambda w: reverse("accounts:user_tokens", args=[w.made.pk]), permitted="admin",
                                 denied="promoter", outsider="township_admin", make=_user_in("township2")),
    "api-token-manage-list": Case(lambda w: "/api/v1/auth/tokens/", api=True, permitted="admin", denied=None,
                                  outsider="outsider", make=_token_in("township2"),
                                  hidden=lambda r, w: "subject-token" not in r.content.decode()),
    "api-token-manage-detail": Case(lambda w: f"/api/v1/auth/tokens/{w.made.pk}/", api=True, permitted="admin",
                                    denied="promoter", outsider="township_admin", make=_token_in("township2")),
    # The second factor: one's own (the enrolment page), and the step after the password, which a signed-in
    # user has no use for (sent on) and an anonymous one reaches only from the login (sent back there).
    "accounts:mfa_enrol": Case(lambda w: reverse("accounts:mfa_enrol"), permitted="promoter", denied=None,
                               outsider=None),
    "accounts:mfa_verify": Case(lambda w: reverse("accounts:mfa_verify"), permitted="promoter", denied=None,
                                outsider=None, ok=(302,)),
}

test_three_ways = three_ways(CASES)
