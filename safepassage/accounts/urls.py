from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/enrol/", views.enrol, name="enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password"),
    path("key/", views.my_key, name="my_key"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<uuid:uuid>/", views.staff_edit, name="staff_edit"),
    path("staff/<uuid:uuid>/unlock/", views.staff_unlock, name="staff_unlock"),
    path("recovery/", views.recovery_list, name="recovery_list"),
    path("recovery/start/<uuid:uuid>/", views.recovery_start, name="recovery_start"),
    path("recovery/<uuid:pk>/", views.recovery_complete, name="recovery_complete"),
]
