from django.urls import path

from accounts import api as accounts_api
from assistance import api as assistance_api
from employers import api as employers_api
from exchange import api as exchange_api
from guidance import api as guidance_api
from households import api as households_api
from industries import api as industries_api
from jobboard import api as jobboard_api
from keygroups import api as keygroups_api
from matching import api as matching_api
from network import api as network_api
from notifications import api as notifications_api
from occupations import api as occupations_api
from people import api as people_api
from recommendations import api as recommendations_api
from servicerecords import api as servicerecords_api
from subjectrights import api as subjectrights_api
from training import api as training_api
from vacancies import api as vacancies_api
from workcalendar import api as calendar_api
from worklist import api as worklist_api

urlpatterns = [
    path("auth/token", accounts_api.TokenLogin.as_view(), name="api-token"),
    path("me", accounts_api.Me.as_view(), name="api-me"),
    path("staff/", accounts_api.StaffList.as_view(), name="api-staff-list"),
    path("staff/<int:pk>/", accounts_api.StaffDetail.as_view(), name="api-staff-detail"),
    path("units/", network_api.OrgUnitList.as_view(), name="api-unit-list"),
    path("units/<str:code>/", network_api.OrgUnitDetail.as_view(), name="api-unit-detail"),
    path("service-points/", network_api.ServicePointList.as_view(), name="api-point-list"),
    path("service-points/<int:pk>/", network_api.ServicePointDetail.as_view(), name="api-point-detail"),
    path("occupations/", occupations_api.OccupationList.as_view(), name="api-occupation-list"),
    path("occupations/<str:code>/", occupations_api.OccupationDetail.as_view(), name="api-occupation-detail"),
    path("calendar/add-workdays", calendar_api.AddWorkdays.as_view(), name="api-add-workdays"),
    path("calendar/is-workday", calendar_api.IsWorkday.as_view(), name="api-is-workday"),
    path("persons/", people_api.PersonList.as_view(), name="api-person-list"),
    path("persons/<int:pk>/", people_api.PersonDetail.as_view(), name="api-person-detail"),
    path("persons/<int:pk>/reveal", people_api.PersonReveal.as_view(), name="api-person-reveal"),
    path("persons/<int:pk>/contacts", people_api.PersonContacts.as_view(), name="api-person-contacts"),
    path("persons/<int:pk>/household", people_api.PersonHousehold.as_view(), name="api-person-household"),
    path("households/", households_api.HouseholdList.as_view(), name="api-household-list"),
    path("households/<int:pk>/", households_api.HouseholdDetail.as_view(), name="api-household-detail"),
    path("key-groups/", keygroups_api.CategoryList.as_view(), name="api-key-group-list"),
    path("employers/", employers_api.EmployerList.as_view(), name="api-employer-list"),
    path("employers/<int:pk>/", employers_api.EmployerDetail.as_view(), name="api-employer-detail"),
    path("industries/", industries_api.IndustryList.as_view(), name="api-industry-list"),
    path("training/providers/", training_api.ProviderList.as_view(), name="api-training-provider-list"),
    path(
        "training/providers/<int:pk>/",
        training_api.ProviderDetail.as_view(),
        name="api-training-provider-detail",
    ),
    path("training/courses/", training_api.CourseList.as_view(), name="api-training-course-list"),
    path(
        "training/courses/<int:pk>/", training_api.CourseDetail.as_view(), name="api-training-course-detail"
    ),
    path("public/vacancies", jobboard_api.PublicVacancyList.as_view(), name="api-public-vacancy-list"),
    path(
        "public/vacancies/<int:pk>",
        jobboard_api.PublicVacancyDetail.as_view(),
        name="api-public-vacancy-detail",
    ),
    path("public/courses", jobboard_api.PublicCourseList.as_view(), name="api-public-course-list"),
    path(
        "persons/<int:pk>/recommendations",
        matching_api.PersonRecommendations.as_view(),
        name="api-person-recommendations",
    ),
    path(
        "vacancies/<int:pk>/candidates",
        matching_api.VacancyCandidates.as_view(),
        name="api-vacancy-candidates",
    ),
    path(
        "recommendations/",
        recommendations_api.RecommendationList.as_view(),
        name="api-recommendation-list",
    ),
    path(
        "recommendations/<int:pk>/",
        recommendations_api.RecommendationDetail.as_view(),
        name="api-recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/actions",
        recommendations_api.RecommendationActions.as_view(),
        name="api-recommendation-actions",
    ),
    path("persons/<int:pk>/pushes", notifications_api.PersonPushes.as_view(), name="api-person-pushes"),
    path("notices/", notifications_api.NoticeList.as_view(), name="api-notice-list"),
    path("notices/read", notifications_api.NoticeRead.as_view(), name="api-notice-read"),
    path("vacancies/", vacancies_api.VacancyList.as_view(), name="api-vacancy-list"),
    path("vacancies/<int:pk>/", vacancies_api.VacancyDetail.as_view(), name="api-vacancy-detail"),
    path(
        "vacancies/<int:pk>/transition",
        vacancies_api.VacancyTransition.as_view(),
        name="api-vacancy-transition",
    ),
    path("exchange/vacancies", exchange_api.ExchangeVacancies.as_view(), name="api-exchange-vacancies"),
    path("exchange/job-seekers", exchange_api.ExchangeJobSeekers.as_view(), name="api-exchange-job-seekers"),
    path("persons/<int:pk>/guidance", guidance_api.PersonGuidance.as_view(), name="api-person-guidance"),
    path("plans/<int:pk>", guidance_api.PlanDetail.as_view(), name="api-plan-detail"),
    path(
        "guidance-cases/<int:pk>/transition",
        guidance_api.CaseTransition.as_view(),
        name="api-guidance-case-transition",
    ),
    path(
        "persons/<int:pk>/services",
        servicerecords_api.PersonServices.as_view(),
        name="api-person-services",
    ),
    path("service-records/", servicerecords_api.ServiceRecordList.as_view(), name="api-service-record-list"),
    path("assistance-files/", assistance_api.AssistanceFileList.as_view(), name="api-assistance-file-list"),
    path(
        "assistance-files/<int:pk>/",
        assistance_api.AssistanceFileDetail.as_view(),
        name="api-assistance-file-detail",
    ),
    path(
        "assistance-files/<int:pk>/closure",
        assistance_api.AssistanceFileClosure.as_view(),
        name="api-assistance-file-closure",
    ),
    path("work-items/", worklist_api.WorkItemList.as_view(), name="api-work-item-list"),
    path("work-items/reassign", worklist_api.WorkItemReassign.as_view(), name="api-work-item-reassign"),
    path("persons/<int:pk>/transfer", worklist_api.PersonTransfer.as_view(), name="api-person-transfer"),
    path(
        "subject-requests/",
        subjectrights_api.SubjectRequestList.as_view(),
        name="api-subject-request-list",
    ),
    path(
        "subject-requests/<int:pk>/",
        subjectrights_api.SubjectRequestDetail.as_view(),
        name="api-subject-request-detail",
    ),
    path(
        "subject-requests/<int:pk>/transition",
        subjectrights_api.SubjectRequestTransition.as_view(),
        name="api-subject-request-transition",
    ),
]
