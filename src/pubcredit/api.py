"""The JSON API (/api/v1/). Routers live in each app's ``api.py``; this module wires them and maps errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from pubcredit.accounts.services import token_authenticate
from pubcredit.audit.services import SystemActor
from pubcredit.rules.errors import DomainError


class DepartmentToken(HttpBearer):
    """``Authorization: Bearer pc_…``: a department's API token (接口令牌)."""

    def authenticate(self, request, token):
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        request.api_token = api_token
        request.department = api_token.department
        request.actor = SystemActor(f"token:{api_token.department.code}:{api_token.prefix}", api_token.department.code)
        return api_token


api = NinjaAPI(
    title="pubcredit API",
    version="1",
    description="城市公共信用信息平台接口 (city public credit information platform). "
    "Department systems authenticate with `Authorization: Bearer <token>` issued by `pubcredit create_token`.",
    urls_namespace="api",
)


def _error(request, status: int, code: str, message_zh: str, message_en: str, fields=None):
    return api.create_response(request, {"code": code, "message": message_zh, "message_en": message_en,
                                         "fields": fields or []}, status=status)


# A refusal's HTTP status, by its code: too large (413), a file that cannot be processed (422), a conflict with work
# in progress (409), missing (404); any other refusal is a bad request (400).
TOO_LARGE_CODES = {"request.too_large", "file.too_large", "check.file_too_large", "check.batch_too_large"}
CONFLICT_CODES = {"batch.running"}


def domain_error_status(exc: DomainError) -> int:
    if exc.code.endswith(".not_found"):
        return 404
    if exc.code in TOO_LARGE_CODES:
        return 413
    if exc.code in CONFLICT_CODES:
        return 409
    if exc.code.startswith("file."):
        return 422
    return 400


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=domain_error_status(exc))


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    fields = [
        {"field": ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "query", "path")),
         "code": f"schema.{err.get('type', 'invalid')}", "message": err.get("msg", ""), "message_en": err.get("msg", "")}
        for err in exc.errors
    ]
    return _error(request, 422, "request.invalid", "请求内容不符合接口定义", "request does not match the schema", fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "auth.token", "接口令牌缺失、无效或已吊销", "API token missing, invalid or revoked")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "auth.forbidden", "无权访问该资源", "not allowed")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "资源不存在", "not found")


@api.exception_handler(DjangoValidationError)
def on_django_validation(request, exc: DjangoValidationError):
    fields = [{"field": f, "code": "invalid", "message": "; ".join(m), "message_en": "; ".join(m)}
              for f, m in getattr(exc, "message_dict", {"": exc.messages}).items()]
    return _error(request, 400, "invalid", "输入有误", "invalid input", fields)


from pubcredit.catalog.api import router as catalog_router  # noqa: E402

api.add_router("/catalog", catalog_router)
api.add_router("/departments", "pubcredit.accounts.api.router")  # 部门报送统计 (department figures)
api.add_router("", "pubcredit.ingest.api.router")  # 信息归集 (records, batches, rejections)
api.add_router("/public", "pubcredit.portal.api.router")  # 公开接口 (no token, rate-limited)
api.add_router("/changes", "pubcredit.publicity.api.router")  # 公示变更流水 (department token)
api.add_router("/lists", "pubcredit.lists.api.router")  # 红黑名单 (list rules, late pushes)
api.add_router("/checks", "pubcredit.sanctions.api.router")  # 联合奖惩核查 (checks, feedback, replay, batch)
api.add_router("/watches", "pubcredit.sanctions.api.watch_router")  # 关注主体 (watches and their change feed)
api.add_router("/measures", "pubcredit.sanctions.api.measure_router")  # 联合奖惩措施清单
