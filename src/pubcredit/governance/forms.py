"""Forms of the task ledger: shapes only; the services check the rules (units, figures, status moves, files)."""

from __future__ import annotations

from django import forms

from pubcredit.rules.governance import RECURRENCE_LABELS, TASK_STATUS_LABELS


class TaskEditForm(forms.Form):
    lead_units = forms.CharField(label="牵头单位", help_text="多个单位用顿号或逗号分隔", required=False)
    co_units = forms.CharField(label="配合单位", required=False)
    deadline = forms.DateField(label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    recurrence = forms.ChoiceField(label="调度周期", choices=list(RECURRENCE_LABELS.items()), required=False)
    indicators = forms.CharField(label="关联平台指标", help_text="指标代码，逗号分隔", required=False)
    status = forms.ChoiceField(label="状态", choices=[(k.value, v) for k, v in TASK_STATUS_LABELS.items()])
    reason = forms.CharField(label="修改说明", required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one (type by content, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    unit = forms.CharField(label="报送单位")
    period = forms.DateField(label="调度期（当月任一天）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label="附件", required=False,
                              help_text="可多选：PDF、JPG、PNG、Word（docx）、Excel（xlsx），每个不超过10MB，最多10个")
