"""The complaint desk: the user's own complaints, or the hall's, filtered and paged."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.utils.translation import gettext_lazy

from complaints import policies, selectors, services
from complaints.models import OPEN_COMPLAINT_STATUSES, Complaint
from complaints.models import ComplaintStatus as S
from hall import sla
from hall.forms import FilterForm
from hall.models import Hall, User
from hall.pages import render_in_hall, staff_hall
from hall.permissions import ensure_role, phone_for

PER_PAGE = 25
OPEN, MINE, HALL, NEWEST, DUE = "open", "mine", "hall", "newest", "due"


def _next_promise(complaint: Complaint) -> str:
    """Which promise the soonest running deadline (`due_at`, from with_sla_state) belongs to."""
    for _key, field, step in services.CLOCKS.values():
        if complaint.due_at is not None and getattr(complaint, field) == complaint.due_at:
            return str(step)
    return ""


def rows_for(complaints, user) -> list[Complaint]:
    """What a table of complaints shows of each: the phone as this user may see it, and which promise is next."""
    for complaint in complaints:
        complaint.phone_shown = phone_for(user, complaint.phone)
        complaint.next_promise = _next_promise(complaint)
    return complaints


class DeskFilter(FilterForm):
    view = forms.ChoiceField(
        label=gettext_lazy("View"),
        required=False,
        choices=[(MINE, gettext_lazy("Mine")), (HALL, gettext_lazy("My hall"))],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), (OPEN, gettext_lazy("Open complaints")), *S.choices],
    )
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), required=False, queryset=User.objects.none())
    overdue = forms.BooleanField(required=False)
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[(NEWEST, gettext_lazy("Newest first")), (DUE, gettext_lazy("Soonest due first"))],
    )
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.desk_staff(hall_id=hall.pk)


def _hall_complaints(request, hall: Hall, filters: DeskFilter):
    status, owner, overdue = filters.value("status"), filters.value("owner"), bool(filters.value("overdue"))
    complaints = selectors.complaint_list(
        user=request.user,
        hall_id=hall.pk,
        status=None if status == OPEN else status,
        owner_id=owner.pk if owner else None,
        overdue=overdue,
        search=(filters.value("q") or "").strip(),
    )
    if status == OPEN:
        complaints = complaints.filter(status__in=OPEN_COMPLAINT_STATUSES)
    if filters.value("order") == DUE and not overdue:
        complaints = complaints.order_by(F("next_due_at").asc(nulls_last=True), "id")
    return complaints


@login_required
def complaint_desk(request):
    ensure_role(request.user, *policies.DESK_ROLES)
    hall = staff_hall(request)
    filters = DeskFilter(request.GET, hall=hall)
    for problem in filters.problems():
        messages.error(request, problem)
    view, page = filters.value("view") or MINE, None
    if view == MINE:
        complaints = selectors.desk(user=request.user)
    else:
        page = Paginator(_hall_complaints(request, hall, filters), PER_PAGE).get_page(request.GET.get("page"))
        complaints = page.object_list = selectors.with_sla_state(page.object_list)
    open_ones = selectors.open_complaints(hall_id=hall.pk)
    context = {
        "view": view,
        "filters": filters,
        "page": page,
        "complaints": rows_for(complaints, request.user),
        "statuses": filters.fields["status"].choices,
        "owners": filters.fields["owner"].queryset,
        "mine_count": open_ones.filter(owner=request.user).count(),
        "overdue_count": sla.overdue(open_ones).count(),
        "filtered": request.GET.get("status", OPEN) != OPEN
        or any(request.GET.get(name) for name in ("owner", "overdue", "q", "order")),
    }
    return render_in_hall(request, "complaints/complaint_desk.html", context, hall)
