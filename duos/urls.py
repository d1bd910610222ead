from django.urls import path

from . import enrolments, exports, pickers, views

app_name = "duos"
urlpatterns = [
    path("mentors/", views.MentorListView.as_view(), name="mentor_list"),
    path("mentors/export/", exports.MentorExportView.as_view(), name="mentor_export"),
    path("mentors/new/", views.MentorCreateView.as_view(), name="mentor_create"),
    path("mentors/<int:pk>/", views.MentorDetailView.as_view(), name="mentor_detail"),
    path("mentors/<int:pk>/edit/", views.MentorUpdateView.as_view(), name="mentor_update"),
    path("mentees/", views.MenteeListView.as_view(), name="mentee_list"),
    path("mentees/export/", exports.MenteeExportView.as_view(), name="mentee_export"),
    path("mentees/new/", views.MenteeCreateView.as_view(), name="mentee_create"),
    path("mentees/<int:pk>/", views.MenteeDetailView.as_view(), name="mentee_detail"),
    path("mentees/<int:pk>/edit/", views.MenteeUpdateView.as_view(), name="mentee_update"),
    path("duos/", views.DuoListView.as_view(), name="duo_list"),
    path("duos/export/", exports.DuoExportView.as_view(), name="duo_export"),
    path("duos/double-enrolments/", enrolments.DoubleEnrolmentListView.as_view(), name="double_enrolment_list"),
    path("duos/pickers/<str:kind>/", pickers.PickerView.as_view(), name="picker"),
    path("duos/new/", views.DuoCreateView.as_view(), name="duo_create"),
    path("duos/<int:pk>/", views.DuoDetailView.as_view(), name="duo_detail"),
    path("duos/<int:pk>/edit/", views.DuoUpdateView.as_view(), name="duo_update"),
    path("duos/<int:pk>/close/", views.DuoCloseView.as_view(), name="duo_close"),
    path("duos/<int:pk>/closure/correct/", views.DuoClosureCorrectView.as_view(), name="duo_closure_correct"),
    path("duos/<int:pk>/reopen/", views.DuoReopenView.as_view(), name="duo_reopen"),
    path("duos/<int:pk>/cancel/", views.DuoCancelView.as_view(), name="duo_cancel"),
    path("duos/<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("duos/<int:pk>/meetings/export/", exports.MeetingExportView.as_view(), name="meeting_export"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("meetings/<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"),
]
