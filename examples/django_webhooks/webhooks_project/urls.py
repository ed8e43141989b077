"""Routes: everything is the receiver app's (receiver/urls.py)."""

from django.urls import include, path

urlpatterns = [path("", include("receiver.urls"))]
