from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("<int:pk>/deregister/", views.person_deregister, name="person_deregister"),
    path("<int:pk>/enroll/", views.special_enroll, name="special_enroll"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/members/", views.household_add_member, name="household_add_member"),
    path("rentals/", views.rental_list, name="rental_list"),
    path("rentals/new/", views.rental_create, name="rental_create"),
    path("rentals/<int:pk>/", views.rental_detail, name="rental_detail"),
    path("rentals/<int:pk>/tenants/", views.rental_add_tenant, name="rental_add_tenant"),
    path("special/", views.special_list, name="special_list"),
    path("special/<int:pk>/", views.special_detail, name="special_detail"),
    path("special/<int:pk>/edit/", views.special_edit, name="special_edit"),
    path("special/<int:pk>/release/", views.special_release, name="special_release"),
    path("special/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("special/<int:pk>/treatment/", views.episode_create, name="episode_create"),
    path("special/<int:pk>/spend/", views.fund_spend, name="fund_spend"),
    path("visits/", views.my_visits, name="my_visits"),
    path("visits/overdue/", views.overdue, name="overdue"),
    path("visits/rules/", views.visit_rules, name="visit_rules"),
    path("funds/", views.fund_list, name="fund_list"),
]
