from django.db.models import QuerySet

from .models import Notification


def notification_list_visible_to(user) -> QuerySet[Notification]:
    """A user's inbox: their own notifications only."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
