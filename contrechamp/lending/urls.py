from django.urls import path

from contrechamp.lending import views

app_name = "lending"
urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/new/", views.item_create, name="item_create"),
    path("library/<int:pk>/", views.item_detail, name="item_detail"),
    path("library/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("library/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("library/<int:pk>/swap/", views.swap_propose, name="swap_propose"),
    path("swaps/<int:pk>/", views.swap_detail, name="swap_detail"),
    path("swaps/<int:pk>/<slug:action>/", views.swap_action, name="swap_action"),
    path("loans/", views.loans, name="loans"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/<slug:action>/", views.loan_action, name="loan_action"),
    path("equipment/", views.equipment, name="equipment"),
    path("equipment/bookings.ics", views.bookings_ics, name="bookings_ics"),
    path("equipment/urgent/", views.urgent_list, name="urgent_list"),
    path("equipment/urgent/<int:pk>/", views.urgent_detail, name="urgent_detail"),
    path("equipment/urgent/<int:pk>/accept/", views.urgent_accept, name="urgent_accept"),
    path("equipment/urgent/<int:pk>/cancel/", views.urgent_cancel, name="urgent_cancel"),
    path("equipment/<int:pk>/", views.equipment_detail, name="equipment_detail"),
    path(
        "equipment/<int:pk>/out-of-order/",
        views.equipment_out_of_order,
        name="equipment_out_of_order",
    ),
    path("equipment/bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path(
        "equipment/bookings/<int:pk>/<slug:action>/",
        views.booking_action,
        name="booking_action",
    ),
    path(
        "equipment/managers/<slug:slug>/",
        views.equipment_managers,
        name="equipment_managers",
    ),
]
