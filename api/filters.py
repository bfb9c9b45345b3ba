"""The list endpoints' filters: django-filter's, with a related object named by its id as a
plain number. An id that matches nothing gives an empty list, as any other filter does, rather
than an error (django-filter's default checks it against every possible object)."""

import django_filters
from django import forms
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(DjangoFilterBackend):
    filterset_base = FilterSet
