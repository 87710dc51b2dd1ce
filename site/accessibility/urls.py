from django.urls import path

from . import views

app_name = "accessibility"

urlpatterns = [
    path("synpunkter/", views.feedback, name="feedback"),
    path("synpunkter/tack/", views.feedback_thanks, name="feedback_thanks"),
]
