"""The JSON API (/api/v1/). Routers live in each app's ``api.py``; this module wires them and maps errors."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from pubcredit.accounts.services import token_authenticate
from pubcredit.audit.services import SystemActor
from pubcredit.finance.bank_access import refuse_bank_token
from pubcredit.ingest.readers import json_depth
from pubcredit.request_limits import error_body
from pubcredit.rules.errors import DomainError


class DepartmentToken(HttpBearer):
    """``Authorization: Bearer pc_…``: a department's API token (接口令牌)."""

    def authenticate(self, request, token):
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        refuse_bank_token(api_token.department, request.path)  # a bank's token: 信易贷 operations only (issue 22)
        request.api_token = api_token
        request.department = api_token.department
        request.actor = SystemActor(f"token:{api_token.department.code}:{api_token.prefix}", api_token.department.code)
        return api_token


MAX_JSON_DEPTH = 32  # nesting of objects and arrays in a request body; real submissions use three levels


def json_too_deep() -> DomainError:
    return DomainError("request.json_depth", f"请求体 JSON 嵌套超过{MAX_JSON_DEPTH}层", f"request JSON nests deeper than "
                       f"{MAX_JSON_DEPTH} levels", "body")


def parse_json_body(raw: bytes | str):
    """JSON of a request body, refused as ``request.json`` (not JSON) or ``request.json_depth`` (nested too deep:
    the decoder would exhaust Python's recursion limit first)."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise json_too_deep() from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError("request.json", f"请求体不是合法的 JSON（UTF-8）：{exc}", f"request body is not JSON: {exc}",
                          "body") from exc
    if json_depth(value) > MAX_JSON_DEPTH:
        raise json_too_deep()
    if ("\\u0000" if isinstance(raw, str) else b"\\u0000") in raw:  # NUL: no database text column holds it
        raise DomainError("request.nul", "请求体含有空字符（\\u0000），请删除后重试", "the body holds a NUL character", "body")
    return value


class BoundedJsonParser(Parser):
    """Ninja's body parser with the platform's refusals for malformed or too deeply nested JSON."""

    def parse_body(self, request):
        return parse_json_body(request.body)


# What the edge can answer for any operation, beside what the operation documents itself (issue 19: every status an
# operation can return is in the OpenAPI description). 401/403 only where a token is required, 404 only with path
# parameters, 413 only with a request body, 429 on the public (rate-limited) paths and any operation open without a token.
EDGE_STATUSES = {
    400: "请求无效（如 JSON 格式错误、嵌套过深） / bad request",
    401: "接口令牌缺失、无效或已吊销 / token missing, invalid or revoked",
    403: "无权访问 / not allowed",
    404: "资源不存在 / not found",
    413: "请求体或文件过大 / request body or file too large",
    422: "请求参数不符合接口定义（类型、范围） / parameters do not match the schema",
    429: "访问过于频繁 / too many requests",
}


class PlatformAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        document_edge_responses(schema)
        return schema


def document_edge_responses(schema: dict) -> None:
    """Add the error responses the edge may give to every operation, in the ``ErrorOut`` shape; where an operation
    documents another body for the same status (a refused batch answers 422 with the batch), either body."""
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault("ErrorOut", {
        "title": "ErrorOut", "type": "object", "required": ["code", "message", "message_en", "fields"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "message_en": {"type": "string"},
                       "fields": {"type": "array", "items": {"type": "object", "additionalProperties": True}}}})
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = {400, 422}
            if operation.get("security"):
                statuses |= {401, 403}
            if "{" in path:
                statuses.add(404)
            if method in ("post", "put", "patch"):
                statuses.add(413)
            if path.startswith("/api/v1/public/") or not operation.get("security"):
                statuses.add(429)  # open without a token: the public site's limits may apply (reports' verify too)
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                documented = responses.get(status) or responses.get(str(status))
                if documented is None:
                    responses[status] = {"description": EDGE_STATUSES[status],
                                         "content": {"application/json": {"schema": error_ref}}}
                    continue
                body = documented.get("content", {}).get("application/json", {})
                if body.get("schema") and body["schema"] != error_ref and "anyOf" not in body["schema"]:
                    body["schema"] = {"anyOf": [body["schema"], error_ref]}


api = PlatformAPI(
    parser=BoundedJsonParser(),
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
    # a refusal that names itself (e.g. a bank's token outside 信易贷, finance.bank_access) keeps its code and words
    return _error(request, 403, getattr(exc, "code", "auth.forbidden"), getattr(exc, "message_zh", "无权访问该资源"),
                  getattr(exc, "message_en", "not allowed"))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "资源不存在", "not found")


@api.exception_handler(DjangoValidationError)
def on_django_validation(request, exc: DjangoValidationError):
    fields = [{"field": f, "code": "invalid", "message": "; ".join(m), "message_en": "; ".join(m)}
              for f, m in getattr(exc, "message_dict", {"": exc.messages}).items()]
    return _error(request, 400, "invalid", "输入有误", "invalid input", fields)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Ninja's own errors (a body it cannot parse: 400) in the platform's shape; the parser's refusal when it has one."""
    if isinstance(exc.__cause__, DomainError):
        return on_domain_error(request, exc.__cause__)
    body = error_body(exc.status_code, message_en=str(exc))
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(OverflowError)
def on_overflow(request, exc):
    """A number beyond what the database stores (SQLite: 64 bits), in a path or query parameter."""
    return _error(request, 422, "request.out_of_range", "请求中的数值超出允许范围", "a number in the request is out of range")


