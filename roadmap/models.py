"""Career content: the ladder, the roadmap and what each level is judged by.

Content knows nothing of learners. Figures on which the guides disagree
(salary, years) are stored once per Source. Every piece of text says where it comes from: a
source field per fact (a row's `source`, and `<part>_source` where one part of a row, such as a
description or a placement, has a provenance of its own). An empty source means ours: written,
mapped or placed by us, and shown as "ours", never under a guide's name.

Prose also says whose words it is in (`wording`, `<part>_wording`): quoted (the guide's own
words), summarised (our words for what the guide says) or ours (no guide says it). The database
holds the two together: a text is ours exactly when it has no source.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class NaturalKeyQuerySet(models.QuerySet):
    """Fixtures refer to content by a stable key, never by database id."""

    def get_by_natural_key(self, key):
        return self.get(**{self.model.natural_key_field: key})


# Every field, for a row an editor changed before edits were tracked field by field.
ALL_FIELDS = "*"


class EditedByStaff(models.Model):
    """Content a release loads. A field an editor changes in the admin stays as the editor left
    it; the release still applies its changes to the row's other fields
    (roadmap.services.content_release_load)."""

    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed it in the admin."
    )
    edited_fields = models.JSONField(
        default=list, blank=True, editable=False, help_text='The fields an editor changed ("*": all of them).'
    )
    released = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Each field as the last release set it: tells a release's own change from an editor's.",
    )

    class Meta:
        abstract = True

    def mark_edited(self, fields) -> None:
        """An editor changed these fields (model field names); the next release keeps them."""
        names = {f.name for f in self._meta.get_fields()} & set(fields)
        if names:
            self.edited_at = timezone.now()
            self.edited_fields = sorted(set(self.edited_fields) | names)


class NaturalKeyModel(models.Model):
    natural_key_field = "slug"

    class Meta:
        abstract = True

    def natural_key(self):
        return (getattr(self, self.natural_key_field),)


class Source(EditedByStaff, NaturalKeyModel):
    natural_key_field = "key"

    key = models.SlugField(max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(unique=True, help_text="Order in which sources are shown.")
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True, help_text="As stated by the guide.")
    date_stated = models.CharField(max_length=100, blank=True, help_text="Date or year as the guide states it.")
    note = models.TextField(blank=True, help_text="What the guide covers and what it leaves out.")
    url = models.URLField("address", max_length=500, blank=True, help_text="Where the guide can be read, if online.")
    salary_label = models.CharField(
        max_length=120,
        blank=True,
        help_text="How the guide heads its salary figures, as stated (e.g. “Average Salary Range”).",
    )
    badge = models.CharField(
        max_length=60,
        unique=True,
        help_text="How pages name the guide in a badge: its publisher and year where it states them, "
        "else a short form of its title with its year (e.g. “Interview Kickstart 2025”).",
    )

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Guide {self.number:03d}: {self.badge}"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:sources") + f"#{self.key}"

    @property
    def short_label(self) -> str:
        return f"Guide {self.number:03d}"


def source_field(help_text: str, related_name: str | None = "+", on_delete=models.SET_NULL):
    """A foreign key naming the guide a row, or one part of it, comes from; empty means ours.
    A guide whose words a text is in cannot be deleted from under it (PROTECT): the text would
    turn into ours."""
    return models.ForeignKey(
        Source, null=True, blank=True, on_delete=on_delete, related_name=related_name, help_text=help_text
    )


class Wording(models.TextChoices):
    QUOTED = "quoted", "Quoted from the guide"
    SUMMARISED = "summarised", "In our words, from the guide"
    OURS = "ours", "Ours (no guide states it)"


def wording_field(part: str = "text"):
    return models.CharField(
        max_length=10,
        choices=Wording.choices,
        default=Wording.OURS,
        help_text=f"Whose words the {part} is in. Ours exactly when no guide is named for it.",
    )


def wording_matches_source(model: str, wording: str = "wording", source: str = "source") -> models.CheckConstraint:
    """A quoted or summarised text names its guide; a text of ours names none."""
    ours = Q(**{wording: Wording.OURS})
    return models.CheckConstraint(
        condition=(ours & Q(**{f"{source}__isnull": True})) | (~ours & Q(**{f"{source}__isnull": False})),
        name=f"{model}_{wording}_source",
        violation_error_message="A quoted or summarised text names the guide it comes from; a text of ours names none.",
    )


class WordingDefaults(models.Model):
    """A wording left empty (a form that does not send one) is filled from its source: ours
    without one, summarised with one. It never claims a quote nobody checked."""

    wordings: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        for wording, source in self.wordings:
            if not getattr(self, wording):
                has_source = getattr(self, f"{source}_id") is not None
                setattr(self, wording, Wording.SUMMARISED if has_source else Wording.OURS)


class LevelQuerySet(NaturalKeyQuerySet):
    def with_ladder_figures(self):
        """Levels with their salary bands, year ranges and texts by source, for the ladder page."""
        return self.prefetch_related(
            models.Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source")),
            models.Prefetch("experience_ranges", queryset=ExperienceRange.objects.select_related("source")),
            models.Prefetch("texts", queryset=LevelText.objects.select_related("source")),
        )

    def for_years(self, years: int):
        """The level whose year range holds `years` of experience (the highest one if ranges overlap)."""
        return (
            self.filter(years_min__lte=years)
            .filter(Q(years_max__isnull=True) | Q(years_max__gt=years))
            .order_by("-order")
            .first()
        )


class Level(EditedByStaff, NaturalKeyModel):
    order = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    aliases = models.CharField(max_length=300, blank=True, help_text="Other names the guides use, comma-separated.")
    years_min = models.PositiveSmallIntegerField(help_text="Years of experience the app uses to suggest this level.")
    years_max = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty means open-ended (“+”).")

    objects = LevelQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years_max__isnull=True) | Q(years_min__lte=models.F("years_max")),
                name="level_years_min_lte_max",
                violation_error_message="The fewest years cannot be more than the most years.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap:level", args=[self.slug])

    @property
    def years_label(self) -> str:
        return years_label(self.years_min, self.years_max)

    @property
    def years_wording(self) -> str:
        """The level's own years are ours: the range the app suggests it from at sign-up."""
        return Wording.OURS

    def clean(self):
        # Onboarding suggests a level from years: two levels claiming the same years would make it guess.
        other = closed_ranges_overlap(Level.objects.exclude(pk=self.pk), self.years_min, self.years_max)
        if other:
            raise ValidationError({"years_max": f"These years overlap {other.title} ({other.years_label})."})

    def texts_of(self, section: str) -> list["LevelText"]:
        """This level's texts of one section, in order; prefetch `texts` before reading many."""
        return [text for text in self.texts.all() if text.section == section]

    @property
    def summaries(self) -> list["LevelText"]:
        return self.texts_of(LevelText.Section.SUMMARY)


