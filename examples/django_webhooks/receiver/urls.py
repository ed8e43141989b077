"""The receiver's routes: POST /webhooks/hoox, POST /webhooks/hooked, GET /events."""

from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/hoox", views.hoox_webhook),
    path("webhooks/hooked", views.hooked_webhook),
    path("events", views.events),
]
