"""Pages of the complaints: desk, intake, detail, incident, the public form and the tracking page."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


complaint_desk = complaint_accept = complaint_intake_history = complaint_detail = complaint_action = _todo
complaint_incident = complaint_public_form = complaint_track = _todo
