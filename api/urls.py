"""/api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/ (the documentation). The
API authenticates by token, not by session, so its views need no login page: they are marked
login_not_required for LoginRequiredMiddleware and answer 401 themselves."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import pages, views
from .docs import ApiDocsView, ApiSchemaView

app_name = "api"


class Router(SimpleRouter):
    def get_urls(self):
        return [
            type(url)(url.pattern, login_not_required(url.callback), url.default_args, url.name)
            for url in super().get_urls()
        ]


top = Router(use_regex_path=False)
top.register("organisations", views.OrganisationViewSet, basename="organisation")
top.register("projects", views.ProjectViewSet, basename="project")

project = Router(use_regex_path=False)
project.register("phases", views.PhaseViewSet, basename="phase")
project.register("workstreams", views.WorkstreamViewSet, basename="workstream")
project.register("milestones", views.MilestoneViewSet, basename="milestone")
project.register("activities", views.ActivityViewSet, basename="activity")
project.register("status-reports", views.StatusReportViewSet, basename="status-report")
project.register("risks", views.RiskViewSet, basename="risk")
project.register("decision-requests", views.DecisionRequestViewSet, basename="decision-request")
project.register("meetings", views.MeetingViewSet, basename="meeting")
project.register("units", views.UnitViewSet, basename="unit")
project.register("positions", views.PositionViewSet, basename="position")
project.register("employees", views.EmployeeViewSet, basename="employee")
project.register("placements", views.PlacementViewSet, basename="placement")

urlpatterns = [
    path("v1/", include(top.urls)),
    path("v1/projects/<int:project_pk>/", include(project.urls)),
    path("schema/", login_not_required(ApiSchemaView.as_view()), name="schema"),
    path("docs/", login_not_required(ApiDocsView.as_view()), name="docs"),
    path("nokler/", pages.token_list, name="tokens"),
    path("nokler/<int:pk>/trekk-tilbake/", pages.token_revoke, name="token-revoke"),
]
