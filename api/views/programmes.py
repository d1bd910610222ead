"""Partners, programmes and funding conventions: read only (staff manage them
on the pages)."""

from django.db.models import Prefetch
from rest_framework import mixins
from rest_framework.permissions import IsAuthenticated

from programmes.models import ConventionShare, FundingConvention, Partner, Programme

from ..filters import ApiFundingConventionFilter, ApiPartnerFilter, ApiProgrammeFilter
from ..serializers.programmes import FundingConventionSerializer, PartnerSerializer, ProgrammeSerializer
from .base import PartnerRecordViewSet


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerRecordViewSet):
    """Read only: any other method is 405 for whoever is signed in."""

    permission_classes = [IsAuthenticated]


class PartnerViewSet(ReadOnlyViewSet):
    """The partners you may see (a coordinator: their own)."""

    model = Partner
    serializer_class = PartnerSerializer
    filterset_class = ApiPartnerFilter


class ProgrammeViewSet(ReadOnlyViewSet):
    """Programmes and their rules."""

    model = Programme
    serializer_class = ProgrammeSerializer
    filterset_class = ApiProgrammeFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("follow_up_offsets")


class FundingConventionViewSet(ReadOnlyViewSet):
    """Funding conventions that fund the partners you may see, with the shares
    of those partners."""

    model = FundingConvention
    serializer_class = FundingConventionSerializer
    filterset_class = ApiFundingConventionFilter

    def get_queryset(self):
        user = self.request.user
        # ``visible_to`` joins shares and duos for a coordinator; only its ids
        # are kept, so the rows are neither repeated nor DISTINCT-sorted.
        visible = FundingConvention.objects.visible_to(user).values("pk")
        shares = ConventionShare.objects.filter(partner__in=Partner.objects.visible_to(user)).order_by("partner_id")
        return FundingConvention.objects.filter(pk__in=visible).prefetch_related(
            Prefetch("shares", queryset=shares, to_attr="visible_shares")
        )
