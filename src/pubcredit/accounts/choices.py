from django.db import models


class Role(models.TextChoices):
    """Staff roles (角色). Scope comes from the user's department and district."""

    OPERATOR = "operator", "信用中心操作员 (credit-centre operator)"
    DISTRICT_OPERATOR = "district_operator", "区县信用办操作员 (district operator)"
    PROVIDER = "provider", "数据提供单位 (data provider)"
    BUSINESS_USER = "business_user", "业务应用人员 (business user)"
    REVIEWER = "reviewer", "认定单位审核人 (reviewer for the identifying unit)"
    # not staff: logs in on the public site only, for the one enterprise its EnterpriseAccount names
    ENTERPRISE = "enterprise", "企业用户 (enterprise account)"


class DepartmentLevel(models.TextChoices):
    CITY = "city", "市级"
    DISTRICT = "district", "区县级"


class DistrictKind(models.TextChoices):
    DISTRICT = "district", "区"
    COUNTY = "county", "县"
    ZONE = "zone", "功能区"


class DepartmentKind(models.TextChoices):
    """What kind of body a department is (单位类型): a government department, or a financial institution
    (金融机构, 信易贷) that reads enterprises' data only under their authorisation."""

    GOVERNMENT = "government", "政府部门"
    FINANCIAL_INSTITUTION = "financial_institution", "金融机构"
