from django.contrib import admin, messages

from roadmap.cache import bump_content_version
from roadmap.models import (
    KPI,
    Certification,
    ContentRelease,
    Deliverable,
    ExperienceRange,
    InterviewQuestion,
    Level,
    LevelSkill,
    PortfolioProject,
    SalaryBand,
    Skill,
    Source,
    Specialization,
    Stage,
    Step,
    Tip,
    Track,
    TrackModule,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "publisher", "date_stated"]
    list_display_links = ["title"]
    search_fields = ["title", "publisher"]
    prepopulated_fields = {"key": ["title"]}


class SalaryBandInline(admin.TabularInline):
    model = SalaryBand
    extra = 0
    autocomplete_fields = ["source"]


class ExperienceRangeInline(admin.TabularInline):
    model = ExperienceRange
    extra = 0
    autocomplete_fields = ["source"]


class LevelSkillInline(admin.TabularInline):
    model = LevelSkill
    extra = 0
    autocomplete_fields = ["skill", "source"]


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0
    fields = ["order", "name", "slug", "unit", "direction", "target", "target_is_default", "source"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]


class LevelItemInline(admin.StackedInline):
    extra = 0
    can_delete = False
    fk_name = "level"
    autocomplete_fields = ["source"]
    show_change_link = True


class DeliverableInline(LevelItemInline):
    model = Deliverable
    fields = ["order", "title", "key", "description", "source", "is_archived"]


class InterviewQuestionInline(LevelItemInline):
    model = InterviewQuestion
    fields = ["order", "title", "key", "answer_covers", "source", "is_archived"]


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "slug", "years_min", "years_max"]
    list_display_links = ["title"]
    search_fields = ["title", "aliases"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        ExperienceRangeInline,
        SalaryBandInline,
        LevelSkillInline,
        KPIInline,
        DeliverableInline,
        InterviewQuestionInline,
    ]


@admin.register(SalaryBand)
class SalaryBandAdmin(admin.ModelAdmin):
    list_display = ["level", "source", "label_as_stated", "min_amount", "max_amount", "open_ended", "currency"]
    list_filter = ["source", "level"]
    list_select_related = ["level", "source"]
    ordering = ["level__order", "source__number"]


@admin.register(ExperienceRange)
class ExperienceRangeAdmin(admin.ModelAdmin):
    list_display = ["level", "source", "label_as_stated", "years_min", "years_max"]
    list_filter = ["source", "level"]
    list_select_related = ["level", "source"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind", "sources"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


@admin.register(LevelSkill)
class LevelSkillAdmin(admin.ModelAdmin):
    list_display = ["level", "skill", "expectation", "source"]
    list_filter = ["level", "expectation", "skill__kind"]
    list_select_related = ["level", "skill", "source"]
    search_fields = ["skill__name"]
    autocomplete_fields = ["skill", "source"]


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    can_delete = False
    fk_name = "stage"
    fields = ["order", "kind", "title", "key", "source", "is_archived"]
    autocomplete_fields = ["source"]
    show_change_link = True


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    show_change_link = True


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "level", "source"]
    list_display_links = ["title"]
    list_select_related = ["level", "source"]
    list_filter = ["level"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StepInline, TrackInline]


class TrackModuleInline(admin.TabularInline):
    model = TrackModule
    extra = 0


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["__str__", "stage", "letter"]
    list_select_related = ["stage"]
    list_filter = ["stage"]
    inlines = [TrackModuleInline]


class ItemAdmin(admin.ModelAdmin):
    """Items are archived instead of deleted: learners may have recorded progress on them."""

    list_display = ["title", "key", "order", "source", "is_archived"]
    list_filter = ["is_archived", "source"]
    list_select_related = ["source"]
    search_fields = ["title", "key", "description"]
    prepopulated_fields = {"key": ["title"]}
    autocomplete_fields = ["source"]
    actions = ["archive", "restore"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Archive selected items (hide from pages, keep learners' progress)")
    def archive(self, request, queryset):
        count = queryset.update(is_archived=True)
        bump_content_version()
        self.message_user(request, f"Archived {count} item(s).", messages.SUCCESS)

    @admin.action(description="Restore selected items")
    def restore(self, request, queryset):
        count = queryset.update(is_archived=False)
        bump_content_version()
        self.message_user(request, f"Restored {count} item(s).", messages.SUCCESS)


@admin.register(Step)
class StepAdmin(ItemAdmin):
    fields = ["stage", "kind", "order", "title", "key", "description", "source", "is_archived"]
    list_display = ["title", "stage", "kind", "order", "source", "is_archived"]
    list_filter = ["stage", "kind", "is_archived", "source"]
    list_select_related = ["stage", "source"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(k.value, k.label) for k in Step.STEP_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class LevelItemAdmin(ItemAdmin):
    list_display = ["title", "level", "order", "source", "is_archived"]
    list_filter = ["level", "is_archived", "source"]
    list_select_related = ["level", "source"]


@admin.register(Deliverable)
class DeliverableAdmin(LevelItemAdmin):
    fields = ["level", "order", "title", "key", "description", "source", "is_archived"]


@admin.register(PortfolioProject)
class PortfolioProjectAdmin(LevelItemAdmin):
    fields = ["level", "order", "title", "key", "description", "skills", "source", "is_archived"]
    filter_horizontal = ["skills"]


@admin.register(Certification)
class CertificationAdmin(LevelItemAdmin):
    fields = ["level", "order", "title", "key", "issuer", "description", "source", "is_archived"]
    list_display = ["title", "issuer", "level", "source", "is_archived"]


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(LevelItemAdmin):
    fields = ["level", "order", "title", "key", "answer_covers", "source", "is_archived"]


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "unit", "direction", "target", "target_is_default", "source"]
    list_filter = ["level", "unit", "direction", "target_is_default"]
    list_select_related = ["level", "source"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Specialization)
class SpecializationAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "slug"]
    list_display_links = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "stage", "source", "order"]
    list_filter = ["level", "stage", "source"]
    list_select_related = ["level", "stage", "source"]
    search_fields = ["text"]


@admin.register(ContentRelease)
class ContentReleaseAdmin(admin.ModelAdmin):
    list_display = ["checksum", "loaded_at"]
    readonly_fields = ["checksum", "item_keys", "loaded_at"]

    def has_add_permission(self, request):
        return False
