"""The API's resources, thin as the pages' views: each reads through the apps' querysets and the
one access helper (projects.permissions.get_project_for: a project the token's user cannot see
is 404, an action they may not take 403) and writes through the apps' services."""

from collections.abc import Iterable

from django.db.models import Model, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from consultations.models import Meeting
from milestones import services as milestone_services
from milestones.models import Activity, Milestone
from projects.models import Organisation, Phase, Project, Risk, Workstream
from projects.permissions import (
    CHANGE_ORGANISATION,
    CHANGE_PLAN,
    MANAGE_PERSONNEL,
    VIEW,
    VIEW_PERSONAL_DATA,
    get_project_for,
    no_store,
    require_progress,
)
from reports.dashboard import DashboardRow, dashboard_projects, dashboard_rows
from reports.models import DecisionRequest, StatusReport
from roles import access_log, imports
from roles.models import Employee, OrgUnit, Placement, Position, filled_fte

from . import serializers
from .filters import FilterBackend
from .models import Scope

Purpose = access_log.Purpose


def _today():
    return timezone.localdate()


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends = [FilterBackend]
    lookup_value_converter = "int"


# --- Organisations and projects -----------------------------------------------------------------


class OrganisationViewSet(ReadOnly):
    """The organisations the token's user belongs to or sees a project of."""

    serializer_class = serializers.OrganisationSerializer
    queryset = Organisation.objects.none()

    def get_queryset(self):
        user = self.request.user
        return Organisation.objects.filter(
            Q(members=user) | Q(projects__in=Project.objects.visible_to(user))
        ).distinct()


class ProjectViewSet(ReadOnly):
    """The projects the token's user may see, with the portfolio's fields: current phase, the
    latest published report's lights, the next report, milestone progress."""

    serializer_class = serializers.ProjectSerializer
    queryset = Project.objects.none()
    filterset_fields = ["status", "organisation"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return dashboard_projects(self.request.user, _today())

    def _rows(self, projects) -> list[DashboardRow]:
        return dashboard_rows(self.request.user, _today(), projects, charts=False)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(self._rows(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        project = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return Response(self.get_serializer(self._rows([project])[0]).data)


# --- Inside a project: /api/v1/projects/{project_pk}/… -------------------------------------------


class InProject(ReadOnly):
    """A resource of one project. `perm` is the right reading it needs; `personal_data` marks
    employees' data: it needs the token's personal-data scope and the user's right, and every
    response is written to the access log."""

    perm = VIEW
    personal_data = False
    employee_field = "id"  # where a row of personal data names its employee
    model: type[Model]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.project = get_project_for(request.user, kwargs["project_pk"], VIEW)
        needed = self.perm
        if self.personal_data:
            if not request.auth.has_scope(Scope.PERSONAL_DATA):
                raise PermissionDenied(_("Nøkkelen har ikke tilgang til personopplysninger."))
            needed = VIEW_PERSONAL_DATA
        if needed not in self.project.perms:
            raise PermissionDenied

    def require(self, perm: str) -> None:
        if perm not in self.project.perms:
            raise PermissionDenied

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        return self.scoped(self.model._default_manager.filter(project=self.project))

    def scoped(self, queryset):
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._log(response.data["results"])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._log([response.data])
        return response

    def _log(self, rows: Iterable[dict]) -> None:
        """Personal data: one access-log row with the employees the response gives out."""
        if self.personal_data:
            employees = [row[self.employee_field] for row in rows]
            access_log.log(self.request._request, self.project, Purpose.API, employees=employees)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return no_store(response) if self.personal_data else response


class PhaseViewSet(InProject):
    model = Phase
    serializer_class = serializers.PhaseSerializer

    def scoped(self, queryset):
        return queryset.order_by("order", "start_date", "pk")


class WorkstreamViewSet(InProject):
    model = Workstream
    serializer_class = serializers.WorkstreamSerializer
    filterset_fields = ["status"]

    def scoped(self, queryset):
        return queryset.select_related("lead")


class MilestoneViewSet(mixins.UpdateModelMixin, InProject):
    """Milestones; PATCH sets the status, with the same right as on the pages: owner and
    leader for all, a workstream's lead and members for its own."""

    model = Milestone
    serializer_class = serializers.MilestoneSerializer
    filterset_fields = ["status", "kind", "phase", "workstream"]
    http_method_names = ["get", "patch", "head", "options"]

    def scoped(self, queryset):
        return queryset.select_related("responsible")

    @extend_schema(request=serializers.MilestoneStatusSerializer)
    def partial_update(self, request, *args, **kwargs):
        milestone = self.get_object()
        require_progress(request.user, self.project, milestone.workstream_id)
        # PATCH: what is not given stays as it is.
        given = serializers.MilestoneStatusSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        milestone = milestone_services.set_milestone_status(
            milestone=milestone,
            status=data.get("status", milestone.status),
            reached_on=data.get("reached_on"),
            note=data.get("reached_note"),
            by=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=milestone.pk)).data)


class ActivityViewSet(mixins.UpdateModelMixin, InProject):
    model = Activity
    serializer_class = serializers.ActivitySerializer
    filterset_fields = ["status", "milestone", "workstream"]
    http_method_names = ["get", "patch", "head", "options"]

    def scoped(self, queryset):
        return queryset.select_related("owner")

    @extend_schema(request=serializers.ActivityStatusSerializer)
    def partial_update(self, request, *args, **kwargs):
        activity = self.get_object()
        require_progress(request.user, self.project, activity.workstream_id)
        given = serializers.ActivityStatusSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        status = given.validated_data.get("status", activity.status)
        activity = milestone_services.set_activity_status(
            activity=activity, status=status, by=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=activity.pk)).data)


