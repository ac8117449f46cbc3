"""Demo red and black lists (演示名单数据) for ``pubcredit seed_demo``.

Everything goes through the platform's services, as the departments would have done it:

- list entries are pushed by the identifying departments through the collection pipeline
  (``ingest.services.batch_submit_records`` → records → list entries → publicity), each push on its own receipt day
  over the past ~20 months (the clock is pinned to that day, as ``rules.clock`` allows for demos);
- two abnormal-operation entries are removed by a later push carrying 移出日期/移出事由, one court entry is deleted by
  the court (``list_entry_remove``), last year's A-level taxpayers expire (``lists_expire_due``);
- identification cases (认定程序) at three stages: a SAMR case in its defence period, an honour decided and pushed,
  a tax case just opened;
- a business department checks subjects before bidding, procurement and approval (应查必查) and records what it did
  with each measure (应惩必惩): ``sanctions.services``.

Deterministic for a seed and a demo day; small (a few dozen entries) so ``seed_demo`` stays quick. The words are in
``rulebook/demo.yaml`` (``lists``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from pubcredit.accounts.models import Department, User
from pubcredit.ingest.services import batch_submit_records
from pubcredit.lists.models import IdentificationCase, ListEntry
from pubcredit.lists.services import (identification_check_basis, identification_decide, identification_notify,
                                      identification_open, identification_push, list_entry_remove, lists_expire_due)
from pubcredit.records.choices import SubmissionChannel
from pubcredit.demo.records import SubjectFactory, submission_delay
from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions.models import Check
from pubcredit.sanctions.services import check_feedback_record, check_run
from pubcredit.workdays.selectors import work_calendar

_SAMR_PENALTIES = ({"penalty_types": "罚款", "fine_amount": "60"}, {"penalty_types": "罚款、责令停产停业", "fine_amount": "30"},
                   {}, {"penalty_types": "罚款", "fine_amount": "240"})
_CATEGORY = {"legal_person": "法人及非法人组织", "individual_business": "个体工商户", "natural_person": "自然人"}
_BASIS = {
    "court_dishonest_debtor": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
    "samr_serious_violation": "《市场监督管理严重违法失信名单管理办法》第二条、第十条",
    "business_anomaly": "《企业信息公示暂行条例》第十八条、《企业经营异常名录管理办法》",
    "major_tax_violator": "《重大税收违法失信主体信息公布管理办法》第六条",
    "tax_a_level": "《纳税缴费信用管理办法》（国家税务总局公告2025年第12号）",
    "integrity_honor": "《山东省社会信用条例》第二十六条",
}


class _Pool:
    """Demo subjects by kind (subject ``i`` is ``SubjectFactory(seed)(i)``, already registered by seed_subjects)."""

    def __init__(self, seed: int, subjects: int, rng: random.Random):
        self.make, self.rng = SubjectFactory(seed), rng
        self.by_kind: dict[str, list[int]] = defaultdict(list)
        for i in range(min(subjects, 5000)):
            self.by_kind[self.make(i).kind].append(i)

    def pick(self, count: int, *kinds: str):
        """Up to ``count`` distinct subjects of these kinds (fewer when the city is smaller)."""
        candidates = [i for kind in kinds for i in self.by_kind.get(kind, [])]
        return [self.make(i) for i in self.rng.sample(candidates, min(count, len(candidates)))]


def _subject_fields(subject, rng: random.Random, words: dict) -> dict[str, Any]:
    row: dict[str, Any] = {"subject_name": subject.name, "subject_category": _CATEGORY[subject.kind]}
    if subject.kind == "natural_person":
        row.update(id_type="身份证", id_number=subject.id_number)
    else:
        row.update(subject_uscc=subject.uscc,
                   legal_rep=rng.choice(words["surnames"]) + rng.choice(words["given_names"]))
    return row


class _Seeder:
    def __init__(self, *, subjects: int, seed: int, actor: Any):
        self.words = load_yaml("demo.yaml")
        self.cfg = self.words["lists"]
        self.rng = random.Random(seed * 7919 + 5)
        self.pool = _Pool(seed, subjects, self.rng)
        self.actor = actor
        self.today = clock.today()
        self.calendar = work_calendar()
        self.departments = {d.code: d for d in Department.objects.all()}
        self.pushes: dict[tuple[str, dt.date], list[dict]] = defaultdict(list)
        self.serial = 0
        self.stats: dict[str, int] = defaultdict(int)

    # --- dates ----------------------------------------------------------------------------------------------------

    def working_day(self, day: dt.date) -> dt.date:
        while not self.calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def decided_and_received(self, oldest: int = 560, newest: int = 15) -> tuple[dt.date, dt.date]:
        decided = self.working_day(self.today - dt.timedelta(days=self.rng.randint(newest, oldest)))
        received = self.calendar.add_working_days(decided, submission_delay(self.rng)).value
        return decided, min(received, self.today)

    def pusher(self, list_code: str) -> Department:
        return self.departments[self.cfg["pushers"][list_code]]

    def common(self, list_code: str, decided: dt.date, decision_no: str, unit: str) -> dict[str, Any]:
        source = self.pusher(list_code)
        return {"decision_no": decision_no, "decision_date": decided.isoformat(), "identifying_unit": unit,
                "listing_basis": _BASIS[list_code], "source_name": source.name, "source_uscc": source.uscc}

    def push(self, list_code: str, received: dt.date, row: dict[str, Any]) -> None:
        self.pushes[(list_code, received)].append(row)

    # --- rows of each list ----------------------------------------------------------------------------------------

    def court(self) -> None:
        count, persons = self.cfg["counts"]["court_dishonest_debtor"], self.cfg["counts"]["court_persons"]
        subjects = self.pool.pick(count - persons, "legal_person", "individual_business")
        subjects += self.pool.pick(persons, "natural_person")
        for subject in subjects:
            decided, received = self.decided_and_received(oldest=700)
            court, code = self.rng.choice(self.cfg["courts"])
            self.serial += 1
            case_no = f"（{decided.year}）鲁{code}执{100 + self.serial}号"
            amount = self.rng.choice([3, 8, 12, 26, 45, 80, 150])
            row = {**_subject_fields(subject, self.rng, self.words), "case_no": case_no, "court_name": court,
                   "basis_doc_no": f"（{decided.year - 1}）鲁{code}民初{2000 + self.serial}号", "basis_issuer": court,
                   "filing_date": (decided - dt.timedelta(days=self.rng.randint(60, 200))).isoformat(),
                   "obligation": f"{self.rng.choice(self.cfg['obligations'])}{amount}万元及利息",
                   "performance": self.rng.choice(["全部未履行", "部分未履行"]),
                   "dishonest_conduct": ";".join(self.rng.choice(self.cfg["court_conduct"])),
                   "publish_date": received.isoformat(), "province": "山东",
                   **self.common("court_dishonest_debtor", decided, f"{case_no}之一", court)}
            if subject.kind == "natural_person":
                row["sex"] = "男" if int(subject.id_number[16]) % 2 else "女"
            self.push("court_dishonest_debtor", received, row)

    def samr(self) -> None:
        unit = self.pusher("samr_serious_violation").name
        for subject in self.pool.pick(self.cfg["counts"]["samr_serious_violation"], "legal_person"):
            decided, received = self.decided_and_received(oldest=900)
            self.serial += 1
            self.push("samr_serious_violation", received, {
                **_subject_fields(subject, self.rng, self.words),
                "listing_reason": self.rng.choice(self.cfg["samr_reasons"]),
                "penalty_decision_no": f"淄市监罚〔{decided.year}〕{300 + self.serial}号",
                # the penalty behind the listing decides the procurement bar (财库〔2022〕3号); a third left blank
                # shows the "to verify" answer. From the serial, so the random stream of the rest stays as it was.
                **_SAMR_PENALTIES[self.serial % len(_SAMR_PENALTIES)],
                **self.common("samr_serious_violation", decided, f"淄市监严〔{decided.year}〕{self.serial}号", unit)})

    def anomaly(self) -> list[tuple[dt.date, dict]]:
        unit = self.pusher("business_anomaly").name
        rows = []
        for subject in self.pool.pick(self.cfg["counts"]["business_anomaly"], "legal_person", "individual_business"):
            decided, received = self.decided_and_received(oldest=420)
            self.serial += 1
            row = {**_subject_fields(subject, self.rng, self.words),
                   "listing_reason": self.rng.choice(self.cfg["anomaly_reasons"]),
                   **self.common("business_anomaly", decided, f"淄市监异〔{decided.year}〕{self.serial}号", unit)}
            self.push("business_anomaly", received, row)
            rows.append((received, row))
        return rows

    def tax(self) -> None:
        unit = self.pusher("major_tax_violator").name
        for subject in self.pool.pick(self.cfg["counts"]["major_tax_violator"], "legal_person"):
            decided, received = self.decided_and_received(oldest=800)
            self.serial += 1
            category = self.rng.choice(self.cfg["tax_categories"])
            amount = self.rng.choice([120, 186, 240, 512])
            self.push("major_tax_violator", received, {
                **_subject_fields(subject, self.rng, self.words),
                "registered_address": f"淄博市张店区{self.rng.choice(['人民西路', '华光路', '柳泉路', '共青团西路'])}"
                                      f"{self.rng.randint(1, 300)}号",
                "violation_category": category,
                "violation_facts": f"经查，当事人{category}，少缴税款{amount}万元。",
                "tax_decision": f"追缴税款{amount}万元，加收滞纳金，并处少缴税款一倍罚款",
                **self.common("major_tax_violator", decided, f"淄税稽罚〔{decided.year}〕{self.serial}号", unit)})

    def tax_a(self) -> None:
        unit = self.pusher("tax_a_level").name
        this_year = dt.date(self.today.year, 4, 20)
        if this_year > self.today - dt.timedelta(days=10):
            this_year = dt.date(self.today.year - 1, 4, 20)
        counts = self.cfg["counts"]
        for decided, count in ((this_year, counts["tax_a_level"]),
                               (dt.date(this_year.year - 1, 4, 20), counts["tax_a_level_last_year"])):
            decided = self.working_day(decided)
            received = self.calendar.add_working_days(decided, 3).value
            for n, subject in enumerate(self.pool.pick(count, "legal_person"), start=1):
                self.push("tax_a_level", received, {
                    **_subject_fields(subject, self.rng, self.words), "rating_year": str(decided.year - 1),
                    **self.common("tax_a_level", decided, f"淄税A〔{decided.year}〕{n}号", unit)})

    def honors(self) -> None:
        for subject in self.pool.pick(self.cfg["counts"]["integrity_honor"], "legal_person"):
            decided, received = self.decided_and_received(oldest=600)
            name, level = self.rng.choice(self.cfg["honors"])
            self.serial += 1
            self.push("integrity_honor", received, {
                **_subject_fields(subject, self.rng, self.words), "honor_name": name, "honor_level": level,
                **self.common("integrity_honor", decided, f"淄政字〔{decided.year}〕{self.serial}号", "淄博市人民政府")})

    # --- running it through the services --------------------------------------------------------------------------

    def submit_all(self) -> None:
        for (list_code, received), rows in sorted(self.pushes.items(), key=lambda item: (item[0][1], item[0][0])):
            with clock.pinned(received):
                batch = batch_submit_records(class_code=list_code, records=rows, department=self.pusher(list_code),
                                             actor=self.actor, channel=SubmissionChannel.DEMO)
            if batch.summary["rejected_count"]:
                raise DomainError("demo.rejected", f"演示名单数据被拒收：{batch.summary['rejected'][:1]}",
                                  f"demo list rows rejected: {batch.summary['rejected'][:1]}")
            self.stats["list_records"] += batch.summary["created"] + batch.summary["updated"]
            self.stats["batches"] += 1

    def removals(self, anomalies: list[tuple[dt.date, dict]]) -> None:
        """Two abnormal-operation entries removed after the enterprise remedied (a later push with 移出日期/事由), and
        one court entry deleted by the court after performance (法释〔2017〕7号 第十条)."""
        candidates = [(r, row) for r, row in anomalies if r <= self.today - dt.timedelta(days=30)]
        for received, row in candidates[:self.cfg["counts"]["business_anomaly_removed"]]:
            removed = self.working_day(received + dt.timedelta(days=self.rng.randint(20, 90)))
            removed = min(max(removed, received), self.today)
            with clock.pinned(removed):
                batch_submit_records(class_code="business_anomaly", department=self.pusher("business_anomaly"),
                                     records=[{**row, "removal_date": removed.isoformat(), "removal_reason": "信用修复"}],
                                     actor=self.actor, channel=SubmissionChannel.DEMO)
            self.stats["removed"] += 1
        courts = (ListEntry.objects.filter(list_code="court_dishonest_debtor", status="in_force",
                                           subject__kind__in=["legal_person", "individual_business"])
                  .order_by("decision_date", "id")[:self.cfg["counts"]["court_deleted"]])
        for entry in courts:
            day = min(self.today, self.working_day(entry.created_at.astimezone(clock.PLATFORM_TZ).date()
                                                   + dt.timedelta(days=45)))
            with clock.pinned(day):
                list_entry_remove(entry=entry, reason="court_deleted", actor=self.actor,
                                  note="被执行人已履行生效法律文书确定的义务，执行法院决定删除失信信息（法释〔2017〕7号第十条第一款第一项）")
            self.stats["removed"] += 1
        self.stats["expired"] += lists_expire_due(today=self.today, actor=self.actor).expired

    def cases(self) -> None:
        """Identification cases (认定程序) at three stages."""
        scjg = self.departments["SCJGJ"]
        provider = User.objects.filter(username="scjg").first() or self.actor
        operator = User.objects.filter(username="operator").first() or self.actor
        days = [self.calendar.add_working_days(self.today, -n).value for n in range(0, 13)]
        # 1. SAMR serious violation: notified, in the subject's defence period (陈述申辩期)
        samr_subject = self.pool.pick(1, "legal_person")[0]
        with clock.pinned(days[4]):
            case = identification_open(
                list_code="samr_serious_violation", department=scjg, subject_name=samr_subject.name,
                subject_category="legal_person", uscc=samr_subject.uscc,
                grounds="当事人在食品经营许可申请中提交虚假材料骗取许可，已被吊销许可证件，属于严重违法失信行为。",
                cited_basis="《市场监督管理严重违法失信名单管理办法》第十条第一项",
                finding_document=f"淄市监罚〔{self.today.year}〕418号", extra={"listing_reason": "提交虚假材料骗取食品经营许可"},
                actor=provider)
            identification_check_basis(case=case, actor=provider)
        with clock.pinned(days[2]):
            identification_notify(case=case, notice_no=f"淄市监严告〔{self.today.year}〕7号", served_on=days[2],
                                  actor=provider)
        # 2. an integrity honour (red list, no prior notice): decided and pushed to the platform
        centre = self.departments["ZX-XYB"]
        honour_subject = self.pool.pick(1, "legal_person")[0]
        with clock.pinned(days[12]):
            case = identification_open(
                list_code="integrity_honor", department=centre, subject_name=honour_subject.name,
                subject_category="legal_person", uscc=honour_subject.uscc,
                grounds="连续三年无失信记录，积极履行社会责任，经评审拟授予淄博市诚信示范企业称号。",
                cited_basis="《山东省社会信用条例》第二十六条", finding_document=f"淄信评〔{self.today.year}〕3号",
                extra={"honor_name": "淄博市诚信示范企业", "honor_level": "市级"}, actor=operator)
            identification_check_basis(case=case, actor=operator)
        with clock.pinned(days[10]):
            identification_decide(case=case, decision_no=f"淄政字〔{self.today.year}〕88号", decision_date=days[10],
                                  actor=operator)
        with clock.pinned(days[9]):
            identification_push(case=case, actor=operator)
        # 3. a major tax violator: just opened (立案), basis not yet checked
        tax_subject = self.pool.pick(1, "legal_person")[0]
        with clock.pinned(days[1]):
            identification_open(
                list_code="major_tax_violator", department=self.departments["SWJ"], subject_name=tax_subject.name,
                subject_category="legal_person", uscc=tax_subject.uscc,
                grounds="经稽查，当事人虚开增值税专用发票，税务行政处罚决定已生效。",
                cited_basis="《重大税收违法失信主体信息公布管理办法》第六条第五项",
                finding_document=f"淄税稽罚〔{self.today.year}〕56号",
                extra={"violation_category": "虚开增值税专用发票", "violation_facts": "虚开增值税专用发票36份，价税合计410万元。",
                       "tax_decision": "处以罚款50万元"},
                actor=self.actor)
        self.stats["cases"] = IdentificationCase.objects.count()

    def checks(self) -> None:
        """A business department checks subjects before deciding (应查必查) and feeds back each measure (应惩必惩)."""
        department = self.departments["ZJJ"]
        user = User.objects.filter(username="zjj").first() or self.actor
        in_force = ListEntry.objects.filter(status="in_force", subject__kind="legal_person").order_by("id")
        wanted = (("court_dishonest_debtor", "bidding"), ("samr_serious_violation", "government_procurement"),
                  ("tax_a_level", "administrative_approval"))
        targets = [(e.subject.uscc, scenario) for code, scenario in wanted for e in in_force.filter(list_code=code)[:1]]
        clean = self.pool.pick(1, "legal_person")
        if clean and not ListEntry.objects.filter(subject__uscc=clean[0].uscc, status="in_force").exists():
            targets.append((clean[0].uscc, "bidding"))
        references = self.cfg["check_references"]
        for n, (code, scenario) in enumerate(targets):
            with clock.pinned(self.calendar.add_working_days(self.today, -(n + 1)).value):
                check = check_run(department=department, subject={"uscc": code}, scenario=scenario,
                                  reference=references[n % len(references)], actor=user)
                measures = [m for hit in check.hits for m in hit["measures"]]
                for i, measure in enumerate(dict((m["code"], m) for m in measures).values()):
                    applied = measure["mandatory"] or i % 2 == 0
                    check_feedback_record(check=check, measure_code=measure["code"], applied=applied, actor=user,
                                          note="" if applied else "本项目不涉及该事项，未实施")
                    self.stats["feedback"] += 1
        self.stats["checks"] = Check.objects.filter(department=department).count()


def seed_lists(*, subjects: int, seed: int, actor: Any) -> dict[str, int]:
    """Red and black list demo data (see the module docstring). Returns counts for the command's summary."""
    seeder = _Seeder(subjects=subjects, seed=seed, actor=actor)
    seeder.court()
    seeder.samr()
    anomalies = seeder.anomaly()
    seeder.tax()
    seeder.tax_a()
    seeder.honors()
    seeder.submit_all()
    seeder.removals(anomalies)
    seeder.cases()
    seeder.checks()
    seeder.stats["entries"] = ListEntry.objects.count()
    seeder.stats["in_force"] = ListEntry.objects.filter(status="in_force").count()
    return dict(seeder.stats)
