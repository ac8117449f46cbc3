"""Background jobs (后台任务): what the platform keeps beside the task queue's own table (django-tasks-db).

The queue (``django_tasks_db.DBTaskResult``) holds each job's state, arguments and outcome. Here: which workers are
alive (so a job left "running" by a killed worker is handed to another), which daily jobs were enqueued for which
business day (so a day's job is enqueued once), and each job's progress for the console.
"""

from __future__ import annotations

from django.db import models

__all__ = ["DailyRun", "JobProgress", "WorkerBeat"]


class WorkerBeat(models.Model):
    """A worker process's heartbeat (心跳): written every few seconds while it lives."""

    worker_id = models.CharField("工作进程", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255, blank=True)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "工作进程 (worker)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class DailyRun(models.Model):
    """One daily job enqueued for one business day (业务日期); the unique pair makes enqueueing idempotent."""

    job = models.CharField("任务", max_length=64)
    day = models.DateField("业务日期")
    result_id = models.UUIDField("任务记录")
    enqueued_at = models.DateTimeField("入队时间", auto_now_add=True)

    class Meta:
        verbose_name = "日常任务 (daily run)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="jobs_daily_run_once_a_day",
                                               violation_error_message="该日常任务当日已入队")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"


class JobProgress(models.Model):
    """How far a running job is (进度): ``done`` of ``total`` units (rows, records), with a Chinese label."""

    result_id = models.UUIDField("任务记录", primary_key=True)
    label = models.CharField("说明", max_length=200, blank=True)
    done = models.PositiveBigIntegerField("已完成", default=0)
    total = models.PositiveBigIntegerField("总量", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "任务进度 (job progress)"
        verbose_name_plural = verbose_name

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None