class LevelTextQuerySet(models.QuerySet):
    def get_by_natural_key(self, level_slug, section, order):
        return self.get(level__slug=level_slug, section=section, order=order)


class LevelText(WordingDefaults, EditedByStaff, models.Model):
    """One statement about a level (a summary, a responsibility, a line of advice...) with the
    guide it comes from and whose words it is in. A section can hold statements of several guides
    and of ours side by side."""

    wordings = (("wording", "source"),)

    class Section(models.TextChoices):
        SUMMARY = "summary", "Summary"
        NAME = "name", "Also named"
        OUTCOME = "outcome", "Role outcomes"
        RESPONSIBILITY = "responsibility", "Day-to-day responsibilities"
        FOCUS = "focus", "What to focus on"
        ADVANCE = "advance", "How to advance"
        AUDIENCE = "audience", "Who this level is for"

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="texts")
    section = models.CharField(max_length=20, choices=Section.choices)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    wording = wording_field()
    source = source_field("Empty: written by us (ours).", related_name=None, on_delete=models.PROTECT)

    objects = LevelTextQuerySet.as_manager()

    class Meta:
        ordering = ["level__order", "section", "order"]
        verbose_name = "level text"
        constraints = [
            models.UniqueConstraint(
                fields=["level", "section", "order"],
                name="level_text_order_unique",
                violation_error_message="Two texts of one section of a level cannot share a position.",
            ),
            wording_matches_source("level_text"),
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.get_section_display()}: {self.text[:60]}"

    def natural_key(self):
        return (self.level.slug, self.section, self.order)


def closed_ranges_overlap(rows, years_min: int, years_max: int | None):
    """The first of `rows` whose closed years range overlaps [years_min, years_max], or None.
    Touching ends (0-2 and 2-5) are fine; open-ended ranges ("10+") are how the guides state the
    senior roles and may overlap anything."""
    if years_max is None:
        return None
    return next(
        (r for r in rows if r.years_max is not None and years_min < r.years_max and r.years_min < years_max), None
    )


