"""Loaded with ``-p tests.pytest_env`` before pytest-django reads settings: the test environment's defaults."""

import os

os.environ.setdefault("PUBCREDIT_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in-thread
os.environ.pop("PUBCREDIT_TODAY", None)
# checkpoints go to a file only in the tests that give one: test databases come and go, a file would outlive them
os.environ.setdefault("PUBCREDIT_AUDIT_CHECKPOINT_FILE", "")
# rate-limit counters in the process: the database cache table is not emptied between transactional tests
os.environ.setdefault("PUBCREDIT_RATE_CACHE", "default")
