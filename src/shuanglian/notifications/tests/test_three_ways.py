"""The inbox pages and endpoints three ways: a notification is its recipient's alone (another user's is 404)."""
from django.urls import reverse

from shuanglian.notifications.services import notify
from shuanglian.testing.views import Case, three_ways


def _for_promoter(w):
    notify(recipients=[w.personas.promoter], kind="matter.assigned", title="新事项", url="/matters/")
    return w.personas.promoter.notifications.get()


CASES = {
    "notifications:inbox": Case(lambda w: reverse("notifications:inbox"), permitted="promoter", denied=None,
                                outsider="village_cadre", make=_for_promoter,
                                hidden=lambda r, w: "新事项" not in r.content.decode()),
    "notifications:open": Case(lambda w: reverse("notifications:open", args=[w.made.pk]), permitted="promoter",
                               denied=None, outsider="village_cadre", make=_for_promoter, ok=(302,)),
    "notifications:mark_read": Case(lambda w: reverse("notifications:mark_read", args=[w.made.pk]),
                                    method="post", permitted="promoter", denied=None, outsider="village_cadre",
                                    make=_for_promoter, ok=(302,)),
    "notifications:mark_all_read": Case(lambda w: reverse("notifications:mark_all_read"), method="post",
                                        permitted="promoter", denied=None, outsider=None, ok=(302,)),
    "api-notification-list": Case(lambda w: "/api/v1/notifications/", api=True, permitted="promoter",
                                  denied=None, outsider="village_cadre", make=_for_promoter,
                                  hidden=lambda r, w: r.json()["count"] == 0),
    "api-notification-unread-count": Case(lambda w: "/api/v1/notifications/unread-count/", api=True,
                                          permitted="promoter", denied=None, outsider="village_cadre",
                                          make=_for_promoter, hidden=lambda r, w: r.json()["unread"] == 0),
    "api-notification-mark-read": Case(lambda w: "/api/v1/notifications/mark-read/", api=True, method="post",
                                       data=lambda w: {"ids": [w.made.pk]}, permitted="promoter", denied=None,
                                       outsider=None, make=_for_promoter),
}

test_three_ways = three_ways(CASES)