def years_label(years_min: int, years_max: int | None) -> str:
    return f"{years_min}+ years" if years_max is None else f"{years_min}–{years_max} years"


class PerSourceQuerySet(models.QuerySet):
    def get_by_natural_key(self, level_slug, source_key):
        return self.get(level__slug=level_slug, source__key=source_key)


class ExperienceRange(EditedByStaff, models.Model):
    """Years of experience for a level as one guide states them."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="experience_ranges")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="experience_ranges")
    label_as_stated = models.CharField(max_length=120, blank=True, help_text="The guide's own name for the level.")
    years_min = models.PositiveSmallIntegerField()
    years_max = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty means open-ended (“+”).")

    objects = PerSourceQuerySet.as_manager()

    class Meta:
        ordering = ["level__order", "source__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "source"],
                name="experience_range_one_per_source",
                violation_error_message="This guide already gives years for this level; edit that row instead.",
            ),
            models.CheckConstraint(
                condition=Q(years_max__isnull=True) | Q(years_min__lte=models.F("years_max")),
                name="experience_range_min_lte_max",
                violation_error_message="The fewest years cannot be more than the most years.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} ({self.source.short_label}): {self.label}"

    def clean(self):
        if not (self.source_id and self.level_id):
            return
        same_guide = ExperienceRange.objects.filter(source_id=self.source_id).exclude(level_id=self.level_id)
        other = closed_ranges_overlap(same_guide.select_related("level"), self.years_min, self.years_max)
        if other:
            raise ValidationError(
                {"years_max": f"These years overlap {other.level.title} ({other.years_min}–{other.years_max}) here."}
            )

    def natural_key(self):
        return (self.level.slug, self.source.key)

    @property
    def label(self) -> str:
        return years_label(self.years_min, self.years_max)


# The currencies a guide may state pay in; "XX1" is no currency.
CURRENCIES = [
    ("USD", "US dollar"),
    ("EUR", "Euro"),
    ("GBP", "Pound sterling"),
    ("INR", "Indian rupee"),
    ("CAD", "Canadian dollar"),
    ("AUD", "Australian dollar"),
]


class SalaryBand(EditedByStaff, models.Model):
    """Yearly pay for a level as one guide states it; guides disagree, so each keeps its own."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="salary_bands")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="salary_bands")
    label_as_stated = models.CharField(max_length=120, blank=True, help_text="The guide's own name for the level.")
    min_amount = models.PositiveIntegerField()
    max_amount = models.PositiveIntegerField(null=True, blank=True, help_text="Empty when the guide gives only “X+”.")
    currency = models.CharField(max_length=3, default="USD", choices=CURRENCIES)
    open_ended = models.BooleanField(default=False, help_text="The guide writes the upper figure with a “+”.")
    growth_note = models.CharField(max_length=120, blank=True, help_text="E.g. “+10% annually”, as stated.")

    objects = PerSourceQuerySet.as_manager()

    class Meta:
        ordering = ["level__order", "source__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "source"],
                name="salary_band_one_per_source",
                violation_error_message="This guide already gives a salary band for this level; edit that row instead.",
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(min_amount__lte=models.F("max_amount")),
                name="salary_band_min_lte_max",
                violation_error_message="The lowest salary cannot be above the highest.",
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=False) | Q(open_ended=True),
                name="salary_band_no_max_means_open_ended",
                violation_error_message="A band without a highest salary must be marked open-ended (“$300k+”).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} ({self.source.short_label}): {self.label}"

    def natural_key(self):
        return (self.level.slug, self.source.key)

    @property
    def label(self) -> str:
        low = f"${self.min_amount:,}" if self.currency == "USD" else f"{self.min_amount:,} {self.currency}"
        if self.max_amount is None:
            return f"{low}+"
        high = f"${self.max_amount:,}" if self.currency == "USD" else f"{self.max_amount:,} {self.currency}"
        return f"{low} – {high}{'+' if self.open_ended else ''}"


class Skill(WordingDefaults, EditedByStaff, NaturalKeyModel):
    wordings = (("description_wording", "description_source"),)

    class Kind(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        SOFT = "soft", "Soft"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TECHNICAL)
    name_wording = wording_field("name, as the guides naming it (sources) write it,")
    description = models.TextField(blank=True)
    description_wording = wording_field("description")
    description_source = source_field(
        "Guide the description comes from; empty: written by us.", on_delete=models.PROTECT
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="skills")

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [wording_matches_source("skill", "description_wording", "description_source")]

    def __str__(self) -> str:
        return self.name


