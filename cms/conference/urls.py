"""Conference URLs. The edition itself is a Wagtail page at /konferens/<year>/; these routes
hang off it. Every state change is a POST with CSRF."""

from django.urls import path

from .views import attendee, feedback, organiser, proposals

app_name = "conference"

urlpatterns = [
    # Attendees (views/attendee.py)
    path("<int:year>/program.ics", attendee.programme_ics, name="programme_ics"),
    path("<int:year>/anmalan/", attendee.register, name="register"),
    path("<int:year>/min-anmalan/", attendee.my_registration, name="my_registration"),
    path("anmalan/<str:token>/", attendee.manage, name="manage"),
    path("anmalan/<str:token>/pass/", attendee.change_sessions, name="change_sessions"),
    path("anmalan/<str:token>/avboka/", attendee.cancel, name="cancel"),
    path("anmalan/<str:token>/erbjudande/", attendee.respond_to_offer, name="respond_to_offer"),
    path("anmalan/<str:token>/kalender.ics", attendee.personal_ics, name="personal_ics"),
    # Call for good examples (views/proposals.py)
    path("<int:year>/forslag/", proposals.submit, name="submit_proposal"),
    path("<int:year>/forslag/mina/", proposals.my_proposals, name="my_proposals"),
    path("<int:year>/arrangor/forslag/", proposals.review_list, name="review_list"),
    path("<int:year>/arrangor/forslag/<int:pk>/", proposals.review, name="review"),
    # Organisers (views/organiser.py)
    path("<int:year>/arrangor/", organiser.dashboard, name="dashboard"),
    path("<int:year>/arrangor/deltagare/", organiser.participants, name="participants"),
    path("<int:year>/arrangor/behov/", organiser.needs, name="needs"),
    path("<int:year>/arrangor/export/<str:kind>.<str:fmt>", organiser.export, name="export"),
    path("<int:year>/arrangor/namnskyltar/", organiser.badges, name="badges"),
    path("<int:year>/arrangor/incheckning/", organiser.checkin, name="checkin"),
    path("<int:year>/arrangor/incheckning/<uuid:uid>/", organiser.checkin_one, name="checkin_one"),
    path("<int:year>/arrangor/logg/", organiser.audit_log, name="audit_log"),
    # After the event (views/feedback.py)
    path("<int:year>/utvardering/", feedback.survey, name="feedback"),
]
