from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.audit.services import SystemActor
from pubcredit.demo import commitments as commitments_demo
from pubcredit.demo import finance as finance_demo
from pubcredit.demo import lists as lists_demo
from pubcredit.demo import records as demo
from pubcredit.records.selectors import records_exist


class Command(BaseCommand):
    help = ("Generate reproducible Zibo demo data (演示数据) through the platform's services — subjects, licences and "
            "penalties, red and black lists with identification cases and checks, credit commitments, 信易贷 loans — and print the demo logins.")

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1500, help="number of credit subjects (default 1500)")
        parser.add_argument("--records", type=int, default=6000, help="number of licences and penalties (default 6000)")
        parser.add_argument("--seed", type=int, default=2021, help="random seed; the same seed gives the same data")
        parser.add_argument("--if-empty", action="store_true", help="only generate when the database has no records")

    def handle(self, *args, **opts):
        if opts["subjects"] < 1 or opts["records"] < 0:
            raise CommandError("--subjects must be at least 1 and --records at least 0")
        actor = SystemActor("cli:seed_demo")
        logins = demo.ensure_departments_and_users(actor)
        finance_demo.ensure_bank(actor)
        if opts["if_empty"] and records_exist():
            self.stdout.write("database already has records: demo data not generated again")
        else:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            with Progress(*columns, transient=False) as progress:
                task = progress.add_task("信用主体 subjects", total=opts["subjects"])
                demo.seed_subjects(subjects=opts["subjects"], seed=opts["seed"], actor=actor,
                                   progress=lambda n: progress.advance(task, n))
                task = progress.add_task("信用记录 records", total=opts["records"])
                totals = demo.seed_records(subjects=opts["subjects"], records=opts["records"], seed=opts["seed"],
                                           actor=actor, progress=lambda n: progress.advance(task, n))
                task = progress.add_task("红黑名单 lists, cases, checks", total=1)
                lists = lists_demo.seed_lists(subjects=opts["subjects"], seed=opts["seed"], actor=actor)
                progress.advance(task, 1)
                task = progress.add_task("信用承诺 commitments", total=1)
                commitments = commitments_demo.seed_commitments(subjects=opts["subjects"], seed=opts["seed"],
                                                                actor=actor)
                progress.advance(task, 1)
                task = progress.add_task("信易贷 lending", total=1)
                lending = finance_demo.seed_finance(subjects=opts["subjects"], seed=opts["seed"], actor=actor)
                progress.advance(task, 1)
            audit.record(Event.DEMO_SEEDED, actor=actor, object_type="database",
                         data={"subjects": opts["subjects"], "records": opts["records"], "seed": opts["seed"], **totals,
                               "lists": lists, "commitments": commitments, "lending": lending})
            self.stdout.write(f"demo data: {opts['subjects']} subjects, {totals}")
            self.stdout.write(f"demo lists: {lists}")
            self.stdout.write(f"demo commitments: {commitments}")
            self.stdout.write(f"demo lending: {lending}")
            # sealed now, not by the worker later: a trail checked right after seeding is whole on a slow host too
            while audit.audit_chain_seal():
                pass
        self.stdout.write("demo logins (username / password):")
        for username, password, display in logins:
            self.stdout.write(f"  {username:<10} {password:<15} {display}")
        self.stdout.write("bank officer (/finance/bank/) and enterprise (public site) logins:")
        for username, password, display in (finance_demo.BANK_LOGIN, finance_demo.ENTERPRISE_LOGIN):
            self.stdout.write(f"  {username:<10} {password:<15} {display}")
