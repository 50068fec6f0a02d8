from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join

from core.admin import ReadOnlyAdminMixin
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
    LevelText,
    PortfolioProject,
    RoleArea,
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
from roadmap.services import AT_THE_END, item_section, order_place


class LFCharField(forms.CharField):
    """Browsers post text areas with CRLF line ends; stored text uses LF, so an untouched field
    stays unchanged (and its history says so)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class NormalizedTextMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField):
            kwargs["form_class"] = LFCharField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def mark_edited(*rows) -> None:
    """An editor changed these: the next release leaves them as they are."""
    now = timezone.now()
    for row in rows:
        if hasattr(row, "edited_at"):
            row.edited_at = now


class ContentAdmin(NormalizedTextMixin, admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        mark_edited(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        mark_edited(*(row_form.instance for row_form in formset.forms if row_form.has_changed()))
        super().save_formset(request, form, formset, change)


class ContentTabularInline(NormalizedTextMixin, admin.TabularInline):
    pass


class ContentStackedInline(NormalizedTextMixin, admin.StackedInline):
    pass


def learner_records(obj) -> int:
    """How many rows outside the content point at this one (learners' records), without knowing
    the apps that hold them."""
    return sum(
        rel.related_model._default_manager.filter(**{rel.field.name: obj}).count()
        for rel in obj._meta.related_objects
        if rel.related_model._meta.app_label != obj._meta.app_label
    )


class SourceFilter(admin.SimpleListFilter):
    """Which guide a row comes from, or "ours" (no guide: our own mapping, placement or default)."""

    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("ours", "Ours (no guide)"), *((str(s.pk), s.short_label) for s in Source.objects.all())]

    def queryset(self, request, queryset):
        field = "sources" if queryset.model in (Skill, Specialization) else "source"
        if self.value() == "ours":
            return queryset.filter(**{f"{field}__isnull": True})
        if self.value():
            return queryset.filter(**{field: self.value()}).distinct()
        return queryset


class OrderedInlineMixin:
    """Rows with a position among their section's current rows (in an inline or on their own
    page): the position may be left empty (the row goes to the end), and two rows asking for the
    same one never clash (they are saved through roadmap.services.order_place)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "order":
            field.required = False
            field.help_text = "Empty: at the end of its section. A taken position moves the others down."
        return field


class OrderedParentAdmin(ContentAdmin):
    """Saves the rows of ordered inlines through order_place: `order_scopes` maps the inline's
    model to the rows of the parent that share its positions."""

    order_scopes: dict = {}

    def save_formset(self, request, form, formset, change):
        scope = self.order_scopes.get(formset.model)
        if scope is None:
            return super().save_formset(request, form, formset, change)
        mark_edited(*(row_form.instance for row_form in formset.forms if row_form.has_changed()))
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row_form in formset.forms:
            # A restored item goes back at the end of its section, not into its old, maybe taken, place.
            if "is_archived" in row_form.changed_data and not row_form.instance.is_archived:
                row_form.instance.order = AT_THE_END
                if row_form.instance not in rows:
                    rows.append(row_form.instance)
        archived = [row for row in rows if getattr(row, "is_archived", False)]
        for row in archived:
            row.save()
        order_place(siblings=scope(formset.instance), placed=[row for row in rows if row not in archived])
        formset.save_m2m()


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ["number", "badge", "title", "publisher", "date_stated", "supplied"]
    list_display_links = ["title"]
    # The picker finds a guide by "003", "Guide 003", its publisher or its year.
    search_fields = ["title", "badge", "publisher", "date_stated", "key", "number"]
    prepopulated_fields = {"key": ["title"]}

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lower().removeprefix("guide").strip()
        if term.isdigit():
            return queryset.filter(number=int(term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="what it supplied")
    def supplied(self, source):
        links = [
            (model, reverse(f"admin:roadmap_{model._meta.model_name}_changelist") + f"?source={source.pk}")
            for model in (
                SalaryBand,
                ExperienceRange,
                LevelText,
                LevelSkill,
                KPI,
                Stage,
                Step,
                Deliverable,
                PortfolioProject,
                Certification,
                InterviewQuestion,
                Tip,
                RoleArea,
                Skill,
                Specialization,
            )
        ]
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((url, model._meta.verbose_name_plural) for model, url in links)
        )


