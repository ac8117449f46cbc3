"""The downloadable XLSX template of an information class (报送模板).

Sheet 1 has one header row with the standard Chinese labels (what the header mapping recognises first), text
formatting on identifier columns so that Excel keeps every digit, and drop-down lists on single-value
enumerations. Sheet 2 (填写说明) explains every field; sheet 3 (可选值) lists the allowed values.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pubcredit.catalog import expressions as ex
from pubcredit.catalog.normalise import PLACEHOLDER_EXAMPLES
from pubcredit.catalog.schema import FieldSpec, InfoClass

TYPE_ZH = {
    "string": "文本", "text": "长文本", "date": "日期", "decimal": "数值", "enum": "单选（代码表）",
    "multi_enum": "多选（代码表）", "uscc": "统一社会信用代码", "id_number": "证件号码",
}
TEMPLATE_ROWS = 1000  # rows pre-formatted as text / given drop-downs
_REQUIRED = PatternFill("solid", fgColor="F8CBAD")
_CONDITIONAL = PatternFill("solid", fgColor="FFE699")
_HEAD = PatternFill("solid", fgColor="D9E1F2")
_BOLD = Font(bold=True)


def required_text_zh(info_class: InfoClass, f: FieldSpec) -> str:
    if f.required:
        return "是"
    if f.required_when is not None:
        return f"条件必填：{info_class.condition_text_zh(f.required_when)}时必填"
    return "否"


def format_text_zh(f: FieldSpec) -> str:
    parts = []
    if f.format:
        parts.append(f.format)
    elif f.type == "date":
        parts.append(f"日期，可用格式：{ex.DATE_FORMATS_ZH}")
    elif f.type == "decimal":
        parts.append(f"数值{('，单位' + f.unit) if f.unit else ''}，例：{ex.AMOUNT_EXAMPLES_ZH}")
    if f.type == "multi_enum":
        parts.append("多个值用分号、顿号或逗号分隔")
    if f.sensitive:
        parts.append("敏感信息，平台加密保存，不公开展示")
    return "；".join(dict.fromkeys(parts))


def _safe_sheet_title(text: str) -> str:
    return "".join(c for c in text if c not in "[]:*?/\\")[:31] or "data"


def build_template(info_class: InfoClass) -> bytes:
    """The template as XLSX bytes."""
    wb = Workbook()
    data = wb.active
    data.title = _safe_sheet_title(info_class.name_zh)
    guide = wb.create_sheet("填写说明")
    values_sheet = wb.create_sheet("可选值")

    # Sheet 3: allowed values, one column per enumeration field (label, then code in the next column).
    value_ranges: dict[str, str] = {}
    col = 1
    for f in info_class.fields:
        if not f.values:
            continue
        letter, code_letter = get_column_letter(col), get_column_letter(col + 1)
        values_sheet.cell(1, col, f.label_zh).font = _BOLD
        values_sheet.cell(1, col + 1, f"{f.key}（代码）").font = _BOLD
        for i, value in enumerate(f.values, start=2):
            values_sheet.cell(i, col, value.label_zh)
            values_sheet.cell(i, col + 1, value.code)
        values_sheet.column_dimensions[letter].width = max(14, len(f.label_zh) * 2 + 2)
        values_sheet.column_dimensions[code_letter].width = 22
        value_ranges[f.key] = f"'可选值'!${letter}$2:${letter}${len(f.values) + 1}"
        col += 3

    # Sheet 1: the header row.
    for index, f in enumerate(info_class.fields, start=1):
        letter = get_column_letter(index)
        cell = data.cell(1, index, f.label_zh)
        cell.font = _BOLD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if f.required:
            cell.fill = _REQUIRED
        elif f.required_when is not None:
            cell.fill = _CONDITIONAL
        note = [f"字段代码：{f.key}", f"类型：{TYPE_ZH[f.type]}", f"必填：{required_text_zh(info_class, f)}"]
        if f.max_length:
            note.append(f"最长{f.max_length}个字符")
        if f.values:
            note.append("可选值：" + f.allowed_labels_zh())
        if fmt := format_text_zh(f):
            note.append(fmt)
        cell.comment = Comment("\n".join(note), "pubcredit", width=320, height=160)
        data.column_dimensions[letter].width = max(14, min(40, len(f.label_zh) * 2 + 4))
        if f.type in ("uscc", "id_number", "string", "text", "enum", "multi_enum"):
            # Text format keeps ID numbers' 18 digits and leading zeros (Excel would round them as numbers).
            for row in range(2, TEMPLATE_ROWS + 2):
                data.cell(row, index).number_format = "@"
        if f.type == "enum" and f.key in value_ranges:
            validation = DataValidation(type="list", formula1=value_ranges[f.key], allow_blank=True,
                                        showErrorMessage=False)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 32

    # Sheet 2: one line per field, then the rules.
    head = ["表头（标准名称）", "字段代码", "类型", "是否必填", "最大长度", "单位", "允许的值", "格式说明", "也可用的列名"]
    guide.append(head)
    for cell in guide[1]:
        cell.font = _BOLD
        cell.fill = _HEAD
    for f in info_class.fields:
        allowed = "；".join(f"{v.label_zh}（{v.code}）" for v in f.values)
        guide.append([f.label_zh, f.key, TYPE_ZH[f.type], required_text_zh(info_class, f), f.max_length or "",
                      f.unit or "", allowed, format_text_zh(f), "、".join(f.aliases)])
    guide.append([])
    notes = [
        f"信息类：{info_class.name_zh}（{info_class.code}），目录版本 {info_class.version}",
        "表头可使用标准名称、字段代码或“也可用的列名”；表头上方可保留一两行标题。",
        f"空单元格或“{'”“'.join(PLACEHOLDER_EXAMPLES)}”等占位符视为未填写。",
        "业务主键（同一批数据中不得重复）：" + "、".join(info_class.field(k).label_zh for k in info_class.business_key),
    ]
    if info_class.deadline_working_days:
        notes.append(f"报送时限：自决定之日起{info_class.deadline_working_days}个工作日内报送。")
    for rule in info_class.rules:
        labels = [info_class.field(k).label_zh for k in rule.fields]
        if rule.kind == "one_of_required":
            when = f"{info_class.condition_text_zh(rule.when)}时，" if rule.when else ""
            notes.append(rule.message_zh or f"{when}须填写{'或'.join(labels)}中的至少一项")
        else:
            notes.append(f"{labels[1]}不得早于{labels[0]}。")
    for note in notes:
        guide.append([note])
    widths = [30, 22, 16, 34, 10, 8, 48, 48, 60]
    for i, width in enumerate(widths, start=1):
        guide.column_dimensions[get_column_letter(i)].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