class LevelSkillQuerySet(models.QuerySet):
    def get_by_natural_key(self, level_slug, skill_slug):
        return self.get(level__slug=level_slug, skill__slug=skill_slug)

    def for_level(self, level):
        return (
            self.filter(level=level)
            .select_related("skill", "source")
            .prefetch_related("skill__sources")
            .order_by("skill__kind", "order")
        )


class LevelSkill(EditedByStaff, models.Model):
    """A skill expected at a level: to start learning it there, or to master it before moving on."""

    class Expectation(models.TextChoices):
        LEARN = "learn", "Learn"
        MASTER = "master", "Master"

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="level_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="level_skills")
    expectation = models.CharField(max_length=10, choices=Expectation.choices, default=Expectation.LEARN)
    order = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, help_text="Empty: an editorial choice of ours."
    )

    objects = LevelSkillQuerySet.as_manager()

    class Meta:
        ordering = ["level__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "skill"],
                name="level_skill_unique",
                violation_error_message="This skill is already listed for this level.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.skill} ({self.get_expectation_display()})"

    def save(self, *args, **kwargs):
        # A skill added without a position (the admin's 0) goes after the level's others, not first.
        if self._state.adding and not self.order:
            last = LevelSkill.objects.filter(level_id=self.level_id).aggregate(last=models.Max("order"))["last"]
            self.order = (last or 0) + 1
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.level.slug, self.skill.slug)


class StageQuerySet(NaturalKeyQuerySet):
    def with_steps_and_tracks(self):
        """Stages with their current steps and tracks (and modules) in three extra queries."""
        return self.select_related("level", "source", "level_source").prefetch_related(
            models.Prefetch(
                "items",
                queryset=Item.objects.for_display().order_by("kind", "order"),
                to_attr="current_steps",
            ),
            models.Prefetch("tracks", queryset=Track.objects.prefetch_related("modules")),
        )

    def for_level(self, level):
        return self.filter(level=level)


