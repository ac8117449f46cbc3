import gc
import os
import sys

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pubcredit.settings")
application = get_wsgi_application()

# Import every view and API module now (the URL resolver pulls them in), then move everything alive into the
# collector's permanent generation. A full collection of the ~120k objects of a loaded process holds the GIL for
# ~60 ms, which every request in flight then waits out (bench/checks: the p99 tail). Frozen objects are never
# scanned again. Under a pre-forking server, importing this module before the fork also keeps the frozen pages
# shared between workers.
get_resolver().url_patterns
gc.freeze()

# Threads of a worker spend most of a request waiting on the database. A thread coming back from a query waits for
# the running thread to give up the GIL, by default for up to 5 ms, and a check makes two queries. 1 ms keeps the
# hand-over short at a small cost in switches (bench/checks runs 9-12, with the freeze above).
sys.setswitchinterval(0.001)
