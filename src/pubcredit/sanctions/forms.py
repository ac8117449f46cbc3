"""Forms of the joint reward and punishment pages (联合奖惩). Shapes only: the services and the pure rules decide."""

from __future__ import annotations

import yaml
from django import forms

from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.rules import clock
from pubcredit.rules.evaluation import CLASS_LABELS, GRADE_CLASS
from pubcredit.rules.sanctions import FORCE_LABELS, GRADES, IMPLEMENTER_LABELS, MEASURE_CODE_PATTERN, Measure
from pubcredit.sanctions.rulebook import checkable_scenarios, scenarios

DATE = forms.DateInput(attrs={"type": "date"})
AREA = forms.Textarea(attrs={"rows": 3, "cols": 80})
KINDS = [("uscc", "统一社会信用代码"), ("id_number", "身份证号码（自然人）")]
SCREENING_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


def scenario_choices() -> list[tuple[str, str]]:
    return [(code, s.name_zh) for code, s in checkable_scenarios().items()]


class CheckForm(forms.Form):
    """联合奖惩核查: one subject, one scenario, the department's case number."""

    kind = forms.ChoiceField(label="代码类型", choices=KINDS, initial="uscc", widget=forms.RadioSelect)
    code = forms.CharField(label="代码", max_length=40)
    scenario = forms.ChoiceField(label="业务场景", choices=())
    reference = forms.CharField(label="业务编号（案号、项目编号）", max_length=200, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = scenario_choices()
        if departments is not None:
            self.fields["department"] = forms.ModelChoiceField(label="核查部门", queryset=departments,
                                                               empty_label="—请选择部门—")
            self.order_fields(["department", "kind", "code", "scenario", "reference"])

    def subject(self) -> dict:
        return {self.cleaned_data["kind"]: self.cleaned_data["code"]}


class FeedbackForm(forms.Form):
    measure_code = forms.CharField(widget=forms.HiddenInput)
    applied = forms.TypedChoiceField(label="实施情况", choices=[("1", "已实施"), ("0", "未实施")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = forms.CharField(label="说明（未实施的须说明理由）", widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                           required=False)


class FeedbackAllForm(forms.Form):
    """One form for every measure of a check still awaiting feedback: per measure, applied or not and a note, each
    field labelled with the measure's name so an error says which measure it is about."""

    def __init__(self, *args, measures: list[dict], **kwargs):
        super().__init__(*args, prefix="all", **kwargs)
        self.measures = measures
        for m in measures:
            key = m["code"].replace(".", "-")
            self.fields[f"{key}-applied"] = forms.TypedChoiceField(
                label=f"{m['name']}：实施情况", choices=[("1", "已实施"), ("0", "未实施")], coerce=lambda v: v == "1",
                widget=forms.RadioSelect, error_messages={"required": f"{m['name']}：请选择是否实施"})
            self.fields[f"{key}-note"] = forms.CharField(
                label="说明（未实施的须说明理由）", required=False,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))

    def rows(self):
        """Per measure: the measure, its applied field and its note field (for the template)."""
        for m in self.measures:
            key = m["code"].replace(".", "-")
            yield {"measure": m, "applied": self[f"{key}-applied"], "note": self[f"{key}-note"]}

    def answers(self) -> list[dict]:
        return [{"measure_code": m["code"], "applied": self.cleaned_data[f"{m['code'].replace('.', '-')}-applied"],
                 "note": self.cleaned_data[f"{m['code'].replace('.', '-')}-note"]} for m in self.measures]

    def add_service_errors(self, problems) -> None:
        """Put each refused answer's message on its measure's field (``measures.<code>.<field>``)."""
        for problem in problems:
            field = (problem.field or "").removeprefix("measures.")
            code, _, part = field.rpartition(".")  # measure codes may contain dots themselves
            name = f"{code.replace('.', '-')}-{part}"
            self.add_error(name if name in self.fields else None, problem.message_zh)


class BatchForm(forms.Form):
    scenario = forms.ChoiceField(label="业务场景", choices=())
    file = forms.FileField(label="名单文件（CSV / XLSX，含“统一社会信用代码”或“身份证号码”列，可含“主体名称”“业务编号”）")

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = scenario_choices()
        if departments is not None:
            self.fields["department"] = forms.ModelChoiceField(label="核查部门", queryset=departments,
                                                               empty_label="—请选择部门—")
            self.order_fields(["department", "scenario", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SCREENING_SUFFIXES):
            raise forms.ValidationError("只支持 CSV 或 XLSX 文件")
        return upload


class WatchForm(forms.Form):
    kind = forms.ChoiceField(label="代码类型", choices=KINDS, initial="uscc", widget=forms.RadioSelect)
    code = forms.CharField(label="代码", max_length=40)
    label = forms.CharField(label="名称或备注", max_length=200, required=False)

    def subject(self) -> dict:
        return {self.cleaned_data["kind"]: self.cleaned_data["code"]}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("；", "\n").splitlines() if line.strip()]


class MeasureForm(forms.Form):
    """An operator's version of a measure. Legal basis: one per line, ``文件名称 | 条款``."""

    code = forms.RegexField(label="措施代码", regex=MEASURE_CODE_PATTERN, max_length=80,
                            help_text="小写英文、数字、下划线，用点分隔，如 court.procurement_refuse")
    name_zh = forms.CharField(label="措施名称", max_length=300, widget=AREA)
    kind = forms.ChoiceField(label="类别", choices=[("punish", "惩戒"), ("reward", "激励")])
    lists = forms.MultipleChoiceField(label="触发名单", choices=(), widget=forms.CheckboxSelectMultiple, required=False)
    # 公共信用综合评价等级 (issue 14): organisations only; the evaluation is not in itself a basis for punishment
    grades = forms.MultipleChoiceField(
        label="触发的综合评价等级", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(g, f"{g}（{CLASS_LABELS[GRADE_CLASS[g]]}）") for g in GRADES],
        help_text="由公共信用综合评价等级触发的措施（仅法人等组织，自然人不参与评价）；须选择触发名单或评价等级至少一项")
    scenarios = forms.MultipleChoiceField(label="适用业务场景", choices=(), widget=forms.CheckboxSelectMultiple)
    implementing = forms.CharField(label="实施部门（每行一个）", widget=AREA)
    implemented_by = forms.ChoiceField(label="实施主体", choices=list(IMPLEMENTER_LABELS.items()),
                                       initial="checking_department", required=False,
                                       help_text="仅由登记机关、市场监督管理部门、税务机关或人民法院实施的，对其他核查部门只作为信息提示")
    conditions = forms.CharField(
        label="适用条件（YAML）", widget=forms.Textarea(attrs={"rows": 6, "cols": 80}), required=False,
        help_text="如 subject_kinds: [natural_person]；all/any: - {fact: 列入名单字段, in: [代码] 或 at_least: 数值, "
                  "zh: 条件文字}；verify_zh: 须人工核实的条件。留空：无条件适用")
    force = forms.ChoiceField(label="约束力", choices=list(FORCE_LABELS.items()))
    legal_basis = forms.CharField(label="法律依据（每行一条：文件名称 | 条款；惩戒措施必填）", widget=AREA, required=False)
    effective_from = forms.DateField(label="生效日期", widget=DATE)
    effective_to = forms.DateField(label="失效日期", widget=DATE, required=False)
    sources = forms.CharField(label="出处（来源编号，逗号分隔）", max_length=200, required=False)
    note_zh = forms.CharField(label="备注", widget=AREA, required=False)
    reason = forms.CharField(label="修改说明", widget=AREA)

    def __init__(self, *args, fixed_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        book, today = list_rulebook(), clock.today()
        self.fields["lists"].choices = [(c, book.get(c, today).name_zh) for c in book.codes()]
        self.fields["scenarios"].choices = [(c, s.name_zh) for c, s in scenarios().items()]
        if fixed_code:
            self.fields["code"].widget.attrs["readonly"] = True

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        return {"code": measure.code, "name_zh": measure.name_zh, "kind": measure.kind, "lists": list(measure.lists),
                "grades": list(measure.grades), "scenarios": list(measure.scenarios), "implementing": "\n".join(measure.implementing),
                "force": measure.force,
                "legal_basis": "\n".join(f"{b.instrument} | {b.article}" if b.article else b.instrument
                                         for b in measure.legal_basis),
                "effective_from": measure.effective_from, "effective_to": measure.effective_to,
                "sources": ", ".join(measure.sources), "note_zh": measure.note_zh,
                "implemented_by": measure.implemented_by,
                "conditions": "" if measure.conditions.empty else yaml.safe_dump(
                    measure.conditions.model_dump(mode="json", by_alias=True, exclude_defaults=True),
                    allow_unicode=True, sort_keys=False)}

    def clean(self):
        data = super().clean()
        if not data.get("lists") and not data.get("grades"):
            self.add_error("lists", "须选择触发名单或综合评价等级至少一项")
        return data

    def clean_conditions(self):
        text = self.cleaned_data.get("conditions") or ""
        if not text.strip():
            return {}
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise forms.ValidationError(f"适用条件不是有效的 YAML：{exc}") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("适用条件须为键值对（subject_kinds、all、any、verify_zh）")
        return value

    def measure_data(self) -> dict:
        data = self.cleaned_data
        basis = []
        for line in _lines(data.get("legal_basis", "")):
            instrument, _, article = line.partition("|")
            basis.append({"instrument": instrument.strip(), "article": article.strip()})
        return {"code": data["code"], "name_zh": data["name_zh"].strip(), "kind": data["kind"],
                "lists": data["lists"], "grades": data.get("grades") or [], "scenarios": data["scenarios"], "implementing": _lines(data["implementing"]),
                "force": data["force"], "legal_basis": basis, "effective_from": data["effective_from"],
                "effective_to": data.get("effective_to"),
                "sources": [s.strip() for s in (data.get("sources") or "").split(",") if s.strip()],
                "note_zh": (data.get("note_zh") or "").strip(),
                "implemented_by": data.get("implemented_by") or "checking_department",
                "conditions": data.get("conditions") or {}}
