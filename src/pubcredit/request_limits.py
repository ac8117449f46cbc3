"""Request limits and the API's one error shape at the edge (issue 19).

- :class:`UploadLimitMiddleware`: a request body declared larger than ``PUBCREDIT_UPLOAD_MAX_BYTES`` (plus room for
  the multipart envelope) answers 413 before a byte of it is read; a NUL character in the path or query is a 400.
- :class:`ApiErrorShapeMiddleware`: every error an ``/api/`` path answers has the platform's shape
  ``{"code", "message", "message_en", "fields"}``, whoever produced it — Django's 400/403/404/405/413/500, the CSRF
  failure, a rate limit. Pages (every other path) keep their own HTML error pages: this branches on the path only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure

API_PREFIX = "/api/"
MULTIPART_ROOM = 1024 * 1024  # the multipart envelope and the other form fields around an uploaded file

# status → (code, message, message_en) of an error that reached an /api/ path without the platform's shape
STATUS_ERRORS = {
    400: ("request.bad", "请求无效", "bad request"),
    401: ("auth.token", "接口令牌缺失、无效或已吊销", "API token missing, invalid or revoked"),
    403: ("auth.forbidden", "无权访问该资源", "not allowed"),
    404: ("not_found", "资源不存在", "not found"),
    405: ("request.method", "该接口不支持此请求方法", "method not allowed"),
    409: ("conflict", "请求与当前状态冲突", "conflict"),
    413: ("request.too_large", "请求体过大", "request body too large"),
    415: ("request.media_type", "不支持的请求内容类型", "unsupported media type"),
    422: ("request.invalid", "请求内容不符合接口定义", "request does not match the schema"),
    429: ("rate_limited", "访问过于频繁，请稍后再试", "too many requests"),
    500: ("server.error", "服务器内部错误，请稍后重试；问题持续请联系信用中心", "internal server error"),
}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def human_size(size: int) -> str:
    """50MB, 800KB, 120B: sizes as the messages name them."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g}{unit}"
    return f"{size}B"


def error_body(status: int, code: str | None = None, message: str | None = None, message_en: str | None = None,
               fields: list | None = None) -> dict:
    default = STATUS_ERRORS.get(status, ("request.error", "请求失败", "request failed"))
    return {"code": code or default[0], "message": message or default[1], "message_en": message_en or default[2],
            "fields": fields or []}


def too_large_body() -> dict:
    limit = human_size(settings.PUBCREDIT_UPLOAD_MAX_BYTES)
    return error_body(413, "request.too_large", f"上传内容超过{limit}：请把文件拆分成几个较小的文件分批上传",
                      f"request body over {limit}: split the file and send the parts")


class UploadLimitMiddleware:
    """413 for a body declared larger than the upload limit, before it is read (API: the error shape; pages: text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
            # a NUL character is no text a user types; PostgreSQL refuses it in any string, SQLite's full-text
            # search fails on it: 400 here (the API's shape on /api/, the 400 page elsewhere)
            raise BadRequest("NUL character in the request's path or query")
        if length > settings.PUBCREDIT_UPLOAD_MAX_BYTES + MULTIPART_ROOM:
            body = too_large_body()
            if is_api(request):
                response = JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
            else:
                response = HttpResponse(body["message"], status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body is not drained: the client must not reuse the socket
            return response
        return self.get_response(request)


def _shaped(response) -> tuple[dict | None, bool]:
    """The error body in the platform's shape (missing keys filled in) or None to build one; and whether the
    response is to be kept as it is (already in shape, or a documented JSON body such as a refused batch)."""
    if response.streaming:
        return None, True
    if not response.get("Content-Type", "").startswith("application/json"):
        return None, False
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return None, False
    if not isinstance(body, dict) or set(body) == {"detail"}:  # Ninja's and Django's own {"detail": …}
        return None, False
    if not isinstance(body.get("code"), str) or "message" not in body:
        return None, True  # an operation's documented body (a refused batch answers 422 with the batch)
    if "message_en" in body and isinstance(body.get("fields"), list):
        return body, True
    return {**error_body(response.status_code, body["code"], body["message"], body.get("message_en")),
            **{k: v for k, v in body.items() if k not in ("message_en", "fields")},
            "fields": body.get("fields") if isinstance(body.get("fields"), list) else []}, False


class ApiErrorShapeMiddleware:
    """Every ``/api/`` error response in the platform's error shape; other paths are left alone."""

    COPIED_HEADERS = ("Retry-After", "Allow", "WWW-Authenticate", "Connection")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request):
            return response
        body, keep = _shaped(response)
        if keep:
            return response
        if body is None:
            body = error_body(response.status_code)
        shaped = JsonResponse(body, status=response.status_code, json_dumps_params={"ensure_ascii": False})
        for header in self.COPIED_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped


class ContentSecurityPolicyMiddleware:
    """``PUBCREDIT_CSP`` on every response that has none (enforced with ``PUBCREDIT_CSP_ENFORCE``, else report-only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = csp_header_name()
        if settings.PUBCREDIT_CSP and header not in response:
            response[header] = settings.PUBCREDIT_CSP
        return response


def csp_header_name() -> str:
    return "Content-Security-Policy" if settings.PUBCREDIT_CSP_ENFORCE else "Content-Security-Policy-Report-Only"


_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def csp_allowing_styles_of(html: str) -> str:
    """The platform's policy with the SHA-256 of each ``<style>`` element of ``html`` added to ``style-src``: for a
    document whose stylesheet is generated with it (the credit report names its number in the page footer and is
    rendered from one template to the page and to the PDF), so that exactly these styles and no injected one apply."""
    hashes = " ".join("'sha256-%s'" % base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
                      for css in _STYLE_ELEMENT.findall(html))
    if not hashes:
        return settings.PUBCREDIT_CSP
    directives = [d.strip() for d in settings.PUBCREDIT_CSP.split(";") if d.strip()]
    return "; ".join(f"{d} {hashes}" if d.split()[0] == "style-src" else d for d in directives)


def client_ip(request) -> str:
    """The client's address: the trusted proxy's header when configured (``PUBCREDIT_CLIENT_IP_HEADER``), else the
    connection's. Used by the login lockout (django-axes) like the public rate limits."""
    header = getattr(settings, "PUBCREDIT_PORTAL_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")) if value else request.META.get(
        "REMOTE_ADDR", "")


def csrf_failure(request, reason: str = "", template_name: str = "403_csrf.html"):
    """``CSRF_FAILURE_VIEW``: the API's error shape on /api/ paths; Django's own page everywhere else."""
    if is_api(request):
        return JsonResponse(error_body(403, "request.csrf", "请求缺少有效的 CSRF 令牌：接口调用请使用 Bearer 令牌，"
                                       "不要携带浏览器会话", f"CSRF verification failed: {reason}"),
                            status=403, json_dumps_params={"ensure_ascii": False})
    return django_csrf_failure(request, reason=reason, template_name=template_name)
