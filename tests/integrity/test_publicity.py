"""Integrity publicity (诚信宣传): editors draft and submit, a reviewer other than the author approves, and only then
is a piece published on the site; publishing without review is refused and changes nothing."""

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.integrity import publicity, services
from pubcredit.rules.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db, department, system_actor, operator):
    user = user_create(username="editor", password="Editor#2026-x", role=Role.BUSINESS_USER, display_name="宣传编辑",
                       department=department, actor=system_actor)
    services.integrity_grant(user=user, role="editor", actor=operator)
    return user


@pytest.fixture
def reviewer(db, department, system_actor, operator):
    user = user_create(username="preview", password="Review#2026-x", role=Role.BUSINESS_USER, display_name="宣传审核",
                       department=department, actor=system_actor)
    services.integrity_grant(user=user, role="publicity_reviewer", actor=operator)
    return user


@pytest.fixture
def draft(today, editor):
    return publicity.article_save(kind="punish_case", title="某公司拒不履行判决被联合惩戒",
                                  body="经法院认定为失信被执行人后，多部门依法限制其政府采购投标。", actor=editor)


def test_publishing_without_review_is_refused_and_nothing_changes(draft, editor, client):
    with pytest.raises(DomainError) as exc:
        publicity.article_step(article=draft, step="publish", actor=editor)
    assert exc.value.code == "article.review_required"
    publicity.article_step(article=draft, step="submit", actor=editor)
    with pytest.raises(DomainError) as exc:
        publicity.article_step(article=draft, step="publish", actor=editor)
    assert exc.value.code == "article.review_required"
    draft.refresh_from_db()
    assert draft.status == "pending" and draft.published_on is None
    assert "某公司拒不履行判决" not in client.get("/public/integrity/news/").content.decode()


def test_review_then_publication_on_the_site(draft, editor, reviewer, client):
    publicity.article_step(article=draft, step="submit", actor=editor)
    with pytest.raises(DomainError) as exc:
        publicity.article_step(article=draft, step="return", note="", actor=reviewer)
    assert exc.value.code == "article.note_required"
    publicity.article_step(article=draft, step="approve", note="同意发布", actor=reviewer)
    published = publicity.article_step(article=draft, step="publish", actor=editor)
    assert published.status == "published" and published.reviewer == reviewer
    listing = client.get("/public/integrity/news/").content.decode()
    assert "某公司拒不履行判决被联合惩戒" in listing and "失信惩戒典型案例" in listing
    assert "多部门依法限制" in client.get(f"/public/integrity/news/{draft.pk}/").content.decode()
    steps = list(AuditEvent.objects.filter(action="integrity_article.step").values_list("data__event", flat=True))
    assert steps == ["save", "submit", "approve", "publish"]


def test_nobody_reviews_their_own_piece(draft, editor, operator):
    services.integrity_grant(user=editor, role="publicity_reviewer", actor=operator)
    publicity.article_step(article=draft, step="submit", actor=editor)
    with pytest.raises(DomainError) as exc:
        publicity.article_step(article=draft, step="approve", actor=editor)
    assert exc.value.code == "article.own_review"


def test_editors_are_a_role(today, provider, client, draft):
    with pytest.raises(DomainError) as exc:
        publicity.article_save(kind="news", title="x", body="y", actor=provider)
    assert exc.value.code == "article.editor_only"
    client.force_login(provider)
    assert client.get("/integrity/articles/").status_code == 403
    assert client.get(f"/public/integrity/news/{draft.pk}/").status_code == 404  # a draft is not public


def test_pages_take_a_piece_through_review(client, today, editor, reviewer):
    client.force_login(editor)
    response = client.post("/integrity/articles/", {"kind": "model_unit", "title": "张店区某街道获评诚信示范街区",
                                                    "body": "街区商户全部签署信用承诺。"})
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(f"/integrity/articles/{pk}/", {"step": "publish", "note": ""})
    assert "须经审核通过后才能发布" in client.get(f"/integrity/articles/{pk}/").content.decode()
    client.post(f"/integrity/articles/{pk}/", {"step": "submit", "note": ""})
    client.force_login(reviewer)
    client.post(f"/integrity/articles/{pk}/", {"step": "approve", "note": "同意"})
    client.force_login(editor)
    client.post(f"/integrity/articles/{pk}/", {"step": "publish", "note": ""})
    assert "诚信示范街区" in client.get("/public/integrity/news/?kind=model_unit").content.decode()


def test_zibo_policy_item15_campaign_pages_show_around_their_dates_with_reviewed_pieces_only(client, editor, reviewer):
    import datetime as dt

    from pubcredit.rules import clock

    with clock.pinned(dt.date(2026, 8, 20)):  # 12 days before 诚信兴商宣传月
        with pytest.raises(DomainError) as wrong_column:  # only the 诚信宣传活动 column belongs to a campaign
            publicity.article_save(kind="news", title="诚信兴商", body="正文", campaign="integrity_business_month",
                                   actor=editor)
        assert wrong_column.value.code == "article.campaign_kind"
        with pytest.raises(DomainError) as unknown:
            publicity.article_save(kind="campaign", title="诚信兴商", body="正文", campaign="spring_festival",
                                   actor=editor)
        assert unknown.value.code == "article.campaign" and unknown.value.problems[0].field == "campaign"
        piece = publicity.article_save(kind="campaign", title="2026年诚信兴商宣传月启动", body="9月1日启动。",
                                       campaign="integrity_business_month", actor=editor)
        waiting = client.get("/public/integrity/campaigns/integrity_business_month/").content.decode()
        assert "2026年9月1日至9月30日" in waiting and "即将开始" in waiting
        assert "2026年诚信兴商宣传月启动" not in waiting  # a draft is not on the site
        news = client.get("/public/integrity/news/").content.decode()
        assert "诚信兴商宣传月" in news and "信用记录关爱日" not in news  # 6-14 is long past, not featured
        publicity.article_step(article=piece, step="submit", actor=editor)
        publicity.article_step(article=piece, step="approve", actor=reviewer)
        publicity.article_step(article=piece, step="publish", actor=editor)
    with clock.pinned(dt.date(2026, 9, 15)):
        running = client.get("/public/integrity/campaigns/integrity_business_month/").content.decode()
        assert "正在进行" in running and "2026年诚信兴商宣传月启动" in running
        assert "整规办发〔2006〕27号" in running  # the source of the dates
    with clock.pinned(dt.date(2026, 10, 20)):  # long over: the calendar shows next year's, the news page none
        calendar = client.get("/public/integrity/campaigns/").content.decode()
        assert "2027年9月1日至9月30日" in calendar and "2027年6月14日" in calendar
        assert 'id="featured-campaigns"' not in client.get("/public/integrity/news/").content.decode()
    assert client.get("/public/integrity/campaigns/spring_festival/").status_code == 404
