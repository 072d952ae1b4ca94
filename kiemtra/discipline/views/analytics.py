"""Placeholder until this area's views land."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
