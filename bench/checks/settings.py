"""Settings of the benchmark server: the platform's settings, plus the bare baseline endpoint's URLs."""

from pubcredit.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.checks.urls"
