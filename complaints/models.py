from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hall.limits import TEXT_MAX
from hall.models import CaseRecord, Evidence
from hall.uploads import SIGNATURES


class ComplaintStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    INVESTIGATING = "investigating", _("Investigating")
    RESOLVED = "resolved", _("Resolved")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


OPEN_COMPLAINT_STATUSES = [ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING, ComplaintStatus.RESOLVED]


class ComplaintChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    PHONE = "phone", _("By phone")
    WEB = "web", _("Web form")
    LETTER = "letter", _("By letter")
    HOTLINE = "hotline", _("From the hotline")


class ComplaintCategory(models.TextChoices):
    BILLING = "billing", _("Bills and charges")
    SERVICE = "service", _("Staff and service")
    OUTAGE = "outage", _("Outage or no heat")
    QUALITY = "quality", _("Supply quality")
    METER = "meter", _("Meter")
    CONNECTION = "connection", _("New connection")
    REPAIR = "repair", _("Repair work")
    OTHER = "other", _("Other")


class Complaint(CaseRecord):
    detail_url_name = "complaint-detail"
    status_url_name = "complaint-track"

    phone = models.CharField(_("phone"), max_length=20)
    address = models.CharField(_("address"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=ComplaintChannel.choices)
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    description = models.TextField(pgettext_lazy("complaint", "description"), max_length=TEXT_MAX)
    ongoing_loss = models.BooleanField(_("loss still going on"), default=False)
    urgent = models.BooleanField(_("urgent"), default=False, editable=False)
    status = models.CharField(
        _("status"), max_length=15, choices=ComplaintStatus.choices, default=ComplaintStatus.ACCEPTED
    )
    # 首问负责人: the person who took it owns it to the end; only a hand-over changes that.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="complaints"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Complaints about one incident (a building without heat) point at its first complaint.
    group = models.ForeignKey(
        "self", verbose_name=_("incident"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    customer_confirmed = models.BooleanField(_("customer confirmed"), default=False)
    # Recorded with the resolution: whether the complaint was justified and, if so, which member of staff it was
    # justified against (a deduction in their monthly assessment).
    justified = models.BooleanField(_("justified"), null=True, blank=True)
    justified_against = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("justified against"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    # The promised times, copied from the complaint's clocks (hall.sla) when they start.
    first_contact_due = models.DateTimeField(_("first contact due"), null=True, blank=True)
    progress_due = models.DateTimeField(_("progress report due"), null=True, blank=True)
    result_due = models.DateTimeField(_("result due"), null=True, blank=True)
    follow_up_due = models.DateTimeField(_("follow-up due"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="unique_complaint_number"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_to_5",
            ),
            models.CheckConstraint(condition=~Q(group=models.F("id")), name="complaint_not_its_own_group"),
        ]
        indexes = [
            models.Index(fields=["hall", "-created_at"], name="complaint_hall_recent_idx"),
            models.Index(fields=["hall", "status", "-created_at"], name="complaint_hall_status_idx"),
            models.Index(fields=["owner", "status"], name="complaint_owner_idx"),
            models.Index(fields=["hall", "phone"], name="complaint_phone_idx"),
            models.Index(
                fields=["hall", "next_due_at"], condition=Q(next_due_at__isnull=False), name="complaint_next_due_idx"
            ),
        ]


class ComplaintEvidence(Evidence):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")

    upload_folder = "complaints"
    allowed_types = tuple(SIGNATURES)
    max_files = 6
