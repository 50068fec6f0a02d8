from django.contrib import admin, messages

from roadmap.models import (
    KPI,
    Certification,
    ContentRelease,
    Deliverable,
    ExperienceRange,
    InterviewQuestion,
    Item,
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
from roadmap.services import order_place


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "publisher", "date_stated"]
    list_display_links = ["title"]
    search_fields = ["title", "publisher"]
    prepopulated_fields = {"key": ["title"]}


class OrderedInlineMixin:
    """An inline whose rows have a position among the parent's current rows: the position may be
    left empty (the row goes to the end), and two rows asking for the same one never clash (the
    parent admin saves them through roadmap.services.order_place)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "order":
            field.required = False
            field.help_text = "Empty: at the end. A taken position moves the others down."
        return field


class OrderedParentAdmin(admin.ModelAdmin):
    """Saves the rows of ordered inlines through order_place: `order_scopes` maps the inline's
    model to the rows of the parent that share its positions."""

    order_scopes: dict = {}

    def save_formset(self, request, form, formset, change):
        scope = self.order_scopes.get(formset.model)
        if scope is None:
            return super().save_formset(request, form, formset, change)
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row_form in formset.forms:
            # A restored item goes back at the end of its section, not into its old, maybe taken, place.
            if "is_archived" in row_form.changed_data and not row_form.instance.is_archived:
                row_form.instance.order = None
                if row_form.instance not in rows:
                    rows.append(row_form.instance)
        archived = [row for row in rows if getattr(row, "is_archived", False)]
        for row in archived:
            row.save()
        order_place(siblings=scope(formset.instance), placed=[row for row in rows if row not in archived])
        formset.save_m2m()


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


class KPIInline(OrderedInlineMixin, admin.TabularInline):
    model = KPI
    extra = 0
    fields = ["order", "name", "slug", "unit", "direction", "target", "target_is_default", "source"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]


class LevelItemInline(OrderedInlineMixin, admin.StackedInline):
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
class LevelAdmin(OrderedParentAdmin):
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
    order_scopes = {
        KPI: lambda level: KPI.objects.filter(level=level),
        Deliverable: lambda level: Item.objects.current().filter(level=level, kind=Item.Kind.DELIVERABLE),
        InterviewQuestion: lambda level: Item.objects.current().filter(level=level, kind=Item.Kind.QUESTION),
    }


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


class StepKindsMixin:
    """A step is a learn or a practice item; the other kinds belong to a level, not a stage."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(k.value, k.label) for k in Step.STEP_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class StepInline(StepKindsMixin, OrderedInlineMixin, admin.TabularInline):
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
class StageAdmin(OrderedParentAdmin):
    list_display = ["order", "title", "level", "source"]
    list_display_links = ["title"]
    list_select_related = ["level", "source"]
    list_filter = ["level"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StepInline, TrackInline]
    order_scopes = {Step: lambda stage: Item.objects.current().filter(stage=stage)}


class TrackModuleInline(OrderedInlineMixin, admin.TabularInline):
    model = TrackModule
    extra = 0


@admin.register(Track)
class TrackAdmin(OrderedParentAdmin):
    list_display = ["__str__", "stage", "letter"]
    list_select_related = ["stage"]
    list_filter = ["stage"]
    inlines = [TrackModuleInline]
    order_scopes = {TrackModule: lambda track: TrackModule.objects.filter(track=track)}


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "order":
            field.required = False
            field.help_text = "Empty: at the end of its section. A taken position moves the others down."
        return field

    def save_model(self, request, obj, form, change):
        if obj.is_archived:
            return super().save_model(request, obj, form, change)
        if "is_archived" in form.changed_data:  # restored: back at the end of its section
            obj.order = None
        order_place(siblings=self.section(obj), placed=[obj])

    @staticmethod
    def section(item):
        """The current items that share positions with this one."""
        current = Item.objects.current()
        return current.filter(stage=item.stage) if item.stage_id else current.filter(level=item.level, kind=item.kind)

    @admin.action(
        description="Archive selected items (hide from pages, keep learners' progress)", permissions=["change"]
    )
    def archive(self, request, queryset):
        items = list(queryset.filter(is_archived=False))
        for item in items:
            item.is_archived = True
            item.save(update_fields=["is_archived"])
            self.log_change(request, item, "Archived (hidden from pages; learners' records kept).")
        self.message_user(request, f"Archived {len(items)} item(s).", messages.SUCCESS)

    @admin.action(description="Restore selected items (at the end of their section)", permissions=["change"])
    def restore(self, request, queryset):
        items = list(queryset.filter(is_archived=True))
        for item in items:
            item.is_archived, item.order = False, None
            order_place(siblings=self.section(item), placed=[item])
            self.log_change(request, item, "Restored at the end of its section.")
        self.message_user(request, f"Restored {len(items)} item(s).", messages.SUCCESS)


@admin.register(Step)
class StepAdmin(StepKindsMixin, ItemAdmin):
    fields = ["stage", "kind", "order", "title", "key", "description", "source", "is_archived"]
    list_display = ["title", "stage", "kind", "order", "source", "is_archived"]
    list_filter = ["stage", "kind", "is_archived", "source"]
    list_select_related = ["stage", "source"]


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
