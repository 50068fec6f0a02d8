from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdminMixin
from roadmap.models import (
    KPI,
    Certification,
    ContentRelease,
    Criterion,
    Deliverable,
    EditedByStaff,
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
from roadmap.services import AT_THE_END, item_section, order_place, quoted


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
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.endswith("wording") and field is not None:
            # Left out, the model fills it from the source (WordingDefaults): never a 500.
            field.required = False
        return field


def mark_changed(obj, fields) -> None:
    """The fields an editor changed keep their value at the next release."""
    if isinstance(obj, EditedByStaff):
        obj.mark_edited(fields)


def mark_changed_rows(formset) -> None:
    """Each row an editor changed in an inline (its parent, unchanged, is not marked)."""
    for row_form in formset.forms:
        if row_form.has_changed():
            mark_changed(row_form.instance, row_form.changed_data)


def _shown(form, name: str, value) -> str:
    field = form.fields.get(name)
    rows = getattr(field, "queryset", None)
    if isinstance(field, forms.ModelMultipleChoiceField) and rows is not None:
        pks = [getattr(v, "pk", v) for v in value or []]
        value = ", ".join(str(o) for o in rows.filter(pk__in=pks)) if pks else ""
    elif rows is not None and value is not None and not isinstance(value, models.Model):
        value = rows.filter(pk=value).first()
    text = "" if value is None else str(value)
    return quoted(text) if text else "empty"


def changed_values(form) -> str:
    """What a form changed, each field with its value before and after."""
    return "; ".join(
        f"{(form.fields[name].label or name).lower()} from {_shown(form, name, form.initial.get(name))} "
        f"to {_shown(form, name, form.cleaned_data.get(name))}"
        for name in form.changed_data
        if name in form.fields
    )


class ContentAdmin(NormalizedTextMixin, admin.ModelAdmin):
    def construct_change_message(self, request, form, formsets, add=False):
        """History an editor can read: every changed field with its old and new value (Django's
        own message names the fields only), for the row and each row of its inlines."""
        if add:
            return super().construct_change_message(request, form, formsets, add)
        lines = [f"Changed {changed_values(form)}."] if form.changed_data else []
        for formset in formsets or []:
            name = formset.model._meta.verbose_name
            changed = {row for row, _ in formset.changed_objects}
            lines += [f"Added {name} “{row}”." for row in formset.new_objects]
            lines += [
                f"Changed {name} “{row_form.instance}”: {changed_values(row_form)}."
                for row_form in formset.forms
                if row_form.instance in changed
            ]
            lines += [f"Deleted {name} “{row}”." for row in formset.deleted_objects]
        return " ".join(lines) or "No fields changed."

    def save_model(self, request, obj, form, change):
        mark_changed(obj, form.changed_data)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        mark_changed_rows(formset)
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


def source_field_of(model) -> str:
    """The field naming the guide(s) a row comes from: a few kinds of row are named by several."""
    return "sources" if model in (Skill, Specialization) else "source"


class SourceFilter(admin.SimpleListFilter):
    """Which guide a row comes from, or "ours" (no guide: our own mapping, placement or default)."""

    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("ours", "Ours (no guide)"), *((str(s.pk), s.short_label) for s in Source.objects.all())]

    def queryset(self, request, queryset):
        field = source_field_of(queryset.model)
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
        mark_changed_rows(formset)
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


