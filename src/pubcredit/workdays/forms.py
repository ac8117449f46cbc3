"""Forms of the calendar page: they check shapes; the services check the rules."""

from django import forms

from pubcredit.workdays.choices import DayKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type=date> expects


class CalendarDaySetForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput)
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(label="名称", max_length=50, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "如：国庆节"}))


class CalendarDayRemoveForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput)


class CalendarLoadForm(forms.Form):
    file = forms.FileField(label="节假日文件（.csv / .yaml）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".yaml", ".yml")):
            raise forms.ValidationError("只支持 .csv、.yaml 或 .yml 文件")
        return upload
