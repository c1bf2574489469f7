"""The division tree over the API: scoped reads, and restructuring through the division services."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shuanglian.core.api_views import error_responses

from .. import services
from ..filtersets import DivisionFilterSet
from ..models import Division
from ..selectors import division_get_for_user, division_list_visible_to
from . import serializers as s

CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="division code")
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


def _write(summary, request, response, code=status.HTTP_200_OK):
    return extend_schema(summary=summary, parameters=[CODE], request=request,
                         responses={code: response, **WRITE_ERRORS})


@extend_schema_view(
    list=extend_schema(summary="Current divisions you may see", responses={200: s.DivisionSerializer,
                                                                            **error_responses(401)}),
    retrieve=extend_schema(summary="One division, with its ancestors and child counts", parameters=[CODE],
                           responses={200: s.DivisionDetailSerializer, **error_responses(401, 404)}),
)
class DivisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Reads pass through the division selectors (out of scope reads as 404); writes call the services,
    which decide who may restructure (403)."""

    serializer_class = s.DivisionSerializer
    filterset_class = DivisionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+"
    queryset = Division.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return division_list_visible_to(self.request.user).select_related("parent")

    def _division(self, code: str) -> Division:
        # Retired divisions resolve too, so acting on one says "retired" (409) rather than "not found".
        return division_get_for_user(self.request.user, code, include_retired=True)

    def get_object(self):
        return self._division(self.kwargs["code"])

    def retrieve(self, request, *args, **kwargs):
        return Response(s.DivisionDetailSerializer(self.get_object()).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @_write("Create a division under this one", s.DivisionCreateInput, s.DivisionDetailSerializer,
            status.HTTP_201_CREATED)
    @action(detail=True, methods=["post"])
    def children(self, request, code=None):
        data = self._input(s.DivisionCreateInput)
        created = services.division_create(actor=request.user, parent=self.get_object(), **data)
        return Response(s.DivisionDetailSerializer(created).data, status=status.HTTP_201_CREATED)

    @_write("Rename a division", s.RenameInput, s.DivisionDetailSerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request, code=None):
        data = self._input(s.RenameInput)
        division = services.division_rename(actor=request.user, division=self.get_object(), **data)
        return Response(s.DivisionDetailSerializer(division).data)

    @_write("Retire a division with nothing left under it", s.RetireInput, s.DivisionDetailSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, code=None):
        data = self._input(s.RetireInput)
        division = services.division_retire(actor=request.user, division=self.get_object(), **data)
        return Response(s.DivisionDetailSerializer(division).data)

    @_write("Merge villages into this one (grids and records move here)", s.MergeInput,
            s.DivisionDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, code=None):
        data = self._input(s.MergeInput)
        target = self.get_object()
        sources = [self._division(source) for source in data.pop("sources")]
        target = services.village_merge(actor=request.user, sources=sources, target=target, **data)
        return Response(s.DivisionDetailSerializer(target).data)

    @_write("Move this grid to another village (it takes a new code there)", s.MoveInput,
            s.DivisionDetailSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, code=None):
        data = self._input(s.MoveInput)
        grid = self.get_object()
        village = self._division(data.pop("village"))
        grid = services.grid_move(actor=request.user, grid=grid, village=village, **data)
        return Response(s.DivisionDetailSerializer(grid).data)

    @_write("Split this grid: it keeps its code, new sibling grids take the other parts", s.SplitInput,
            s.SplitResult, status.HTTP_201_CREATED)
    @action(detail=True, methods=["post"])
    def split(self, request, code=None):
        data = self._input(s.SplitInput)
        grid = self.get_object()
        created = services.grid_split(actor=request.user, grid=grid, **data)
        body = {"grid": s.DivisionSerializer(grid).data, "new_grids": s.DivisionSerializer(created, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)