class Stage(WordingDefaults, EditedByStaff, NaturalKeyModel):
    """A step of the learning roadmap, mapped to the level it prepares for."""

    wordings = (("summary_wording", "source"),)

    order = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=160)
    summary = models.TextField(blank=True)
    summary_wording = wording_field("summary")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="stages", help_text="Prepares for.")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, help_text="The guide of the stage and its summary."
    )
    level_source = source_field("Guide that says this stage prepares for this level; empty: our mapping.")

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [wording_matches_source("stage", "summary_wording")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:stage", args=[self.slug])


class TrackQuerySet(models.QuerySet):
    def get_by_natural_key(self, stage_slug, letter):
        return self.get(stage__slug=stage_slug, letter=letter)


class Track(EditedByStaff, models.Model):
    """An alternative learning path through a stage (Track A/B/C)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tracks")
    letter = models.CharField(max_length=1, help_text="A, B, C…")
    description = models.CharField(max_length=200, blank=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["stage__order", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "letter"],
                name="track_letter_unique_per_stage",
                violation_error_message="This stage already has a track with this letter.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage.title}: Track {self.letter}"

    def natural_key(self):
        return (self.stage.slug, self.letter)


class TrackModuleQuerySet(models.QuerySet):
    def get_by_natural_key(self, stage_slug, letter, order):
        return self.get(track__stage__slug=stage_slug, track__letter=letter, order=order)


class TrackModule(EditedByStaff, models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)

    objects = TrackModuleQuerySet.as_manager()

    class Meta:
        ordering = ["track", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "order"],
                name="track_module_order_unique",
                violation_error_message="Two modules of a track cannot share a position.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (*self.track.natural_key(), self.order)


class ItemQuerySet(NaturalKeyQuerySet):
    def current(self):
        """Items shown on pages; archived ones stay only for learners who recorded them."""
        return self.filter(is_archived=False)

    def for_display(self):
        """Current items with what their card shows (sources, level, skills) fetched up front."""
        return (
            self.current()
            .select_related("level", "source", "description_source", "level_source", "issuer_source")
            .prefetch_related("skills")
        )

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds)


class Item(WordingDefaults, EditedByStaff, NaturalKeyModel):
    """Anything a learner can check off: a stage step, a deliverable, a portfolio project,
    a certification or an interview question.

    One table for all of them keeps a learner's progress one foreign key and a
    unique (learner, item) constraint, and lets a level's progress be counted
    in one aggregate query. The admin edits each kind through a proxy model.
    """

    wordings = (("description_wording", "description_source"),)

    natural_key_field = "key"

    class Kind(models.TextChoices):
        LEARN = "learn", "Learn step"
        PRACTICE = "practice", "Practice-and-deliver step"
        DELIVERABLE = "deliverable", "Deliverable"
        PROJECT = "project", "Portfolio project"
        CERTIFICATION = "certification", "Certification"
        QUESTION = "question", "Interview question"

    STEP_KINDS = (Kind.LEARN, Kind.PRACTICE)
    LEVEL_KINDS = (Kind.DELIVERABLE, Kind.PROJECT, Kind.CERTIFICATION, Kind.QUESTION)

    key = models.SlugField(
        max_length=120, unique=True, help_text="Stable identifier; learners' progress follows it. Never reuse one."
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    description_wording = wording_field("description")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, help_text="Empty: written by us (editorial)."
    )
    description_source = source_field(
        "Guide the description comes from; empty: written by us.", on_delete=models.PROTECT
    )
    level_source = source_field(
        "Guide that places it at its level; empty: our placement. Steps are placed by their stage."
    )
    issuer = models.CharField(max_length=120, blank=True, help_text="Certifications: who awards it.")
    issuer_source = source_field("Guide that names the issuer; empty: named by us.")
    answer_covers = models.TextField(
        blank=True, help_text="Interview questions: what a good answer covers (from the question's own source)."
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="items", help_text="Skills it demonstrates.")
    is_archived = models.BooleanField(
        default=False, help_text="Archived items are hidden from pages but kept for learners who recorded them."
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["learn", "practice"]) | Q(stage__isnull=False, level__isnull=True),
                name="item_step_belongs_to_a_stage",
                violation_error_message="A learn or practice step belongs to a stage, not to a level.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["learn", "practice"]) | Q(level__isnull=False, stage__isnull=True),
                name="item_level_item_belongs_to_a_level",
                violation_error_message="Deliverables, projects, certifications and questions belong to a level.",
            ),
            models.UniqueConstraint(
                fields=["stage", "order"],
                condition=Q(is_archived=False, stage__isnull=False),
                name="item_order_unique_per_stage",
                violation_error_message="Two current steps of a stage cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["level", "kind", "order"],
                condition=Q(is_archived=False, level__isnull=False),
                name="item_order_unique_per_level_and_kind",
                violation_error_message="Two current items of a level cannot share a position.",
            ),
            wording_matches_source("item", "description_wording", "description_source"),
        ]

    def __str__(self) -> str:
        return self.title

    def validate_constraints(self, exclude=None):
        # A taken position is not a mistake in a form: the admin saves positions through
        # roadmap.services.order_place, which moves the others down (the constraint stays in the database).
        super().validate_constraints(exclude={*(exclude or ()), "order"})

    # A step counts at the level its stage prepares for; select_related("stage") (and
    # "stage__level", "level" for the object) before reading these over many items.
    @property
    def ladder_level_id(self) -> int:
        return self.level_id or self._stage.level_id

    @property
    def ladder_level(self) -> Level:
        return self.level or self._stage.level

    @property
    def _stage(self) -> "Stage":
        # The database guarantees it: an item without a level belongs to a stage.
        assert self.stage is not None
        return self.stage


class KindManager(models.Manager):
    """Manager of a proxy model: only the items of that proxy's kind."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return ItemQuerySet(self.model, using=self._db).filter(kind__in=self.kind)

    def get_by_natural_key(self, key):
        return self.get(key=key)


class KindProxyMixin:
    """For the per-kind proxies: a new row gets the proxy's kind unless one was chosen."""

    proxy_kinds: tuple[str, ...] = ()
    kind: str  # Item's field, on the model this mixes into

    def default_kind(self) -> None:
        if not self.kind:
            self.kind = self.proxy_kinds[0]

    def save(self, *args, **kwargs):
        self.default_kind()
        super().save(*args, **kwargs)


def _kind_proxy(name: str, kinds: tuple[str, ...], **meta) -> type[Item]:
    """The admin's model for some kinds of item: the same rows, with a manager and a default kind of its own."""
    attributes = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"proxy": True, **meta}),
        "proxy_kinds": kinds,
        "objects": KindManager(kinds),
    }
    return type(name, (KindProxyMixin, Item), attributes)


