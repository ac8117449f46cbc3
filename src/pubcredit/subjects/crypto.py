"""Protection of natural persons' identity numbers: encrypted at rest, found by a keyed hash, shown masked.

Both keys derive from ``settings.PII_KEY`` (``PUBCREDIT_PII_KEY``) with HKDF and separate labels, so the lookup
hash cannot be used to decrypt and the ciphertext cannot be matched without the key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Callable

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pubcredit-pii", info=label).derive(settings.PII_KEY.encode())


@functools.cache
def _fernet(key_material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"encrypt")))


@functools.cache
def _hmac_key(key_material: str) -> bytes:
    return _derive(b"lookup")


def encrypt(plaintext: str) -> str:
    return _fernet(settings.PII_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.PII_KEY).decrypt(token.encode()).decode()


def lookup_hash(normalised_value: str) -> str:
    """Keyed hash (HMAC-SHA256) of a normalised identity number, for equality lookups."""
    return hmac.new(_hmac_key(settings.PII_KEY), normalised_value.encode(), hashlib.sha256).hexdigest()


def lookup_hasher() -> Callable[[str], str]:
    """``lookup_hash`` with the key read once, for a bulk import that hashes two texts per row: reading the setting
    and building an ``hmac`` object each time cost more than the hash."""
    key = _hmac_key(settings.PII_KEY)
    return lambda text: hmac.digest(key, text.encode(), "sha256").hex()


class Allowlist:
    """Operator-confirmed identifiers: USCCs held in clear, identity numbers only as lookup hashes.
    ``value in allowlist`` takes the plaintext either way, as the identifier rules expect."""

    def __init__(self, plain: frozenset[str] = frozenset(), hashed: frozenset[str] = frozenset()):
        self._plain, self._hashed = plain, hashed

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and (value in self._plain or lookup_hash(value) in self._hashed)
