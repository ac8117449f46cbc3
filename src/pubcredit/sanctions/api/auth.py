"""The check API's token authentication (``CheckToken``): the department token, remembered per process."""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from django.db import connection

from pubcredit.accounts.models import ApiToken
from pubcredit.api import DepartmentToken
from pubcredit.audit.services import SystemActor


class CheckToken(DepartmentToken):
    """``DepartmentToken`` with a per-process memory of tokens it accepted, for the check API's hot path.

    Business systems call ``POST /api/v1/checks`` in every approval, procurement and funding workflow; the full
    token lookup (ORM, department join, hash compare) costs as much CPU as the rest of a check (bench/checks). An
    accepted token is remembered (keyed by its SHA-256, never the token itself), and each later call only asks the
    database whether that token is still unrevoked: one primary-key read. Revocation therefore holds from the next
    call, in every process.

    With ``defer_revocation`` (the check itself), that question is not asked here: the token's id is left on the
    request (``token_to_verify``) and the check's own facts read answers it in the same round trip; a revoked
    token is refused there, before anything is kept.
    """

    _memory: dict[str, Any] = {}
    _lock = threading.Lock()
    _STILL_ACTIVE = None  # the revocation query, built once per process from the model's table name

    def __init__(self, *, defer_revocation: bool = False):
        super().__init__()
        self.defer_revocation = defer_revocation

    @classmethod
    def still_active(cls, token_id: int) -> bool:
        if cls._STILL_ACTIVE is None:
            cls._STILL_ACTIVE = f"SELECT 1 FROM {ApiToken._meta.db_table} WHERE id = %s AND revoked_at IS NULL"
        with connection.cursor() as cursor:
            cursor.execute(cls._STILL_ACTIVE, [token_id])
            return cursor.fetchone() is not None

    def authenticate(self, request, token):
        key = hashlib.sha256((token or "").encode()).hexdigest()
        api_token = self._memory.get(key)
        if api_token is not None:
            if self.defer_revocation:
                request.token_to_verify = api_token.pk
            elif not self.still_active(api_token.pk):
                self.forget(api_token.pk)
                return None
            request.api_token, request.department = api_token, api_token.department
            request.actor = SystemActor(f"token:{api_token.department.code}:{api_token.prefix}",
                                        api_token.department.code)
            return api_token
        api_token = super().authenticate(request, token)
        if api_token is not None:
            with self._lock:
                if len(self._memory) > 10_000:
                    self._memory.clear()
                self._memory[key] = api_token
        return api_token

    @classmethod
    def forget(cls, token_id: int | None = None) -> None:
        """Forget one remembered token (by id), or all of them."""
        with cls._lock:
            if token_id is None:
                cls._memory.clear()
            else:
                for key in [k for k, t in cls._memory.items() if t.pk == token_id]:
                    del cls._memory[key]
