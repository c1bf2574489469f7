"""Team-list imports over the API: upload a file (multipart), get 202 and the job; read the job until it has
finished (status, progress, summary, errors). The same job and background task as the page (teams.jobs)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from shuanglian.access.roles import MANAGE_TEAMS
from shuanglian.core.api_views import capability_required, error_responses
from shuanglian.core.exceptions import ValidationFailed

from .. import jobs
from ..forms import TeamImportForm
from ..models import TeamImportJob

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class TeamImportJobSerializer(serializers.ModelSerializer):
    errors = serializers.JSONField(help_text='[{"line", "field", "reason"}], at most 1000; line 0 is the file')
    progress = serializers.JSONField(help_text='while it runs: {"stage": reading|checking|writing, "done", "total"}')
    summary = serializers.JSONField(help_text="once done: rows, valid_rows, invalid_rows, written, promoters, "
                                              "volunteers, members_created")

    class Meta:
        model = TeamImportJob
        fields = ["id", "file_name", "dry_run", "skip_invalid", "status", "progress", "summary", "errors",
                  "error_count", "created_at", "started_at", "finished_at"]
        read_only_fields = fields


UPLOAD = inline_serializer("TeamImportUpload", {
    "file": serializers.FileField(help_text=".xlsx or .csv (UTF-8 or GB18030), one row per post"),
    "dry_run": serializers.BooleanField(required=False, help_text="check every row, write nothing"),
    "skip_invalid": serializers.BooleanField(required=False, help_text="write the valid rows; else any invalid "
                                                                       "row means nothing is written"),
})


@extend_schema_view(
    list=extend_schema(summary="Your team-list imports", responses={200: TeamImportJobSerializer,
                                                                     **error_responses(401, 403)}),
    retrieve=extend_schema(summary="One team-list import: its status, progress and result", parameters=[ID],
                           responses={200: TeamImportJobSerializer, **error_responses(401, 403, 404)}),
    create=extend_schema(summary="Upload a team list; it is imported in the background (202)",
                         request={"multipart/form-data": UPLOAD},
                         responses={202: TeamImportJobSerializer, **error_responses(400, 401, 403)}),
)
class TeamImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = TeamImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated, capability_required(MANAGE_TEAMS)]
    lookup_value_regex = r"[0-9]+"
    queryset = TeamImportJob.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return jobs.team_import_job_list_visible_to(self.request.user)

    def get_object(self):
        return jobs.reap_if_stale(jobs.team_import_job_get_for_user(self.request.user, self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        # The page's form: the same file type and size checks, before anything is kept.
        form = TeamImportForm(request.data, request.FILES)
        if not form.is_valid():
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            first = next(iter(errors.values()))[0]
            raise ValidationFailed(first, code="invalid_file" if "file" in errors else "invalid", details=errors)
        data = form.cleaned_data
        job = jobs.team_import_job_create(actor=request.user, upload=data["file"], dry_run=data["dry_run"],
                                          skip_invalid=data["skip_invalid"])
        job.refresh_from_db()  # run inline, it has finished already
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
