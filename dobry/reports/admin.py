from django.contrib import admin

from dobry.reports.models import ReachFigure, Snapshot, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "value", "updated_at"]
    list_filter = ["indicator", "year"]


@admin.register(ReachFigure)
class ReachFigureAdmin(admin.ModelAdmin):
    list_display = ["date", "channel", "title", "source", "people"]
    list_filter = ["channel"]
    search_fields = ["title", "source"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["indicator", "month", "value", "computed_at"]
    list_filter = ["indicator"]
