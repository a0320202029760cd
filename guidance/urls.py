from django.urls import path

from guidance import policy_views, programme_views, views

app_name = "guidance"
urlpatterns = [
    path("person/<int:pk>/", views.person_guidance, name="person"),
    path("person/<int:pk>/open/", views.case_open, name="case_open"),
    path("person/<int:pk>/personal-policy/", views.personal_policy_add, name="personal_policy_add"),
    path("case/<int:pk>/move/", views.case_move, name="case_move"),
    path("case/<int:pk>/record/", views.step_record, name="step_record"),
    path("case/<int:pk>/plan/", views.plan_create, name="plan_create"),
    path("plan/<int:pk>/edit/", views.plan_update, name="plan_update"),
    path("plan/<int:pk>/actions/", views.plan_action_add, name="plan_action_add"),
    path("plan/<int:pk>/agree/", views.plan_agree, name="plan_agree"),
    path("plan/<int:pk>/adjust/", views.plan_adjust, name="plan_adjust"),
    path("plan/<int:pk>/discard/", views.plan_discard, name="plan_discard"),
    path("plan/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("plan/<int:pk>.pdf", views.plan_pdf_view, name="plan_pdf"),
    path("action/<int:pk>/remove/", views.plan_action_remove, name="plan_action_remove"),
    path("action/<int:pk>/done/", views.plan_action_done, name="plan_action_done"),
    path("personal-policy/", policy_views.missing_list, name="personal_policy_missing"),
    path("programmes/", programme_views.programme_list, name="programme_list"),
    path("programmes/new/", programme_views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", programme_views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/enrol/", programme_views.programme_enrol, name="programme_enrol"),
    path("programmes/<int:pk>/sessions/", programme_views.session_add, name="session_add"),
    path("programmes/<int:pk>/attendance.xlsx", programme_views.attendance_export, name="attendance_export"),
    path("sessions/<int:pk>/attendance/", programme_views.attendance_sheet, name="attendance"),
]
