"""Forms of the list pages (红黑名单): identification cases, their steps, and removals. Shapes only; the services
and the pure rules decide what is valid."""

from __future__ import annotations

from django import forms

from pubcredit.catalog.registry import get_class
from pubcredit.catalog.schema import FieldSpec
from pubcredit.lists.choices import RemovalReasonChoice
from pubcredit.lists.rulebook import rulebook
from pubcredit.lists.services import CASE_FIELDS
from pubcredit.rules import clock

DATE = forms.DateInput(attrs={"type": "date"})
AREA = forms.Textarea(attrs={"rows": 3, "cols": 80})
EXTRA_PREFIX = "extra__"


def city_list_choices() -> list[tuple[str, str]]:
    book, today = rulebook(), clock.today()
    return [(code, book.get(code, today).name_zh) for code in book.codes() if book.get(code, today).identified_in_city]


def _extra_field(spec: FieldSpec) -> forms.Field:
    label = spec.label_zh
    if spec.type == "enum":
        return forms.ChoiceField(label=label, choices=[(v.code, v.label_zh) for v in spec.values])
    if spec.type == "multi_enum":
        return forms.MultipleChoiceField(label=label, choices=[(v.code, v.label_zh) for v in spec.values],
                                         widget=forms.CheckboxSelectMultiple)
    if spec.type == "date":
        return forms.DateField(label=label, widget=DATE)
    if spec.type == "text":
        return forms.CharField(label=label, widget=AREA, max_length=spec.max_length)
    return forms.CharField(label=label, max_length=spec.max_length)


class CaseOpenForm(forms.Form):
    """立案: the subject, the grounds, the cited basis and the finding document, plus the list's own fields."""

    subject_category = forms.ChoiceField(label="主体类别", choices=())
    subject_name = forms.CharField(label="当事人名称", max_length=200)
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    id_number = forms.CharField(label="身份证号码（自然人）", max_length=30, required=False)
    grounds = forms.CharField(label="认定的事实和理由", widget=AREA)
    cited_basis = forms.CharField(label="认定依据（法律、法规、规章名称及条款）", widget=AREA)
    finding_document = forms.CharField(label="认定失信行为的生效文书（判决书、处罚决定书等文号）", max_length=200)

    def __init__(self, *args, list_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.info_class = get_class(list_code)
        self.fields["subject_category"].choices = [(v.code, v.label_zh)
                                                   for v in self.info_class.field("subject_category").values]
        self.extra_keys = []
        for spec in self.info_class.fields:
            if spec.required and spec.key not in CASE_FIELDS:
                self.fields[EXTRA_PREFIX + spec.key] = _extra_field(spec)
                self.extra_keys.append(spec.key)

    def extra(self) -> dict:
        out = {}
        for key in self.extra_keys:
            value = self.cleaned_data.get(EXTRA_PREFIX + key)
            if isinstance(value, list):
                value = "；".join(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out[key] = value
        return out


class NotifyForm(forms.Form):
    notice_no = forms.CharField(label="告知书文号", max_length=128)
    served_on = forms.DateField(label="送达日期", widget=DATE)


class DefenceForm(forms.Form):
    defence = forms.CharField(label="陈述申辩意见", widget=AREA)
    reply = forms.CharField(label="采纳情况及理由", widget=AREA)
    received_on = forms.DateField(label="收到日期", widget=DATE)


class DecideForm(forms.Form):
    decision_no = forms.CharField(label="认定决定书文号", max_length=128)
    decision_date = forms.DateField(label="认定日期", widget=DATE)
    effective_date = forms.DateField(label="生效日期（不填为认定日期）", widget=DATE, required=False)
    planned_end = forms.DateField(label="计划移出日期（不填按规则库期限）", widget=DATE, required=False)
    removal_conditions = forms.CharField(label="移出条件和程序", widget=AREA)
    remedies = forms.CharField(label="救济途径", widget=AREA)


class DropForm(forms.Form):
    reason = forms.CharField(label="不予认定的理由", widget=AREA)


class RemoveForm(forms.Form):
    reason = forms.ChoiceField(label="移出事由", choices=RemovalReasonChoice.choices)
    on = forms.DateField(label="移出日期", widget=DATE, required=False)
    note = forms.CharField(label="依据（修复决定书、法院删除通知等）", widget=AREA)
