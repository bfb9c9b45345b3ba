"""What the API gives out of each resource. Read-only except the status of milestones and
activities and the import rows; writes go through the apps' services, as the pages' do."""

from rest_framework import serializers

from consultations.models import Meeting
from milestones.models import Activity, Milestone
from projects.models import Organisation, Phase, Risk, Workstream
from reports.models import DecisionRequest, StatusReport
from roles.models import Employee, OrgUnit, Placement, Position


class PersonSerializer(serializers.Serializer):
    """A user named on a project page (a leader, an owner): not an employee's personal data."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "org_number"]


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "order", "name", "goal", "start_date", "end_date", "state"]
        # Changed only through the gate's services (the pages), never here.
        read_only_fields = ["state"]


class LightSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    light = serializers.ChoiceField(choices=["green", "yellow", "red", "none"])


class LatestReportSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    published_at = serializers.DateTimeField()


class MilestoneCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(source="milestones_total")
    reached = serializers.IntegerField(source="milestones_reached")
    overdue = serializers.IntegerField(source="milestones_overdue")


class ProjectSerializer(serializers.Serializer):
    """A project with the portfolio's fields, from a reports.dashboard.DashboardRow."""

    id = serializers.IntegerField(source="project.pk")
    name = serializers.CharField(source="project.name")
    code = serializers.CharField(source="project.code")
    status = serializers.CharField(source="project.status")
    organisation = OrganisationSerializer(source="project.organisation")
    start_date = serializers.DateField(source="project.start_date", allow_null=True)
    last_delivery_date = serializers.DateField(source="project.last_delivery_date", allow_null=True)
    current_phase = PhaseSerializer(allow_null=True)
    latest_report = LatestReportSerializer(source="latest", allow_null=True)
    lights = LightSerializer(many=True)
    next_report_due = serializers.DateField(source="next_due", allow_null=True)
    next_report_deadline = serializers.DateField(source="next_deadline", allow_null=True)
    report_late = serializers.BooleanField()
    milestones = MilestoneCountsSerializer(source="*")


class WorkstreamSerializer(serializers.ModelSerializer):
    lead = PersonSerializer(allow_null=True)

    class Meta:
        model = Workstream
        fields = ["id", "order", "name", "units", "status", "lead"]


class MilestoneSerializer(serializers.ModelSerializer):
    responsible = PersonSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "code",
            "title",
            "criterion",
            "kind",
            "due_date",
            "date_text",
            "phase",
            "workstream",
            "responsible",
            "status",
            "reached_on",
            "reached_note",
        ]
        read_only_fields = [f for f in fields if f not in ("status", "reached_on", "reached_note")]


class MilestoneStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Milestone.Status.choices)
    reached_on = serializers.DateField(required=False, allow_null=True)
    reached_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ActivitySerializer(serializers.ModelSerializer):
    owner = PersonSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "owner",
            "due_date",
            "status",
            "done_on",
            "milestone",
            "workstream",
        ]
        read_only_fields = ["id", "title", "due_date", "done_on", "milestone", "workstream"]


class ActivityStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Activity.Status.choices)


class StatusReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusReport
        fields = [
            "number",
            "period_start",
            "period_end",
            "published_at",
            "overall_status",
            "overall_comment",
            "progress_status",
            "progress_comment",
            "economy_status",
            "economy_comment",
            "quality_status",
            "quality_comment",
            "risk_status",
            "risk_comment",
            "benefits_status",
            "benefits_comment",
            "achieved",
            "planned",
            "challenges",
        ]


class RiskSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(allow_null=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "title",
            "description",
            "probability",
            "consequence",
            "owner",
            "mitigation",
            "status",
            "created_at",
        ]


class DecisionRequestSerializer(serializers.ModelSerializer):
    report = serializers.IntegerField(source="report.number", allow_null=True, default=None)

    class Meta:
        model = DecisionRequest
        fields = [
            "id",
            "title",
            "question",
            "basis",
            "deadline",
            "outcome",
            "decision",
            "decided_on",
            "affects_employees",
            "report",
            "created_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "starts_at", "ends_at", "place", "status"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "structure", "parent", "kind", "name", "code", "leader_title", "order"]


class PositionSerializer(serializers.ModelSerializer):
    filled = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)

    class Meta:
        model = Position
        fields = ["id", "unit", "title", "code", "fte", "filled", "reports_to", "order"]


class EmployeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employee
        fields = [
            "id",
            "employee_number",
            "first_name",
            "last_name",
            "current_unit",
            "current_position",
            "fte",
            "start_date",
            "competences",
        ]


class PlacementSerializer(serializers.ModelSerializer):
    employee_name = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = [
            "id",
            "employee",
            "employee_name",
            "position",
            "basis",
            "status",
            "fte",
            "decided_on",
            "created_at",
        ]

    def get_employee_name(self, placement) -> str:
        return f"{placement.employee.first_name} {placement.employee.last_name}"


# --- Imports: the CSV import's columns as JSON, every value a string as in the file ------------


class UnitRowSerializer(serializers.Serializer):
    code = serializers.CharField(allow_blank=True, max_length=1000)
    name = serializers.CharField(allow_blank=True, max_length=1000)
    kind = serializers.CharField(allow_blank=True, required=False, default="", max_length=100)
    parent = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)
    leader_title = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=1000
    )


class EmployeeRowSerializer(serializers.Serializer):
    employee_number = serializers.CharField(allow_blank=True, max_length=1000)
    first_name = serializers.CharField(allow_blank=True, max_length=1000)
    last_name = serializers.CharField(allow_blank=True, max_length=1000)
    unit = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)
    position = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)
    fte = serializers.CharField(allow_blank=True, required=False, default="", max_length=100)
    start_date = serializers.CharField(allow_blank=True, required=False, default="", max_length=100)
    competences = serializers.ListField(
        child=serializers.CharField(max_length=1000), required=False, default=list, max_length=200
    )


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
