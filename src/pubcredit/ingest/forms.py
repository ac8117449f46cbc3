"""Forms of the collection pages (归集): upload a file, enter one record by hand.

Forms check shapes only. Whether a value is valid is the catalogue's plan's business (the same for files, API
calls and forms), so the record form marks required fields but leaves every field optional for Django and shows
the plan's field-level errors next to the fields.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from pubcredit.catalog.registry import all_classes
from pubcredit.catalog.schema import FieldSpec, InfoClass
from pubcredit.catalog.xlsx import format_text_zh, required_text_zh
from pubcredit.request_limits import human_size
from pubcredit.rules.errors import DomainError

UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")
DEPARTMENT_FIELD = "submitting_department"  # never a catalogue key: those are the fields of the class


def upload_too_large(size: int | None) -> DomainError | None:
    """The refusal of an upload over ``PUBCREDIT_UPLOAD_MAX_BYTES`` (``file.too_large``), or None."""
    limit = settings.PUBCREDIT_UPLOAD_MAX_BYTES
    if size is None or size <= limit:
        return None
    return DomainError("file.too_large",
                       f"文件超过{human_size(limit)}（本文件{human_size(size)}）：请把文件拆分成几个较小的文件分批上传",
                       f"file over {human_size(limit)} ({size} bytes): split it and send the parts", "file")


def spool_upload(upload: UploadedFile) -> Path:
    """Copy an uploaded file to a temporary file of our own, chunk by chunk (never whole in memory).

    Returns the path; the caller deletes it when the import is over. A file over the upload limit is refused
    (``file.too_large``) before it is copied.
    """
    if (refusal := upload_too_large(upload.size)) is not None:
        raise refusal
    suffix = Path(upload.name or "").suffix.lower()[:10]
    with tempfile.NamedTemporaryFile(prefix="pubcredit-upload-", suffix=suffix, delete=False) as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return Path(out.name)


def _class_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name_zh) for c in all_classes()]


class UploadForm(forms.Form):
    """上传文件: an information class and a file; operators also choose the submitting department."""

    class_code = forms.ChoiceField(label="信息类", choices=())
    file = forms.FileField(label="文件（CSV / XLSX / JSON Lines）")

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_code"].choices = _class_choices()
        if departments is not None:
            self.fields[DEPARTMENT_FIELD] = forms.ModelChoiceField(label="报送部门", queryset=departments,
                                                                   empty_label="—请选择部门—")
            self.order_fields([DEPARTMENT_FIELD, "class_code", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError("只支持 CSV、XLSX 或 JSON Lines 文件（.csv、.xlsx、.jsonl）")
        if (refusal := upload_too_large(upload.size)) is not None:
            raise forms.ValidationError(refusal.message_zh)
        return upload


def _without_label(message: str, label: str) -> str:
    """A message shown under its field's label does not start with the label again (证件号码：证件号码…)."""
    return message[len(label):].lstrip("：: ") or message if message.startswith(label) else message


class DateInput(forms.TextInput):
    input_type = "date"


def _help_text(info_class: InfoClass, spec: FieldSpec) -> str:
    parts = []
    if spec.required_when is not None:
        parts.append(required_text_zh(info_class, spec))
    if spec.type == "date" and not spec.date_words:
        parts.append("日期")
    elif text := format_text_zh(spec):
        parts.append(text)
    if spec.type == "date" and spec.date_words:
        parts.append("也可填写：" + "、".join(spec.date_words))
    if spec.max_length and spec.type not in ("enum", "multi_enum", "date"):
        parts.append(f"最多{spec.max_length}个字符")
    if spec.description_zh:
        parts.append(spec.description_zh)
    return "；".join(dict.fromkeys(parts))


def _form_field(info_class: InfoClass, spec: FieldSpec) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label_zh, "required": False, "help_text": _help_text(info_class, spec)}
    attrs: dict[str, Any] = {"data-field": spec.key}
    if spec.required:
        attrs["aria-required"] = "true"
    if spec.type == "enum":
        choices = [("", "—请选择—"), *((v.code, v.label_zh) for v in spec.values)]
        return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=attrs), **common)
    if spec.type == "multi_enum":
        return forms.MultipleChoiceField(choices=[(v.code, v.label_zh) for v in spec.values],
                                         widget=forms.CheckboxSelectMultiple(attrs=attrs), **common)
    if spec.type == "date":
        if spec.date_words:  # 长期 cannot be typed into a date picker
            attrs["placeholder"] = "2026-03-01 或 " + "、".join(spec.date_words)
            return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
        return forms.CharField(widget=DateInput(attrs=attrs), **common)
    if spec.type == "text":
        attrs["rows"] = 3
        return forms.CharField(widget=forms.Textarea(attrs=attrs), **common)
    if spec.type == "decimal":
        attrs["inputmode"] = "decimal"
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if spec.sensitive:
        attrs["autocomplete"] = "off"
    # no max_length for Django: an over-long value gets the catalogue's own error (and is kept in the field)
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


class RecordForm(forms.Form):
    """One record of an information class, field by field from the catalogue (页面录入)."""

    def __init__(self, info_class: InfoClass, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.info_class = info_class
        if departments is not None:
            self.fields[DEPARTMENT_FIELD] = forms.ModelChoiceField(label="报送部门", queryset=departments,
                                                                   empty_label="—请选择部门—")
        for spec in info_class.fields:
            assert spec.key != DEPARTMENT_FIELD, "catalogue key collides with the form's department field"
            self.fields[spec.key] = _form_field(info_class, spec)
            self.fields[spec.key].is_required_field = spec.required

    def record(self) -> dict[str, str]:
        """The entered values by field key (blank ones left out; several choices joined by ``；``)."""
        out = {}
        for spec in self.info_class.fields:
            value = self.cleaned_data.get(spec.key)
            if isinstance(value, (list, tuple)):
                value = "；".join(value)
            if value is not None and str(value).strip():
                out[spec.key] = value
        return out

    def add_problems(self, errors: list[dict]) -> list[str]:
        """Put the plan's errors next to their fields; returns the messages that belong to no field."""
        loose = []
        for error in errors:
            key, message = error.get("field"), error.get("message") or error.get("code", "")
            if key in self.fields and key != DEPARTMENT_FIELD:
                # shown under the field's own label: drop a leading "label：" so it is not said twice
                self.add_error(key, _without_label(message, str(self.fields[key].label)))
            else:
                loose.append(message)
        return loose
