from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("mina-uppgifter/", views.my_data, name="my_data"),
    path("mina-uppgifter/export.json", views.my_data_export, name="my_data_export"),
    path("mina-uppgifter/radera-konto/", views.erase_account, name="erase_account"),
    path("personuppgifter/lagring/", views.retention, name="retention"),
]