Step = _kind_proxy("Step", Item.STEP_KINDS, verbose_name="stage step")
Deliverable = _kind_proxy("Deliverable", (Item.Kind.DELIVERABLE,))
PortfolioProject = _kind_proxy("PortfolioProject", (Item.Kind.PROJECT,))
Certification = _kind_proxy("Certification", (Item.Kind.CERTIFICATION,))
InterviewQuestion = _kind_proxy("InterviewQuestion", (Item.Kind.QUESTION,))


class CriterionQuerySet(NaturalKeyQuerySet):
    def for_items(self, items):
        """The rubric of each of these items: its own criteria first, then its kind's, in order."""
        kinds = {item.kind for item in items}
        return self.filter(Q(item__in=items) | Q(item__isnull=True, kind__in=kinds)).order_by(
            models.F("item").asc(nulls_last=True), "order", "pk"
        )


class Criterion(WordingDefaults, EditedByStaff, NaturalKeyModel):
    """What a mentor checks before marking an item verified: one line of a rubric, for every item
    of a kind or for one item whose guide text implies it. A review marks each met or not yet;
    "verified" needs every required one met (mentoring.services.review_create)."""

    wordings = (("wording", "source"),)
    natural_key_field = "key"

    key = models.SlugField(max_length=120, unique=True, help_text="Stable identifier; reviews' marks follow it.")
    kind = models.CharField(
        max_length=15, choices=Item.Kind.choices, blank=True, help_text="Every item of this kind; empty for one item."
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="criteria", help_text="Only this item."
    )
    text = models.CharField(max_length=300, help_text="What is checked, said so that a mentor can tick it.")
    required = models.BooleanField(default=True, help_text="Verified needs it met; an optional one is advice.")
    order = models.PositiveSmallIntegerField(default=0)
    wording = wording_field()
    source = source_field("Empty: written by us (ours).", related_name=None, on_delete=models.PROTECT)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "item", "order", "pk"]
        verbose_name = "review criterion"
        verbose_name_plural = "review criteria"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="") & Q(item__isnull=False)) | (~Q(kind="") & Q(item__isnull=True)),
                name="criterion_kind_or_item",
                violation_error_message="A criterion is for every item of a kind or for one item: choose one of them.",
            ),
            wording_matches_source("criterion"),
        ]

    def __str__(self) -> str:
        return self.text


