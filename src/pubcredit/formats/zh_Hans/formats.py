"""zh-Hans formats for pubcredit: Django's, except that the first input format is ISO.

Django renders a form's date into ``<input type=date>`` with the first ``DATE_INPUT_FORMATS`` entry; Django's zh-Hans
has ``%Y/%m/%d`` first, which browsers reject, so the field showed blank (issue 21). Display formats are Django's.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d"]