class SalaryBandInline(ContentTabularInline):
    model = SalaryBand
    extra = 0
    classes = ["collapse"]  # the Level page folds into sections
    autocomplete_fields = ["source"]


class ExperienceRangeInline(ContentTabularInline):
    model = ExperienceRange
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["source"]


class LevelTextInline(ContentTabularInline):
    """What the level page says, one statement a row, each with its guide (empty: ours)."""

    model = LevelText
    extra = 0
    classes = ["collapse"]
    fields = ["section", "order", "text", "source"]
    autocomplete_fields = ["source"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}}


class LevelSkillInline(ContentTabularInline):
    model = LevelSkill
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["skill", "source"]


class KPIForm(forms.ModelForm):
    """A KPI whose unit changes while learners have logged values asks first: their numbers stay
    as they are and will read in the new unit."""

    confirm_unit_change = forms.BooleanField(
        required=False, label="Change the unit anyway (learners' logged numbers stay and read in the new unit)"
    )

    def clean(self):
        data = super().clean()
        if self.instance.pk and "unit" in self.changed_data and not data.get("confirm_unit_change"):
            count = learner_records(self.instance)
            if count:
                raise forms.ValidationError(
                    f"Learners have {count} value(s) logged for this KPI in {self.instance.get_unit_display()}: "
                    "changing the unit relabels them without converting them. Tick the confirmation to go ahead, "
                    "or add a new KPI instead."
                )
        # A target an editor sets is no longer our default, unless they tick it again themselves.
        if self.instance.pk and "target" in self.changed_data and "target_is_default" not in self.changed_data:
            data["target_is_default"] = self.instance.target_is_default = False
        return data


class KPIInline(OrderedInlineMixin, ContentTabularInline):
    form = KPIForm
    model = KPI
    extra = 0
    classes = ["collapse"]
    fields = [
        "order",
        "name",
        "slug",
        "unit",
        "direction",
        "target",
        "target_is_default",
        "source",
        "confirm_unit_change",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]


class ItemForm(forms.ModelForm):
    """An item's key is how releases and learners' records find it: fixed once the item exists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "key" in self.fields:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = "Fixed once created: releases and learners' records find the item by it."


class LevelItemInline(OrderedInlineMixin, ContentStackedInline):
    form = ItemForm
    classes = ["collapse"]
    extra = 0
    can_delete = False
    fk_name = "level"
    autocomplete_fields = ["source"]
    show_change_link = True


class DeliverableInline(LevelItemInline):
    model = Deliverable
    fields = ["order", "title", "key", "source", "level_source", "description", "description_source", "is_archived"]
    autocomplete_fields = ["source", "level_source", "description_source"]


class InterviewQuestionInline(LevelItemInline):
    model = InterviewQuestion
    fields = ["order", "title", "key", "answer_covers", "source", "level_source", "is_archived"]
    autocomplete_fields = ["source", "level_source"]


@admin.register(Level)
class LevelAdmin(OrderedParentAdmin):
    list_display = ["order", "title", "slug", "years_min", "years_max"]
    list_display_links = ["title"]
    search_fields = ["title", "aliases", "texts__text"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        LevelTextInline,
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
class SalaryBandAdmin(ContentAdmin):
    list_display = ["level", "source", "label_as_stated", "min_amount", "max_amount", "open_ended", "currency"]
    list_filter = [SourceFilter, "level"]
    search_fields = ["label_as_stated", "level__title", "source__title"]
    list_select_related = ["level", "source"]
    ordering = ["level__order", "source__number"]


@admin.register(ExperienceRange)
class ExperienceRangeAdmin(ContentAdmin):
    list_display = ["level", "source", "label_as_stated", "years_min", "years_max"]
    list_filter = [SourceFilter, "level"]
    search_fields = ["label_as_stated", "level__title", "source__title"]
    ordering = ["level__order", "source__number"]
    list_select_related = ["level", "source"]


class SkillLevelsInline(ContentTabularInline):
    """Which levels expect the skill, and how."""

    model = LevelSkill
    extra = 0
    fields = ["level", "expectation", "source"]
    autocomplete_fields = ["source"]
    verbose_name_plural = "levels that expect it"


@admin.register(Skill)
class SkillAdmin(ContentAdmin):
    inlines = [SkillLevelsInline]
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind", SourceFilter]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


@admin.register(LevelSkill)
class LevelSkillAdmin(ContentAdmin):
    list_display = ["level", "skill", "expectation", "source"]
    list_filter = ["level", "expectation", "skill__kind", SourceFilter]
    ordering = ["level__order", "order"]
    list_select_related = ["level", "skill", "source"]
    search_fields = ["skill__name"]
    autocomplete_fields = ["skill", "source"]


class StepKindsMixin:
    """A step is a learn or a practice item; the other kinds belong to a level, not a stage."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(k.value, k.label) for k in Step.STEP_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class StepInline(StepKindsMixin, OrderedInlineMixin, ContentTabularInline):
    model = Step
    form = ItemForm
    extra = 0
    can_delete = False
    fk_name = "stage"
    fields = ["order", "kind", "title", "key", "source", "is_archived"]
    autocomplete_fields = ["source"]
    show_change_link = True