class SourceForm(forms.ModelForm):
    """A new guide's key is made from its number, as the others are (guide-004), unless given."""

    class Meta:
        model = Source
        fields = ["number", "title", "key", "publisher", "date_stated", "url", "badge", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False
        self.fields["key"].help_text = "Empty: guide-NNN from its number. Releases find the guide by it."

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("key") and cleaned.get("number") is not None:
            cleaned["key"] = f"guide-{cleaned['number']:03d}"
        return cleaned


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    form = SourceForm
    list_display = ["number", "badge", "title", "publisher", "date_stated", "supplied"]
    list_display_links = ["title"]
    # The picker finds a guide by "003", "Guide 003", its publisher or its year.
    search_fields = ["title", "badge", "publisher", "date_stated", "key", "number"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lower().removeprefix("guide").strip()
        if term.isdigit():
            return queryset.filter(number=int(term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="what it supplied")
    def supplied(self, source):
        url = reverse("admin:roadmap_source_supplied", args=[source.pk])
        return format_html('<a href="{}">everything it supplied</a>', url)

    def get_urls(self):
        supplied = self.admin_site.admin_view(self.supplied_view)
        return [path("<int:pk>/supplied/", supplied, name="roadmap_source_supplied"), *super().get_urls()]

    def supplied_view(self, request, pk):
        """Everything one guide supplied, on one page: each kind of row with its count and links."""
        source = get_object_or_404(Source, pk=pk)
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        sections = []
        for model in SUPPLIED:
            field = source_field_of(model)
            # A row's name may read its parents (a level text names its level): one join, not a query each.
            parents = [f.name for f in model._meta.concrete_fields if f.many_to_one]
            rows = model._default_manager.filter(**{field: source}).select_related(*parents).distinct()
            name = model._meta.model_name
            links = [(str(row), reverse(f"admin:roadmap_{name}_change", args=[row.pk])) for row in rows]
            if links:
                listed = reverse(f"admin:roadmap_{name}_changelist") + f"?source={source.pk}"
                sections.append((model._meta.verbose_name_plural, links, listed))
        context = {
            **self.admin_site.each_context(request),
            "title": f"What {source.badge} supplied",
            "source": source,
            "sections": sections,
            "total": sum(len(links) for _, links, _ in sections),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/roadmap/source/supplied.html", context)


SUPPLIED = (
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
    Criterion,
    Skill,
    Specialization,
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
    fields = ["section", "order", "text", "wording", "source"]
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
    fields = [
        "order",
        "title",
        "key",
        "source",
        "level_source",
        "description",
        "description_wording",
        "description_source",
        "is_archived",
    ]
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
    autocomplete_fields = ["description_source"]


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
        mark_changed(obj, form.changed_data)
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
            item.mark_edited(["is_archived"])
            item.save(update_fields=["is_archived", "edited_at", "edited_fields"])
            self.log_change(request, item, "Archived (hidden from pages; learners' records kept).")
        self.message_user(request, f"Archived {len(items)} item(s).", messages.SUCCESS)

    @admin.action(description="Restore selected items (at the end of their section)", permissions=["change"])
    def restore(self, request, queryset):
        items = list(queryset.filter(is_archived=True))
        for item in items:
            item.is_archived, item.order = False, AT_THE_END
            item.mark_edited(["is_archived", "order"])
            order_place(siblings=item_section(item), placed=[item])
            self.log_change(request, item, "Restored at the end of its section.")
        self.message_user(request, f"Restored {len(items)} item(s).", messages.SUCCESS)


# An item's words, whose they are and its key; every kind's page has them in this order.
ITEM_TEXT_FIELDS = ["title", "key", "source", "description", "description_wording", "description_source"]


@admin.register(Step)
class StepAdmin(StepKindsMixin, ItemAdmin):
    fields = ["stage", "kind", "order", *ITEM_TEXT_FIELDS, "is_archived"]
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
LEVEL_ITEM_FIELDS = ["level", "level_source", "order", *ITEM_TEXT_FIELDS]


class CriterionInline(ContentTabularInline):
    """The criteria of this item alone; those of its whole kind are under Review criteria."""

    model = Criterion
    fields = ["order", "text", "required", "key", "wording", "source"]
    prepopulated_fields = {"key": ["text"]}
    autocomplete_fields = ["source"]
    extra = 0
    verbose_name_plural = "review criteria of this item (besides those of every item of its kind)"


@admin.register(Deliverable)
class DeliverableAdmin(LevelItemAdmin):
    fields = [*LEVEL_ITEM_FIELDS, "is_archived"]
    inlines = [CriterionInline]


@admin.register(PortfolioProject)
class PortfolioProjectAdmin(LevelItemAdmin):
    fields = [*LEVEL_ITEM_FIELDS, "skills", "is_archived"]
    filter_horizontal = ["skills"]
    inlines = [CriterionInline]


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
        "description_wording",
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
    list_display = ["__str__", "level", "stage", "topic", "wording", "source", "order"]
    list_filter = ["level", "stage", "topic", "wording", SourceFilter]
    list_select_related = ["level", "stage", "source"]
    search_fields = ["text"]
    autocomplete_fields = ["source"]


@admin.register(LevelText)
class LevelTextAdmin(ContentAdmin):
    list_display = ["__str__", "level", "section", "order", "wording", "source"]
    list_filter = ["level", "section", "wording", SourceFilter]
    list_select_related = ["level", "source"]
    ordering = ["level__order", "section", "order"]
    search_fields = ["text"]
    autocomplete_fields = ["source"]


@admin.register(RoleArea)
class RoleAreaAdmin(ContentAdmin):
    list_display = ["__str__", "group", "wording", "source", "level", "order"]
    list_filter = ["group", "wording", SourceFilter]
    list_select_related = ["source", "level"]
    ordering = ["group", "source__number", "order"]
    search_fields = ["title", "description", "entries"]
    prepopulated_fields = {"key": ["title"]}
    autocomplete_fields = ["source"]


@admin.register(Criterion)
class CriterionAdmin(ContentAdmin):
    list_display = ["text", "kind", "item", "required", "order", "wording", "source"]
    list_filter = ["kind", "required", "wording", SourceFilter]
    list_select_related = ["item", "source"]
    ordering = ["kind", "item__key", "order"]
    search_fields = ["text", "key", "item__title"]
    prepopulated_fields = {"key": ["text"]}
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
    """Every change made in the admin, by every editor, newest first (Django's own history), with
    each change's old and new values. Staff with the "view log entry" permission see all of it (it
    names learners' records too); a content editor sees the content's entries."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "what_changed"]
    list_filter = ["action_flag", "content_type", ("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email", "user__name"]
    date_hierarchy = "action_time"

    @admin.display(description="what changed")
    def what_changed(self, entry) -> str:
        return entry.get_change_message()

    @staticmethod
    def _sees_everything(request) -> bool:
        return request.user.has_perm("admin.view_logentry")

    def has_view_permission(self, request, obj=None):
        # A content editor reads the content's history (not the learners' records).
        editor = request.user.is_staff and any(
            p.startswith("roadmap.change_") for p in request.user.get_all_permissions()
        )
        return self._sees_everything(request) or editor

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        entries = super().get_queryset(request)
        return entries if self._sees_everything(request) else entries.filter(content_type__app_label="roadmap")
