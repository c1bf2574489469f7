from .context import action_context, new_request_id


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) and note the client address for audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming and len(incoming) <= 64 and incoming.isascii() else new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        with action_context(request_id=request_id, ip=request.META.get("REMOTE_ADDR"), channel=channel):
            request.request_id = request_id
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