class TrackInline(ContentTabularInline):
    model = Track
    extra = 0
    show_change_link = True


@admin.register(Stage)
class StageAdmin(OrderedParentAdmin):
    list_display = ["order", "title", "level", "source"]
    list_display_links = ["title"]
    list_select_related = ["level", "source"]
    list_filter = ["level", SourceFilter]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source", "level_source"]
    inlines = [StepInline, TrackInline]
    order_scopes = {Step: lambda stage: Item.objects.current().filter(stage=stage)}


class TrackModuleInline(OrderedInlineMixin, ContentTabularInline):
    model = TrackModule
    extra = 0


@admin.register(Track)
class TrackAdmin(OrderedParentAdmin):
    list_display = ["__str__", "stage", "letter"]
    list_select_related = ["stage"]
    list_filter = ["stage"]
    search_fields = ["stage__title", "letter", "description", "modules__title"]
    ordering = ["stage__order", "letter"]
    inlines = [TrackModuleInline]
    order_scopes = {TrackModule: lambda track: TrackModule.objects.filter(track=track)}


class ItemAdmin(OrderedInlineMixin, ContentAdmin):
    """Items are archived instead of deleted: learners may have recorded progress on them."""

    form = ItemForm

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    list_display = ["title", "key", "order", "source", "is_archived"]
    list_filter = ["is_archived", SourceFilter]
    list_select_related = ["source"]
    search_fields = ["title", "key", "description"]
    prepopulated_fields = {"key": ["title"]}
    autocomplete_fields = ["source", "description_source", "level_source", "issuer_source"]
    actions = ["archive", "restore"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The kind first: a new deliverable's place is among its level's deliverables.
        obj.default_kind()
        if obj.is_archived:
            return super().save_model(request, obj, form, change)
        if "is_archived" in form.changed_data:  # restored: back at the end of its section
            obj.order = AT_THE_END
        order_place(siblings=item_section(obj), placed=[obj])

    @admin.action(
        description="Archive selected items (hide from pages, keep learners' progress)", permissions=["change"]
    )
    def archive(self, request, queryset):
        items = list(queryset.filter(is_archived=False))
        for item in items:
            item.is_archived = True
            mark_edited(item)
            item.save(update_fields=["is_archived", "edited_at"])
            self.log_change(request, item, "Archived (hidden from pages; learners' records kept).")
        self.message_user(request, f"Archived {len(items)} item(s).", messages.SUCCESS)

    @admin.action(description="Restore selected items (at the end of their section)", permissions=["change"])
    def restore(self, request, queryset):
        items = list(queryset.filter(is_archived=True))
        for item in items:
            item.is_archived, item.order = False, AT_THE_END
            order_place(siblings=item_section(item), placed=[item])
            self.log_change(request, item, "Restored at the end of its section.")
        self.message_user(request, f"Restored {len(items)} item(s).", messages.SUCCESS)


@admin.register(Step)
class StepAdmin(StepKindsMixin, ItemAdmin):
    fields = ["stage", "kind", "order", "title", "key", "source", "description", "description_source", "is_archived"]
    list_display = ["title", "stage", "kind", "order", "source", "is_archived"]
    list_filter = ["stage", "kind", "is_archived", SourceFilter]
    ordering = ["stage__order", "order"]
    list_select_related = ["stage", "source"]


class LevelItemAdmin(ItemAdmin):
    list_display = ["title", "level", "order", "source", "is_archived"]
    list_filter = ["level", "is_archived", SourceFilter]
    ordering = ["level__order", "order"]
    list_select_related = ["level", "source"]


# What an item of a level says and where each part of it comes from.
LEVEL_ITEM_FIELDS = ["level", "level_source", "order", "title", "key", "source", "description", "description_source"]


@admin.register(Deliverable)
class DeliverableAdmin(LevelItemAdmin):
    fields = [*LEVEL_ITEM_FIELDS, "is_archived"]


@admin.register(PortfolioProject)
class PortfolioProjectAdmin(LevelItemAdmin):
    fields = [*LEVEL_ITEM_FIELDS, "skills", "is_archived"]
    filter_horizontal = ["skills"]


@admin.register(Certification)
class CertificationAdmin(LevelItemAdmin):
    fields = [
        "level",
        "level_source",
        "order",
        "title",
        "key",
        "source",
        "issuer",
        "issuer_source",
        "description",
        "description_source",
        "is_archived",
    ]
    list_display = ["title", "issuer", "level", "source", "is_archived"]


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(LevelItemAdmin):
    fields = ["level", "level_source", "order", "title", "key", "answer_covers", "source", "is_archived"]


@admin.register(KPI)
class KPIAdmin(ContentAdmin):
    form = KPIForm
    list_display = ["name", "level", "unit", "direction", "target", "target_is_default", "source"]
    list_filter = ["level", "unit", "direction", "target_is_default", SourceFilter]
    ordering = ["level__order", "order"]
    list_select_related = ["level", "source"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source", "description_source"]


@admin.register(Specialization)
class SpecializationAdmin(ContentAdmin):
    list_display = ["order", "name", "slug"]
    list_display_links = ["name"]
    search_fields = ["name", "description"]
    list_filter = [SourceFilter]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]
    autocomplete_fields = ["description_source"]


@admin.register(Tip)
class TipAdmin(ContentAdmin):
    list_display = ["__str__", "level", "stage", "topic", "source", "order"]
    list_filter = ["level", "stage", "topic", SourceFilter]
    list_select_related = ["level", "stage", "source"]
    search_fields = ["text"]
    autocomplete_fields = ["source"]


@admin.register(LevelText)
class LevelTextAdmin(ContentAdmin):
    list_display = ["__str__", "level", "section", "order", "source"]
    list_filter = ["level", "section", SourceFilter]
    list_select_related = ["level", "source"]
    ordering = ["level__order", "section", "order"]
    search_fields = ["text"]
    autocomplete_fields = ["source"]


@admin.register(RoleArea)
class RoleAreaAdmin(ContentAdmin):
    list_display = ["title", "group", "source", "level", "order"]
    list_filter = ["group", SourceFilter]
    list_select_related = ["source", "level"]
    ordering = ["group", "source__number", "order"]
    search_fields = ["title", "description", "entries"]
    prepopulated_fields = {"key": ["title"]}
    autocomplete_fields = ["source"]


@admin.register(ContentRelease)
class ContentReleaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of what was loaded when and what each release changed, kept and could not apply:
    nobody edits it (not even the report), and deleting one would make the next load forget which
    items to archive."""

    list_display = ["checksum", "loaded_at"]
    readonly_fields = ["checksum", "item_keys", "loaded_at", "report"]
    search_fields = ["checksum"]


@admin.register(LogEntry)
class RecentChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every change made in the admin, by every editor, newest first (Django's own history).
    Staff see it with the "view log entry" permission (it names learners' records too)."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "change_message"]
    list_filter = ["action_flag", "content_type", "user"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email", "user__name"]
    date_hierarchy = "action_time"
