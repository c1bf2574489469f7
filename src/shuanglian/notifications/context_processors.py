from . import selectors


def inbox(request):
    """The unread count for the header, on every full page: one cheap (indexed) query, and only when a
    template asks for it (htmx fragments never do)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memo: dict[str, int] = {}

    def unread() -> int:
        if "n" not in memo:
            memo["n"] = selectors.unread_count(user)
        return memo["n"]

    return {"unread_notifications": unread}
