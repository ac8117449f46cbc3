"""Registry of audit event types (审计事件). Numbered in ranges per app so codes never collide.

1xx accounts · 2xx calendar · 3xx subjects · 4xx records · 5xx publicity · 6xx lists · 7xx sanctions ·
8xx background jobs · 9xx platform · 14xx evaluation
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, unique


@unique
class Event(IntEnum):
    DEPARTMENT_CREATED = 101
    TOKEN_CREATED = 110
    TOKEN_REVOKED = 111
    USER_CREATED = 120
    CALENDAR_DAY_SET = 201
    CALENDAR_DAY_REMOVED = 202
    CALENDAR_LOADED = 203
    SUBJECT_CREATED = 301
    SUBJECT_RENAMED = 302
    NATURAL_PERSON_READ = 310
    IDENTIFIER_CONFIRMED = 320
    RECORD_CREATED = 401
    RECORD_VERSIONED = 402
    RECORD_REVOKED = 403
    # 5xx publicity (公示)
    PUBLICITY_ASSESSED = 501
    PUBLICITY_PUBLISHED = 502
    PUBLICITY_EXPIRED = 503
    PUBLICITY_WITHHELD = 504
    PUBLICITY_REVOKED = 505
    PUBLICITY_REPAIRED = 506
    PUBLICITY_HELD = 507
    PUBLICITY_RESUMED = 508
    PUBLICITY_ARCHIVED = 509
    PUBLICITY_REINSTATED = 510
    PUBLICITY_SCHEDULED = 511
    PUBLICITY_UNREPAIRED = 512
    PUBLICITY_TICK = 520
    # 6xx lists (红黑名单)
    LIST_ENTRY_CREATED = 601
    LIST_ENTRY_UPDATED = 602
    LIST_ENTRY_REMOVED = 603
    LISTS_TICK = 610
    LIST_CASE_OPENED = 620
    LIST_CASE_BASIS_CHECKED = 621
    LIST_CASE_NOTIFIED = 622
    LIST_CASE_DEFENCE = 623
    LIST_CASE_DECIDED = 624
    LIST_CASE_PUSHED = 625
    LIST_CASE_DROPPED = 626
    # 7xx sanctions (联合奖惩)
    MEASURE_SAVED = 701
    CHECK_PERSON = 710
    CHECK_FEEDBACK = 711
    CHECK_BATCH = 712
    WATCH_ADDED = 720
    WATCH_REMOVED = 721
    # 8xx background jobs (后台任务)
    JOB_RERUN = 801
    JOB_REQUEUED = 802
    DEMO_SEEDED = 901
    REPAIR_APPLICATION_MOVED = 1301  # 信用修复申请: submitted or any workflow step (data.event)
    OBJECTION_MOVED = 1311  # 异议申诉: submitted or any workflow step (data.event)
    # 17xx commitments (信用承诺, issue 17)
    COMMITMENT_ELIGIBILITY = 1701
    COMMITMENT_VERIFIED = 1702
    COMMITMENT_BREACHED = 1703
    COMMITMENT_EXPIRED = 1704
    # 16xx credit reports (公共信用信息报告, issue 16)
    REPORT_ISSUED = 1601
    REPORT_AUTHORISED = 1602
    REPORT_SIGNING_ROTATED = 1603
    # 14xx evaluation (公共信用综合评价)
    EVALUATION_RUN_STARTED = 1401
    EVALUATION_RUN_FINISHED = 1402
    EVALUATION_REFRESHED = 1403  # an incremental refresh that wrote new results
    SUBJECT_INDUSTRY_SET = 1404  # industries from the registration data, for the evaluation's figures by industry
    RECORDS_CHUNK_IMPORTED = 404  # one committed chunk of a bulk import (issue 18)
    # 20xx governance (督查与考核, issue 20)
    SCORECARDS_COMPUTED = 2001
    POLICY_TASK_SAVED = 2011
    POLICY_TASK_PROGRESS = 2012
    POLICY_TASK_ATTACHMENT = 2013  # a progress report's file downloaded
    # 15xx supervision (双随机、一公开, issue 15): data.action names the step
    SUPERVISION_CHANGED = 1501  # items, inspectors, conflicts, the object library
    SUPERVISION_TASK = 1502  # a task: created, committed, drawn, draw failed, closed
    SUPERVISION_RESULT = 1503  # a result entered or published
    # 130 enterprise accounts; 22xx 信易贷 and 信易+ (issue 22)
    ENTERPRISE_ACCOUNT_CREATED = 130
    FINANCE_AUTHORISATION_GRANTED = 2201
    FINANCE_AUTHORISATION_REVOKED = 2202
    FINANCE_PROFILE_READ = 2203
    FINANCE_PROFILE_REFUSED = 2204
    INCENTIVE_ELIGIBILITY = 2211
    INCENTIVE_USE = 2212
    FINANCE_PRODUCT_PUBLISHED = 2205
    FINANCE_PRODUCT_CHANGED = 2206  # a loan product edited or withdrawn (data.event)
    FINANCE_APPLICATION = 2207  # a loan application: applied, approved, refused, disbursed, repayment problem (data.event)
    FINANCE_PERSON_AUTHORISED = 2208  # a natural person's signed authorisation registered by a bank
    FINANCE_NATIONAL_REPORT = 2209  # the monthly report to the national 信易贷 platform: one attempt, sent or failed
    # 23xx government integrity (政务诚信, issue 23)
    ARREARS_MOVED = 2301  # 拖欠账款投诉: filed or any step (data.event)
    STATE_ENTERPRISE_ADDED = 2302
    INTEGRITY_GRANTED = 2303
    INTEGRITY_REVOKED = 2304  # a function of the app withdrawn (领导, 人事部门, 宣传编辑, 宣传审核)
    INTEGRITY_FILE_WRITTEN = 2310  # 诚信档案: created or an entry added (data.event)
    INTEGRITY_FILE_READ = 2311  # every read of an integrity file
    APPOINTMENT_CHECK = 2312  # 任用审查
    ARTICLE_MOVED = 2320  # 诚信宣传: saved, submitted, reviewed or published (data.event)
    GOV_CASE_MOVED = 2330  # 政府失信认定: identified, rectified or removed (data.event)
    ACCOUNTABILITY_RECORDED = 2331  # 问责记录 of a named person
    CASE_OFFICE_GRANTED = 2332  # 政府失信办理单位: a department's token may handle cases
    CASE_OFFICE_REVOKED = 2333  # 政府失信办理单位 withdrawn: the department's token no longer handles cases
    ENTERPRISE_REGISTRATION = 131  # 企业用户注册: submitted, code sent, confirmed, rejected (data.event)


@dataclass(frozen=True)
class EventType:
    event: Event
    api_name: str
    template_zh: str
    template_en: str


_TYPES = [
    EventType(Event.DEPARTMENT_CREATED, "department.create", "创建部门", "created department"),
    EventType(Event.TOKEN_CREATED, "token.create", "签发接口令牌", "issued API token"),
    EventType(Event.TOKEN_REVOKED, "token.revoke", "吊销接口令牌", "revoked API token"),
    EventType(Event.USER_CREATED, "user.create", "创建用户", "created user"),
    EventType(Event.CALENDAR_DAY_SET, "calendar.set", "设置节假日/调休日", "set calendar day"),
    EventType(Event.CALENDAR_DAY_REMOVED, "calendar.remove", "删除节假日/调休日", "removed calendar day"),
    EventType(Event.CALENDAR_LOADED, "calendar.load", "导入节假日表", "loaded calendar file"),
    EventType(Event.SUBJECT_CREATED, "subject.create", "新建信用主体", "created subject"),
    EventType(Event.SUBJECT_RENAMED, "subject.rename", "主体名称变更", "renamed subject"),
    EventType(Event.NATURAL_PERSON_READ, "subject.read_person", "查阅自然人信息", "read natural person's data"),
    EventType(Event.IDENTIFIER_CONFIRMED, "identifier.confirm", "确认校验位异常的代码", "confirmed identifier"),
    EventType(Event.RECORD_CREATED, "record.create", "新增信用记录", "created record"),
    EventType(Event.RECORD_VERSIONED, "record.version", "信用记录新版本", "new record version"),
    EventType(Event.RECORD_REVOKED, "record.revoke", "撤销信用记录", "revoked record"),
    # 5xx publicity (公示)
    EventType(Event.PUBLICITY_ASSESSED, "publicity.assess", "计算公示期限", "assessed publicity"),
    EventType(Event.PUBLICITY_PUBLISHED, "publicity.publish", "开始公示", "published"),
    EventType(Event.PUBLICITY_EXPIRED, "publicity.expire", "公示期满停止公示", "publicity period ended"),
    EventType(Event.PUBLICITY_WITHHELD, "publicity.withhold", "不予公示", "withheld from publication"),
    EventType(Event.PUBLICITY_REVOKED, "publicity.revoke", "记录撤销，撤下公示", "withdrawn: record revoked"),
    EventType(Event.PUBLICITY_REPAIRED, "publicity.repair", "信用修复，终止公示", "repaired: publication ended"),
    EventType(Event.PUBLICITY_HELD, "publicity.hold", "异议核查，暂停公示", "held for an objection"),
    EventType(Event.PUBLICITY_RESUMED, "publicity.resume", "异议核查结束，恢复公示", "publication resumed"),
    EventType(Event.PUBLICITY_ARCHIVED, "publicity.archive", "公示记录归档", "archived"),
    EventType(Event.PUBLICITY_REINSTATED, "publicity.reinstate", "更正后恢复公示", "reinstated after correction"),
    EventType(Event.PUBLICITY_SCHEDULED, "publicity.schedule", "待公示", "scheduled for publication"),
    EventType(Event.PUBLICITY_UNREPAIRED, "publicity.unrepair", "撤销信用修复，恢复公示", "repair revoked"),
    EventType(Event.PUBLICITY_TICK, "publicity.tick", "公示状态日常更新", "daily publicity run"),
    # 6xx lists (红黑名单)
    EventType(Event.LIST_ENTRY_CREATED, "list_entry.create", "列入名单", "entered a list"),
    EventType(Event.LIST_ENTRY_UPDATED, "list_entry.update", "名单条目变更", "list entry updated"),
    EventType(Event.LIST_ENTRY_REMOVED, "list_entry.remove", "移出名单", "removed from a list"),
    EventType(Event.LISTS_TICK, "lists.tick", "名单期满移出日常任务", "daily list expiry run"),
    EventType(Event.LIST_CASE_OPENED, "list_case.open", "名单认定立案", "opened identification case"),
    EventType(Event.LIST_CASE_BASIS_CHECKED, "list_case.check_basis", "名单认定依据审查", "checked legal basis"),
    EventType(Event.LIST_CASE_NOTIFIED, "list_case.notify", "告知当事人（陈述申辩）", "notified the subject"),
    EventType(Event.LIST_CASE_DEFENCE, "list_case.defence", "登记陈述申辩", "recorded the defence"),
    EventType(Event.LIST_CASE_DECIDED, "list_case.decide", "作出名单认定决定", "decided the listing"),
    EventType(Event.LIST_CASE_PUSHED, "list_case.push", "名单推送平台", "pushed the listing"),
    EventType(Event.LIST_CASE_DROPPED, "list_case.drop", "不予认定", "dropped the case"),
    # 7xx sanctions (联合奖惩)
    EventType(Event.MEASURE_SAVED, "measure.save", "保存奖惩措施", "saved a measure"),
    EventType(Event.CHECK_PERSON, "check.person", "联合奖惩核查自然人", "checked a natural person"),
    EventType(Event.CHECK_FEEDBACK, "check.feedback", "反馈措施实施情况", "recorded measure feedback"),
    EventType(Event.CHECK_BATCH, "check.batch", "批量核查", "ran a batch screening"),
    EventType(Event.WATCH_ADDED, "watch.add", "关注主体", "watched a subject"),
    EventType(Event.WATCH_REMOVED, "watch.remove", "取消关注", "stopped watching a subject"),
    # 8xx background jobs (后台任务)
    EventType(Event.JOB_RERUN, "job.rerun", "重新执行失败的后台任务", "re-ran a failed job"),
    EventType(Event.JOB_REQUEUED, "job.requeue", "工作进程停止，任务重新排队", "requeued a stopped worker's job"),
    EventType(Event.DEMO_SEEDED, "demo.seed", "生成演示数据", "seeded demo data"),
    EventType(Event.REPAIR_APPLICATION_MOVED, "repair.application", "信用修复申请办理", "repair application step"),
    EventType(Event.OBJECTION_MOVED, "repair.objection", "异议申诉办理", "objection step"),
    # 17xx commitments (信用承诺)
    EventType(Event.COMMITMENT_ELIGIBILITY, "commitment.eligibility", "告知承诺适用性核查", "checked 告知承诺 eligibility"),
    EventType(Event.COMMITMENT_VERIFIED, "commitment.verify", "信用承诺核查", "verified a commitment"),
    EventType(Event.COMMITMENT_BREACHED, "commitment.breach", "认定违背信用承诺", "recorded a commitment breach"),
    EventType(Event.COMMITMENT_EXPIRED, "commitment.expire", "信用承诺期满", "commitment term ended"),
    EventType(Event.REPORT_ISSUED, "report.issue", "出具公共信用信息报告", "issued a credit report"),
    EventType(Event.REPORT_AUTHORISED, "report.authorise", "登记个人信用报告查询授权", "recorded a person's authorisation"),
    EventType(Event.REPORT_SIGNING_ROTATED, "report.signing_rotate", "更换报告签章证书", "rotated the report signing key"),
    # 14xx evaluation (公共信用综合评价)
    EventType(Event.EVALUATION_RUN_STARTED, "evaluation.start", "发起公共信用综合评价", "started an evaluation run"),
    EventType(Event.EVALUATION_RUN_FINISHED, "evaluation.finish", "公共信用综合评价完成", "finished an evaluation run"),
    EventType(Event.EVALUATION_REFRESHED, "evaluation.refresh", "公共信用综合评价增量刷新", "re-scored changed subjects"),
    EventType(Event.SUBJECT_INDUSTRY_SET, "subject.industry", "登记主体行业门类", "set subjects' industry"),
    EventType(Event.RECORDS_CHUNK_IMPORTED, "record.import_chunk", "批量归集入库（分块）", "imported a chunk of records"),
    EventType(Event.SCORECARDS_COMPUTED, "governance.scorecards", "计算部门考核", "computed department scorecards"),
    EventType(Event.POLICY_TASK_SAVED, "governance.task", "保存政策任务", "saved a policy task"),
    EventType(Event.POLICY_TASK_PROGRESS, "governance.progress", "报送任务进展", "reported task progress"),
    EventType(Event.POLICY_TASK_ATTACHMENT, "governance.attachment", "下载任务进展附件", "downloaded a progress file"),
    EventType(Event.SUPERVISION_CHANGED, "supervision.library", "维护抽查事项、检查人员或对象库", "changed the supervision libraries"),
    EventType(Event.SUPERVISION_TASK, "supervision.task", "双随机抽查任务", "random inspection task step"),
    EventType(Event.SUPERVISION_RESULT, "supervision.result", "抽查检查结果", "inspection result step"),
    # 130 enterprise accounts; 22xx 信易贷 and 信易+ (issue 22)
    EventType(Event.ENTERPRISE_ACCOUNT_CREATED, "enterprise_account.create", "开通企业用户", "created an enterprise account"),
    EventType(Event.FINANCE_AUTHORISATION_GRANTED, "finance.authorise", "企业授权金融机构查询信用信息",
              "an enterprise authorised a financial institution"),
    EventType(Event.FINANCE_AUTHORISATION_REVOKED, "finance.revoke", "企业撤销授权", "an enterprise revoked an authorisation"),
    EventType(Event.FINANCE_PROFILE_READ, "finance.read", "金融机构查询企业信用信息", "a financial institution read a profile"),
    EventType(Event.FINANCE_PROFILE_REFUSED, "finance.refuse", "金融机构查询被拒绝", "a financial institution's read was refused"),
    EventType(Event.INCENTIVE_ELIGIBILITY, "incentive.eligibility", "信易+激励适用性核查", "checked 信易+ eligibility"),
    EventType(Event.INCENTIVE_USE, "incentive.use", "反馈信易+激励使用情况", "recorded use of a 信易+ benefit"),
    EventType(Event.FINANCE_PRODUCT_PUBLISHED, "finance.product", "金融机构发布信贷产品", "published a loan product"),
    EventType(Event.FINANCE_PRODUCT_CHANGED, "finance.product_change", "金融机构修改或下架信贷产品", "edited or withdrew a loan product"),
    EventType(Event.FINANCE_APPLICATION, "finance.application", "信易贷贷款申请办理", "loan application step"),
    EventType(Event.FINANCE_PERSON_AUTHORISED, "finance.person_authorise", "登记自然人查询授权", "registered a person's authorisation"),
    EventType(Event.FINANCE_NATIONAL_REPORT, "finance.national_report", "向全国信易贷平台报送", "reported to the national 信易贷 platform"),
    # 23xx government integrity (政务诚信)
    EventType(Event.ARREARS_MOVED, "arrears.step", "拖欠账款投诉办理", "arrears complaint step"),
    EventType(Event.STATE_ENTERPRISE_ADDED, "state_enterprise.add", "登记国有企业", "registered a state enterprise"),
    EventType(Event.INTEGRITY_GRANTED, "integrity.grant", "授予政务诚信岗位", "granted an integrity function"),
    EventType(Event.INTEGRITY_REVOKED, "integrity.revoke", "撤销政务诚信岗位", "revoked an integrity function"),
    EventType(Event.INTEGRITY_FILE_WRITTEN, "integrity_file.write", "诚信档案登记", "wrote an integrity file"),
    EventType(Event.INTEGRITY_FILE_READ, "integrity_file.read", "查阅诚信档案", "read an integrity file"),
    EventType(Event.APPOINTMENT_CHECK, "integrity_file.appointment_check", "任用诚信审查", "ran an appointment check"),
    EventType(Event.ARTICLE_MOVED, "integrity_article.step", "诚信宣传稿件办理", "integrity publicity step"),
    EventType(Event.GOV_CASE_MOVED, "gov_case.step", "政府失信案件办理", "government dishonesty case step"),
    EventType(Event.ACCOUNTABILITY_RECORDED, "gov_case.accountability", "登记问责", "recorded an accountability"),
    EventType(Event.CASE_OFFICE_GRANTED, "gov_case.office_granted", "授予政府失信办理单位", "granted a case office"),
    EventType(Event.CASE_OFFICE_REVOKED, "gov_case.office_revoked", "撤销政府失信办理单位", "revoked a case office"),
    EventType(Event.ENTERPRISE_REGISTRATION, "enterprise_registration.step", "企业用户注册办理", "enterprise registration step"),
]

EVENT_TYPES: dict[Event, EventType] = {t.event: t for t in _TYPES}
assert len(EVENT_TYPES) == len(Event), "every Event needs exactly one EventType"
