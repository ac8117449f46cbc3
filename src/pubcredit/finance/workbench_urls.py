from django.urls import path

from pubcredit.finance import bank_views, workbench_views

app_name = "finance_workbench"

urlpatterns = [
    path("figures/", workbench_views.figures, name="figures"),  # 信易贷统计 (operators)
    # 金融机构工作台: a bank officer's own pages, and the only ones its login opens (finance.bank_access)
    path("bank/", bank_views.home, name="bank_home"),
    path("bank/products/", bank_views.products, name="bank_products"),
    path("bank/products/<uuid:product_id>/edit/", bank_views.product_edit, name="bank_product_edit"),
    path("bank/products/<uuid:product_id>/withdraw/", bank_views.product_withdraw, name="bank_product_withdraw"),
    path("bank/applications/", bank_views.applications, name="bank_applications"),
    path("bank/applications/<uuid:application_id>/", bank_views.application_detail, name="bank_application"),
    path("bank/applications/<uuid:application_id>/decision/", bank_views.application_decide,
         name="bank_application_decide"),
    path("bank/applications/<uuid:application_id>/disbursement/", bank_views.application_disburse,
         name="bank_application_disburse"),
    path("bank/applications/<uuid:application_id>/repayment-problems/", bank_views.application_problem,
         name="bank_application_problem"),
    path("bank/authorisations/", bank_views.authorisations, name="bank_authorisations"),
    path("bank/profile/", bank_views.profile, name="bank_profile"),
    path("bank/persons/", bank_views.persons, name="bank_persons"),
    path("bank/persons/<uuid:authorisation_id>/revoke/", bank_views.person_revoke, name="bank_person_revoke"),
]
