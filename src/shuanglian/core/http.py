"""The client's address, read in one place (login protection, the public status lookup, the audit trail)."""


def client_ip(request) -> str:
    """The address the request came from. Behind a reverse proxy this is the proxy's address unless the
    proxy is trusted (a trusted-proxy setting belongs here, and only here)."""
    return request.META.get("REMOTE_ADDR", "") or ""
