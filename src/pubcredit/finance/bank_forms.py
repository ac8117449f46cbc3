"""Forms of the bank's own console (金融机构工作台). They only parse what the officer typed; the services check it
(the same checks as the API) and their refusals come back on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms

from pubcredit.finance.choices import RepaymentProblemKind
from pubcredit.finance.rulebook import list_kinds, profile_book
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.finance import CLASS_LABELS, CLASS_ORDER

# the product's fields the form shows one to one; the conditions are built from the condition fields below
PRODUCT_FIELDS = ("name", "description", "amount_min", "amount_max", "term_months_min", "term_months_max",
                  "rate_min", "rate_max")


def red_list_choices() -> list[tuple[str, str]]:
    book, today = list_rulebook(), clock.today()
    return [(code, book.get(code, today).name_zh) for code, kind in list_kinds().items() if kind == "red"]


def _monthly_choices() -> list[tuple[str, str]]:
    return [(i.code, i.name_zh) for i in profile_book().items if i.source == "monthly"]


class ProductForm(forms.Form):
    """发布或修改信贷产品: amounts in 万元, terms in months, rates as annual %, and the entry conditions (准入条件)."""

    name = forms.CharField(label="产品名称", max_length=100)
    description = forms.CharField(label="产品说明", max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    amount_min = forms.DecimalField(label="最低额度（万元）", min_value=0, decimal_places=2)
    amount_max = forms.DecimalField(label="最高额度（万元）", min_value=0, decimal_places=2)
    term_months_min = forms.IntegerField(label="最短期限（月）", min_value=1)
    term_months_max = forms.IntegerField(label="最长期限（月）", min_value=1)
    rate_min = forms.DecimalField(label="最低年利率（%）", min_value=0, decimal_places=2)
    rate_max = forms.DecimalField(label="最高年利率（%）", min_value=0, decimal_places=2)
    no_black_list = forms.BooleanField(label="无黑名单记录", required=False,
                                       help_text="申请时不得有有效期内的黑名单（严重失信主体名单）记录")
    min_evaluation_class = forms.ChoiceField(
        label="综合评价最低类别", required=False,
        choices=[("", "不限")] + [(c, f"{CLASS_LABELS[c]}或以上") for c in CLASS_ORDER[:3]])
    red_lists = forms.MultipleChoiceField(label="须在以下红名单之一", required=False,
                                          widget=forms.CheckboxSelectMultiple)
    continuous_class = forms.ChoiceField(label="连续按月正常缴纳", required=False)
    continuous_months = forms.IntegerField(label="连续月数", required=False, min_value=1, max_value=120,
                                           help_text="申请当月之前连续若干个月均有正常缴纳记录")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["red_lists"].choices = red_list_choices()
        self.fields["continuous_class"].choices = [("", "不要求")] + _monthly_choices()

    def clean(self):
        data = super().clean()
        if data.get("continuous_class") and not data.get("continuous_months"):
            self.add_error("continuous_months", "请填写须连续正常缴纳的月数")
        if not (data.get("no_black_list") or data.get("min_evaluation_class") or data.get("red_lists")
                or data.get("continuous_class")):
            self.add_error(None, "请至少设定一项准入条件")  # a product's conditions are never empty (LoanProduct)
        return data

    def service_values(self, *, keep_statuses: tuple[str, ...] = ()) -> dict[str, Any]:
        """The service's keyword arguments: the product's fields and its conditions as data."""
        data = self.cleaned_data
        conditions: list[dict[str, Any]] = []
        if data["no_black_list"]:
            conditions.append({"kind": "no_black_list"})
        if data["min_evaluation_class"]:
            conditions.append({"kind": "min_evaluation_class", "value": data["min_evaluation_class"]})
        if data["red_lists"]:
            conditions.append({"kind": "red_lists_any", "lists": list(data["red_lists"])})
        if data["continuous_class"]:
            condition = {"kind": "continuous_months", "class_code": data["continuous_class"],
                         "months": data["continuous_months"]}
            if keep_statuses:
                condition["statuses"] = list(keep_statuses)
            conditions.append(condition)
        return {field: data[field] for field in PRODUCT_FIELDS} | {"conditions": conditions}

    @classmethod
    def initial_of(cls, product) -> dict[str, Any]:
        """A product's fields and conditions as the form's initial values (for 修改)."""
        initial = {field: getattr(product, field) for field in PRODUCT_FIELDS}
        for condition in product.conditions:
            kind = condition["kind"]
            if kind == "no_black_list":
                initial["no_black_list"] = True
            elif kind == "min_evaluation_class":
                initial["min_evaluation_class"] = condition["value"]
            elif kind == "red_lists_any":
                initial["red_lists"] = list(condition["lists"])
            elif kind == "continuous_months":
                initial["continuous_class"], initial["continuous_months"] = condition["class_code"], condition["months"]
        return initial

    @staticmethod
    def editable(product) -> bool:
        """The form holds one condition of each kind: a product published through the API with two of a kind (e.g.
        social insurance and housing fund months) is edited through the API, so nothing is silently dropped."""
        kinds = [c["kind"] for c in product.conditions]
        return len(kinds) == len(set(kinds))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class DecisionForm(forms.Form):
    """审批结果: approved with the amount, or not approved with the reason the enterprise is told."""

    approved = forms.TypedChoiceField(label="审批结果", choices=[("yes", "批准"), ("no", "不予批准")],
                                      coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    approved_amount = forms.DecimalField(label="批准金额（万元）", required=False, decimal_places=2)
    reason = forms.CharField(label="说明（不予批准的须填写原因，将告知企业）", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DisbursementForm(forms.Form):
    """放款登记: the amount, the day and whether it is the enterprise's first bank loan (首贷)."""

    amount = forms.DecimalField(label="放款金额（万元）", decimal_places=2)
    disbursed_on = forms.DateField(label="放款日", widget=forms.DateInput(attrs={"type": "date"}))
    first_loan = forms.TypedChoiceField(label="是否首贷", choices=[("yes", "是，该企业首次获得银行贷款"), ("no", "否")],
                                        coerce=lambda v: v == "yes", widget=forms.RadioSelect)


class RepaymentProblemForm(forms.Form):
    """贷后还款异常: overdue or non-performing, the day and the amount concerned."""

    kind = forms.ChoiceField(label="异常类型", choices=RepaymentProblemKind.choices)
    occurred_on = forms.DateField(label="发生日", widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label="涉及金额（万元）", decimal_places=2)
    note = forms.CharField(label="说明", required=False, max_length=500)


class ProfileReadForm(forms.Form):
    """查询企业信用信息: the enterprise (it must have authorised this institution) and the bank's own number."""

    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    reference = forms.CharField(label="业务编号（本机构的申请或合同编号）", required=False, max_length=200)


def domain_errors_to(form: forms.Form, exc: DomainError) -> None:
    """A service refusal on the form: on the field it names, else on the whole form."""
    for problem in exc.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message_zh)
