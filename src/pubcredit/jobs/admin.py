from django.contrib import admin

from pubcredit.audit.admin import ReadOnlyAdmin
from pubcredit.jobs.models import DailyRun, JobProgress, WorkerBeat


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    list_display = ["job", "day", "result_id", "enqueued_at"]
    list_filter = ["job"]


@admin.register(JobProgress)
class JobProgressAdmin(ReadOnlyAdmin):
    list_display = ["result_id", "label", "done", "total", "updated_at"]
