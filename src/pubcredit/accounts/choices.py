from django.db import models


class Role(models.TextChoices):
    """Staff roles (角色). Scope comes from the user's department and district."""

    OPERATOR = "operator", "信用中心操作员 (credit-centre operator)"
    DISTRICT_OPERATOR = "district_operator", "区县信用办操作员 (district operator)"
    PROVIDER = "provider", "数据提供单位 (data provider)"
    BUSINESS_USER = "business_user", "业务应用人员 (business user)"
    REVIEWER = "reviewer", "认定单位审核人 (reviewer for the identifying unit)"


class DepartmentLevel(models.TextChoices):
    CITY = "city", "市级"
    DISTRICT = "district", "区县级"


class DistrictKind(models.TextChoices):
    DISTRICT = "district", "区"
    COUNTY = "county", "县"
    ZONE = "zone", "功能区"
