from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "pubcredit.commitments"
    label = "commitments"
    verbose_name = "信用承诺 (credit commitments)"

    def ready(self) -> None:
        # the matter rule, one approval one commitment and the status moves hold on every collection channel
        from pubcredit.catalog.plan import register_class_check
        from pubcredit.commitments.checks import commitment_rows_check
        from pubcredit.commitments.rulebook import COMMITMENT_CLASS

        register_class_check(COMMITMENT_CLASS, commitment_rows_check)
