from django.db import models

from pubcredit.rules.repair import APP_STATE_LABELS, OBJ_STATE_LABELS, AppState, ObjState

ApplicationStateChoice = models.TextChoices(
    "ApplicationStateChoice", [(s.name, (s.value, APP_STATE_LABELS[s])) for s in AppState])
ObjectionStateChoice = models.TextChoices(
    "ObjectionStateChoice", [(s.name, (s.value, OBJ_STATE_LABELS[s])) for s in ObjState])

# Who a notice (办理进度通知) is for, and what became of its e-mail.
NoticeRecipientChoice = models.TextChoices(
    "NoticeRecipientChoice", [("APPLICANT", ("applicant", "申请人/异议人")), ("UNIT", ("unit", "认定单位"))])
NoticeEmailChoice = models.TextChoices("NoticeEmailChoice", [
    ("PENDING", ("pending", "待发送")), ("SENT", ("sent", "已发送")), ("FAILED", ("failed", "发送失败")),
    ("NOT_CONFIGURED", ("not_configured", "未配置邮件服务")), ("NO_ADDRESS", ("no_address", "无电子邮箱")),
])

# What the virus-scan hook said of an evidence file (证明材料病毒扫描). Never "clean" without a scan.
EvidenceScanChoice = models.TextChoices("EvidenceScanChoice", [
    ("PENDING", ("pending", "待扫描")), ("CLEAN", ("clean", "未发现病毒")), ("INFECTED", ("infected", "发现病毒，已删除")),
    ("NOT_SCANNED", ("not_scanned", "未扫描")), ("ERROR", ("error", "扫描出错")),
])
EvidenceKindChoice = models.TextChoices("EvidenceKindChoice", [
    ("PDF", ("pdf", "PDF文件")), ("JPEG", ("jpeg", "JPG图片")), ("PNG", ("png", "PNG图片"))])

# What an application asks for: an ordinary repair (信用修复, Order 36 art. 13–17) or the temporary shielding of a
# bankruptcy reorganisation (破产重整信用修复, Order 36 art. 20; SAMR 107 art. 22); who applies for the latter.
ApplicationKindChoice = models.TextChoices("ApplicationKindChoice", [
    ("REPAIR", ("repair", "信用修复")), ("REORGANISATION", ("reorganisation", "破产重整临时屏蔽"))])
ReorganisationApplicantChoice = models.TextChoices("ReorganisationApplicantChoice", [
    ("ENTERPRISE", ("enterprise", "重整企业")), ("ADMINISTRATOR", ("administrator", "管理人"))])