class StatusReportViewSet(InProject):
    """The published status reports, by number."""

    model = StatusReport
    serializer_class = serializers.StatusReportSerializer
    lookup_field = "number"

    def scoped(self, queryset):
        return queryset.published()


class RiskViewSet(InProject):
    model = Risk
    serializer_class = serializers.RiskSerializer
    filterset_fields = ["status"]

    def scoped(self, queryset):
        return queryset.select_related("owner")


class DecisionRequestViewSet(InProject):
    """What the steering group is asked to decide; one in a draft status report only for those
    who write it."""

    model = DecisionRequest
    serializer_class = serializers.DecisionRequestSerializer
    filterset_fields = ["outcome"]

    def scoped(self, queryset):
        queryset = queryset.select_related("report")
        return queryset if CHANGE_PLAN in self.project.perms else queryset.put_forward()


class MeetingViewSet(InProject):
    """The meetings the user may see: all for those who run them, else those they are invited
    to."""

    model = Meeting
    serializer_class = serializers.MeetingSerializer
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        return Meeting.objects.visible_to(self.request.user, self.project)


class UnitViewSet(InProject):
    """The units of the current and the new organization. POST …/import/ adds units to the
    current one, with the CSV import's rules: all or nothing, every problem by record."""

    model = OrgUnit
    serializer_class = serializers.UnitSerializer
    filterset_fields = ["structure", "kind", "parent"]

    @extend_schema(
        request=serializers.UnitRowSerializer(many=True),
        responses={201: serializers.UnitSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_rows(self, request, *args, **kwargs):
        self.require(CHANGE_ORGANISATION)
        given = serializers.UnitRowSerializer(data=request.data, many=True)
        given.is_valid(raise_exception=True)
        units = imports.import_current_units_from_records(
            project=self.project, records=given.validated_data, by=request.user
        )
        data = serializers.UnitSerializer(units, many=True).data
        return Response(data, status=status.HTTP_201_CREATED)


class PositionViewSet(InProject):
    """The positions of the new organization with their filled FTE: numbers, no names."""

    model = Position
    serializer_class = serializers.PositionSerializer
    filterset_fields = ["unit"]

    def scoped(self, queryset):
        return queryset.annotate(filled=filled_fte())


class EmployeeViewSet(InProject):
    """Employees: personal data. POST …/import/ adds employees with the CSV import's rules."""

    model = Employee
    serializer_class = serializers.EmployeeSerializer
    personal_data = True
    filterset_fields = ["current_unit"]

    @extend_schema(
        request=serializers.EmployeeRowSerializer(many=True),
        responses={201: serializers.ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_rows(self, request, *args, **kwargs):
        self.require(MANAGE_PERSONNEL)
        given = serializers.EmployeeRowSerializer(data=request.data, many=True)
        given.is_valid(raise_exception=True)
        records = [
            {**row, "competences": "\n".join(row["competences"])} for row in given.validated_data
        ]
        employees = imports.import_employees_from_records(
            project=self.project, records=records, by=request.user
        )
        access_log.log(request._request, self.project, Purpose.IMPORT, employees=employees)
        return Response({"created": len(employees)}, status=status.HTTP_201_CREATED)


class PlacementViewSet(InProject):
    """Placements of employees in positions: personal data."""

    model = Placement
    serializer_class = serializers.PlacementSerializer
    personal_data = True
    employee_field = "employee"
    filterset_fields = ["status", "position"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Placement.objects.none()
        return Placement.objects.filter(employee__project=self.project).select_related("employee")
