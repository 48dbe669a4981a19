"""Pages of the repair orders: desk, intake, detail, the worker's phone page, callbacks, the customer's link."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


repair_desk = repair_register = repair_intake_history = repair_detail = repair_action = _todo
repair_mine = repair_callbacks = repair_status_page = _todo
