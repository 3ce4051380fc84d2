"""A request id on every request (taken from the proxy's ``X-Request-ID`` or made here), echoed in the
response and attached to every log line written while the request is served; one access-log line per
request with its duration."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("pciplan_request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
access_log = logging.getLogger("pciplan.request")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            if access_log.isEnabledFor(logging.INFO):
                user = getattr(request, "user", None)
                access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                    "method": request.method, "path": request.path, "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": getattr(user, "pk", None) if user is not None and user.is_authenticated else None,
                })
            return response
        finally:
            request_id_var.reset(token)