class KPI(WordingDefaults, EditedByStaff, NaturalKeyModel):
    """A measure a level is judged by. Targets no guide states are marked as defaults."""

    wordings = (("description_wording", "description_source"),)

    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        PERCENT_POINTS = "pp", "percentage points"
        MILLISECONDS = "ms", "ms"
        HOURS = "hours", "hours"
        DAYS = "days", "days"
        COUNT = "count", "count"
        RATIO = "ratio", "ratio"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="kpis")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="What is measured and how.")
    description_wording = wording_field("description")
    description_source = source_field(
        "Guide the description comes from; empty: written by us.", on_delete=models.PROTECT
    )
    unit = models.CharField(max_length=10, choices=Unit.choices)
    direction = models.CharField(max_length=6, choices=Direction.choices)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    target_is_default = models.BooleanField(
        default=True, help_text="The target is our editable default, not a figure stated by a guide."
    )
    order = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, help_text="Guide naming the KPI; empty: editorial."
    )

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["level__order", "order"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        constraints = [
            models.UniqueConstraint(
                fields=["level", "order"],
                name="kpi_order_unique_per_level",
                violation_error_message="Two KPIs of a level cannot share a position.",
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(target__gte=0, target__lte=100),
                name="kpi_percent_target_within_0_100",
                violation_error_message="A percentage target is between 0 and 100.",
            ),
            wording_matches_source("kpi", "description_wording", "description_source"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.level})"

    def clean(self):
        super().clean()
        # The same rules as a learner's values (progress.services.validate_kpi_value), for the target.
        if self.target is None:
            return
        if self.unit == self.Unit.PERCENT and not 0 <= self.target <= 100:
            raise ValidationError({"target": "A percentage target is between 0 and 100."})
        if self.unit == self.Unit.PERCENT_POINTS and not -100 <= self.target <= 100:
            raise ValidationError({"target": "A target in percentage points is between -100 and 100."})
        if self.unit != self.Unit.PERCENT_POINTS and self.target < 0:
            raise ValidationError({"target": f"A target in {self.get_unit_display()} cannot be negative."})


class Specialization(WordingDefaults, EditedByStaff, NaturalKeyModel):
    wordings = (("description_wording", "description_source"),)

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    name_wording = wording_field("name, as the guides naming it (sources) write it,")
    description = models.TextField(blank=True)
    description_wording = wording_field("description")
    description_source = source_field(
        "Guide the description comes from; empty: written by us.", on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField(unique=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="specializations")

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [wording_matches_source("specialization", "description_wording", "description_source")]

    def __str__(self) -> str:
        return self.name


class TipQuerySet(NaturalKeyQuerySet):
    def on_topic(self, topic):
        return self.filter(topic=topic).select_related("source")


class Tip(WordingDefaults, EditedByStaff, NaturalKeyModel):
    """A "key thing to know" with the guide it comes from. It shows on its level's or stage's
    page, or with its topic (beside the salary tables, on the roadmap...)."""

    wordings = (("wording", "source"),)

    class Topic(models.TextChoices):
        NONE = "", "Only on its level or stage"
        SALARY = "salary", "Beside the salary tables"
        GENERAL = "general", "On the roadmap page"
        PROGRESSION = "progression", "On the ladder, beside the levels"
        CERTIFICATION = "certification", "Beside the certifications"
        PROJECTS = "projects", "Beside the portfolio projects"

    natural_key_field = "key"

    key = models.SlugField(max_length=80, unique=True)
    text = models.TextField()
    wording = wording_field()
    topic = models.CharField(max_length=15, choices=Topic.choices, blank=True, default=Topic.NONE)
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.CASCADE, related_name="tips")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="tips")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)

    objects = TipQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [wording_matches_source("tip")]

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self):
        super().clean()
        if not (self.level_id or self.stage_id or self.topic):
            raise ValidationError(
                "Give the tip a level, a stage or a topic: a tip with none of them appears on no page."
            )


class RoleArea(WordingDefaults, EditedByStaff, NaturalKeyModel):
    """What the job is, as one guide describes it: an area of the work, a part of the day or a
    role it leads to. Shown on "What ML engineers do", guide beside guide."""

    wordings = (("wording", "source"),)

    class Group(models.TextChoices):
        DEFINITION = "definition", "What an ML engineer is"
        AUDIENCE = "audience", "Who this career is for"
        AREA = "area", "Areas of the work"
        DAY = "day", "A day in the life"
        COMPARISON = "comparison", "ML engineer or data scientist"
        APPLICATION = "application", "Where ML is applied"
        PATH = "path", "Where the role can lead"

    natural_key_field = "key"

    key = models.SlugField(max_length=80, unique=True)
    group = models.CharField(max_length=12, choices=Group.choices)
    title = models.CharField(max_length=160, blank=True, help_text="As the guide names it; empty for a bare statement.")
    description = models.TextField(blank=True)
    wording = wording_field("description")
    entries = models.TextField(blank=True, help_text="One per line, as the guide lists them.")
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.SET_NULL, help_text="Our level that matches this role, if any."
    )
    order = models.PositiveSmallIntegerField(default=0)
    source = source_field("Empty: written by us (ours).", related_name=None, on_delete=models.PROTECT)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["group", "source__number", "order"]
        verbose_name = "role area"
        constraints = [wording_matches_source("role_area")]

    def __str__(self) -> str:
        return self.title or self.description[:60]

    @property
    def entry_list(self) -> list[str]:
        """The entries as the guide lists them, one per line of the admin's text box."""
        return [line.strip() for line in self.entries.splitlines() if line.strip()]


class ContentRelease(models.Model):
    """Which version of the seed content was loaded, so a reload does not undo admins' edits
    and items dropped from a new release are archived instead of deleted."""

    checksum = models.CharField(max_length=64, unique=True)
    item_keys = models.JSONField(default=list)
    loaded_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(default=dict, help_text="What the release changed, skipped and could not apply.")

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.checksum[:12]} ({self.loaded_at:%Y-%m-%d %H:%M})"


class ContentVersion(models.Model):
    """One row whose number every content change increments in the change's own transaction.
    Content caches are keyed by it, so an edit is seen by every process on its next request."""

    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"content version {self.version}"
