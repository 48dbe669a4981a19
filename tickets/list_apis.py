"""The queue's reference lists: business types and counters (the counter actions answer with CounterOutput)."""

from rest_framework import serializers

from hall.apis import HallFilteredListApi
from tickets.models import BusinessType, Counter


class BusinessTypeOutput(serializers.ModelSerializer):
    class Meta:
        model = BusinessType
        fields = ["id", "hall", "code", "name", "name_en", "daily_quota", "counters"]


class BusinessTypeListApi(HallFilteredListApi):
    serializer_class = BusinessTypeOutput

    def base_queryset(self):
        return BusinessType.objects.filter(is_active=True).prefetch_related("counters")


class CounterOutput(serializers.ModelSerializer):
    business_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Counter
        fields = ["id", "hall", "number", "name", "business_types", "status", "clerk"]


class CounterListApi(HallFilteredListApi):
    serializer_class = CounterOutput

    def base_queryset(self):
        return Counter.objects.prefetch_related("business_types")