@api.exception_handler(DataError)
def on_data_error(request, exc):
    """PostgreSQL's refusal of a value out of its column's range (an id or an offset beyond 64 bits)."""
    return _error(request, 422, "request.out_of_range", "请求中的数值超出允许范围", "a value in the request is out of range")


from pubcredit.catalog.api import router as catalog_router  # noqa: E402

api.add_router("/catalog", catalog_router)
api.add_router("/departments", "pubcredit.figures.api.router")  # 部门报送统计 (department figures)
api.add_router("", "pubcredit.ingest.api.router")  # 信息归集 (records, batches, rejections)
api.add_router("/public", "pubcredit.portal.api.router")  # 公开接口 (no token, rate-limited)
api.add_router("/changes", "pubcredit.publicity.api.router")  # 公示变更流水 (department token)
api.add_router("/lists", "pubcredit.lists.api.router")  # 红黑名单 (list rules, late pushes)
api.add_router("/checks", "pubcredit.sanctions.api.router")  # 联合奖惩核查 (checks, feedback, replay, batch)
api.add_router("/watches", "pubcredit.sanctions.api.watch_router")  # 关注主体 (watches and their change feed)
api.add_router("/measures", "pubcredit.sanctions.api.measure_router")  # 联合奖惩措施清单
api.add_router("", "pubcredit.repair.api.router")  # 信用修复与异议 (eligibility, applications, objections)
api.add_router("/commitments", "pubcredit.commitments.api.router")  # 信用承诺 (告知承诺 eligibility)
api.add_router("/reports", "pubcredit.reports.api.router")  # 信用报告: issue, verify, batches (issue 16)
api.add_router("/subjects", "pubcredit.evaluation.api.router")  # 公共信用综合评价 (department token)
api.add_router("/governance", "pubcredit.governance.api.router")  # 部门考核 (staff session, issue 20)
api.add_router("/inspections", "pubcredit.supervision.api.router")  # 双随机、一公开: published draws, verification
api.add_router("/finance", "pubcredit.finance.api.router")  # 信易贷: profiles for financial institutions (issue 22)
api.add_router("/incentives", "pubcredit.finance.api.incentive_router")  # 信易+: incentive eligibility and use
api.add_router("/integrity", "pubcredit.integrity.api.router")  # 政务诚信: arrears ledger (issue 23)
