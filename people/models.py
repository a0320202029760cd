"""The worker's file (一人一档, §5.8): identity, background, intentions, consent and contacts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.channels import IntakeChannel
from core.masking import mask_id_number, mask_phone
from core.text import validate_name_text
from people.choices import (
    CHANNEL_PURPOSES,
    ConsentChannel,
    ConsentPurpose,
    ContactChannel,
    ContactOutcome,
    Disability,
    Education,
    EmploymentStatus,
    Proficiency,
    Relation,
    Sex,
    WorkMode,
)
from privacy.fields import EncryptedTextField


class Person(models.Model):
    # Names, with search forms kept beside them (pinyin with heteronyms; Wylie).
    name_zh = models.CharField(_("Chinese name"), max_length=50, blank=True, validators=[validate_name_text])
    name_bo = models.CharField(_("Tibetan name"), max_length=100, blank=True, validators=[validate_name_text])
    # Text, not a bounded column: heteronyms multiply the readings of a long name.
    name_pinyin = models.TextField(blank=True, editable=False)
    name_wylie = models.TextField(blank=True, editable=False)

    # Identity. The ID number and phone are encrypted; lookups use the blind indexes.
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(max_length=18, editable=False, db_index=True)
    birth_date = models.DateField(_("date of birth"), editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(max_length=20, blank=True, editable=False)

    # Where they belong. `unit` owns the file and decides who can see it.
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="persons", verbose_name=_("file held by")
    )
    household_unit = models.ForeignKey(
        "network.OrgUnit",
        on_delete=models.PROTECT,
        related_name="registered_persons",
        verbose_name=_("household registration (户籍)"),
    )
    residence_unit = models.ForeignKey(
        "network.OrgUnit",
        on_delete=models.PROTECT,
        related_name="resident_persons",
        verbose_name=_("lives in"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    relation_to_head = models.CharField(
        _("relation to the head of household"), max_length=15, choices=Relation.choices, blank=True
    )

    # Background.
    education = models.CharField(
        _("education"), max_length=12, choices=Education.choices, default=Education.SENIOR
    )
    major = models.CharField(_("major"), max_length=100, blank=True)
    graduation_date = models.DateField(_("graduation date"), null=True, blank=True)
    skills = models.TextField(_("skills"), blank=True)
    certificates = models.TextField(_("certificates"), blank=True)
    tibetan_level = models.CharField(
        _("Tibetan"), max_length=8, choices=Proficiency.choices, default=Proficiency.NONE
    )
    chinese_level = models.CharField(
        _("Chinese"), max_length=8, choices=Proficiency.choices, default=Proficiency.NONE
    )
    work_history = models.TextField(_("work history"), blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of work experience"), default=0)
    disability = models.CharField(
        _("disability"), max_length=4, choices=Disability.choices, default=Disability.NONE
    )
    disability_details = EncryptedTextField(_("disability details"), blank=True)

    # Job intentions.
    desired_occupations = models.ManyToManyField(
        "occupations.Occupation", blank=True, related_name="+", verbose_name=_("desired occupations")
    )
    desired_districts = models.ManyToManyField(
        "network.OrgUnit", blank=True, related_name="+", verbose_name=_("desired districts")
    )
    salary_expectation = models.PositiveIntegerField(
        _("expected monthly salary (yuan)"), null=True, blank=True
    )
    work_mode = models.CharField(
        _("kind of work"), max_length=10, choices=WorkMode.choices, default=WorkMode.ANY
    )
    willing_outside_county = models.BooleanField(_("willing to work outside the county"), default=False)

    # Employment.
    employment_status = models.CharField(
        _("employment status"),
        max_length=15,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.UNEMPLOYED,
    )
    unemployed_since = models.DateField(_("unemployed since"), null=True, blank=True)
    able_and_willing = models.BooleanField(
        _("able and willing to work"),
        default=True,
        help_text=_("Untick for a member who cannot work or does not want to (counts for zero-employment)."),
    )

    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("zh-hans", "中文"), ("bo", "བོད་ཡིག")],
        default="zh-hans",
    )
    contact_channel = models.CharField(
        _("preferred contact channel"),
        max_length=10,
        choices=ContactChannel.choices,
        default=ContactChannel.PHONE,
    )

    # Contact state (§5.9.2), maintained by the contact-log service.
    failed_contacts = models.PositiveSmallIntegerField(
        _("failed contacts in a row"), default=0, editable=False
    )
    unreachable_since = models.DateTimeField(_("unreachable since"), null=True, blank=True, editable=False)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, editable=False)
    info_updated_on = models.DateField(_("information last updated"), null=True, blank=True, editable=False)

    channel = models.CharField(
        _("received through"), max_length=25, choices=IntakeChannel.choices, default=IntakeChannel.WALK_IN
    )
    # Id on the regional platform, for idempotent exchange.
    external_id = models.CharField(
        _("regional platform id"), max_length=64, null=True, blank=True, unique=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set once the identity was removed (retention.services.anonymise_person); the row stays for statistics.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"
    AUDIT_MASKED_FIELDS = ("id_number", "phone", "disability_details", "id_number_index", "phone_index")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["unit", "employment_status"]),
            models.Index(fields=["birth_date", "name_zh"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name_zh="", name_bo=""), name="person_has_a_name"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_zh and self.name_bo:
            return f"{self.name_zh} / {self.name_bo}"
        return self.name_zh or self.name_bo

    @property
    def is_unreachable(self) -> bool:
        return self.unreachable_since is not None

    def masked(self) -> dict:
        return {"id_number": mask_id_number(self.id_number), "phone": mask_phone(self.phone)}


class Consent(models.Model):
    """Consent with purpose, channel and time; withdrawal is a date, never a deletion
    (SPEC §7, GB/T 35273 §5.4). A notifications consent may name one channel; blank
    covers every channel of the purpose."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ConsentChannel.choices, blank=True, default=""
    )
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose", "channel"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_consent_per_purpose_channel",
            )
        ]

    def __str__(self):
        return f"{self.person_id} {self.purpose} {self.channel or '*'}"

    def clean(self):
        if self.channel and self.purpose not in CHANNEL_PURPOSES:
            raise ValidationError({"channel": _("Only a consent to notifications can name a channel.")})


class ContactAttempt(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("time"))
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=ContactOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    info_updated = models.BooleanField(
        _("information updated"),
        default=False,
        help_text=_("The person's information was checked and updated."),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        indexes = [models.Index(fields=["person", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(info_updated=False) | Q(outcome="reached"), name="info_update_needs_reaching"
            )
        ]

    def __str__(self):
        return f"{self.person_id} {self.at:%Y-%m-%d} {self.outcome}"


class Transfer(models.Model):
    """A file moved to another township or village unit (§5.9): kept for ever as history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    residence_moved = models.BooleanField(_("residence moved too"), default=False)
    reason = models.CharField(_("reason"), max_length=300)
    items_moved = models.PositiveIntegerField(_("open work items moved"), default=0)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.person_id} {self.from_unit_id}→{self.to_unit_id}"
