"""Integrity publicity (诚信宣传) writes: an editor drafts and submits, a reviewer other than the author approves or
returns, and only an approved piece is published on the site; publishing without review is refused. Each step
audited (``integrity_article.step``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.integrity import permissions
from pubcredit.integrity.choices import ArticleKind, ArticleStatus, IntegrityRole
from pubcredit.integrity.models import IntegrityArticle
from pubcredit.integrity.rulebook import campaigns_book
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError

# (status, step) → new status; every other pair is refused
ARTICLE_MOVES = {("draft", "submit"): "pending", ("returned", "submit"): "pending", ("pending", "approve"): "approved",
                 ("pending", "return"): "returned", ("approved", "publish"): "published"}


def _move(article: IntegrityArticle, step: str) -> str:
    new = ARTICLE_MOVES.get((article.status, step))
    if new is None:
        if step == "publish":
            raise DomainError("article.review_required", "稿件须经审核通过后才能发布",
                              "a piece is published only after its review", "status")
        raise DomainError("article.state", f"稿件当前为「{article.get_status_display()}」，不能进行此操作",
                          f"step {step!r} not allowed in {article.status!r}", "status")
    return new


def _audit(article: IntegrityArticle, step: str, actor: Any, before: str, reason: str = "") -> None:
    audit.record(Event.ARTICLE_MOVED, actor=actor, object_type="integrity_article", object_id=article.pk,
                 before={"status": before}, after={"status": article.status, "title": article.title},
                 reason=reason, data={"event": step})


@transaction.atomic(durable=True)
def article_save(*, kind: str, title: str, body: str, actor: Any, article: IntegrityArticle | None = None,
                 campaign: str = "") -> IntegrityArticle:
    """Draft or edit a piece (editors only); a piece under review or published is not edited. ``campaign`` ties a
    piece of the 诚信宣传活动 column to a dated campaign of the calendar (诚信兴商宣传月, 信用记录关爱日); it goes
    through the same review before the campaign page shows it."""
    if not permissions.has_grant(actor, IntegrityRole.EDITOR):
        raise DomainError("article.editor_only", "仅宣传编辑可撰写稿件", "only editors write pieces")
    if kind not in ArticleKind.values:
        raise DomainError("article.kind", "请选择栏目", f"unknown kind {kind!r}", "kind")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError("title.required", "请填写标题", "title is required", "title")
    if not body:
        raise DomainError("body.required", "请填写正文", "body is required", "body")
    campaign = (campaign or "").strip()
    if campaign and campaign not in campaigns_book().campaigns:
        raise DomainError("article.campaign", "请选择宣传节点", f"unknown campaign {campaign!r}", "campaign")
    if campaign and kind != ArticleKind.CAMPAIGN:
        raise DomainError("article.campaign_kind", "只有“诚信宣传活动”栏目的稿件可归入宣传节点",
                          "only pieces of the campaign column belong to a campaign", "campaign")
    if article is not None and article.status not in ("draft", "returned"):
        raise DomainError("article.state", "审核中或已发布的稿件不能修改", "not editable now", "status")
    before = article.status if article else ""
    article = article or IntegrityArticle(author=actor)
    article.kind, article.title, article.body, article.updated_at = kind, title[:200], body, clock.now()
    article.campaign = campaign
    article.save()
    _audit(article, "save", actor, before)
    return article


@transaction.atomic(durable=True)
def article_step(*, article: IntegrityArticle, step: str, note: str = "", actor: Any) -> IntegrityArticle:
    """submit (the author), approve / return (a reviewer who is not the author), publish (after approval)."""
    article = IntegrityArticle.objects.select_for_update().get(pk=article.pk)
    before = article.status
    new = _move(article, step)
    if step in ("submit", "publish") and not permissions.has_grant(actor, IntegrityRole.EDITOR):
        raise DomainError("article.editor_only", "仅宣传编辑可提交或发布稿件", "only editors submit or publish")
    if step in ("approve", "return"):
        if not permissions.has_grant(actor, IntegrityRole.PUBLICITY_REVIEWER):
            raise DomainError("article.reviewer_only", "仅宣传审核人员可审核稿件", "only reviewers review")
        if actor.pk == article.author_id:
            raise DomainError("article.own_review", "不能审核自己撰写的稿件", "nobody reviews their own piece")
        if step == "return" and not note.strip():
            raise DomainError("article.note_required", "退回修改须写明意见", "a note is required", "note")
        article.reviewer, article.review_note = actor, note.strip()[:500]
    if step == "publish":
        article.published_on = clock.today()
    article.status, article.updated_at = new, clock.now()
    article.full_clean()
    article.save()
    _audit(article, step, actor, before, reason=note.strip())
    return article
