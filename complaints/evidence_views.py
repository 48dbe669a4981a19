"""A complaint's evidence, for the staff who may open the complaint; the files are never public."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from complaints.views import complaint_for
from hall.uploads import evidence_response


@login_required
def complaint_evidence(request, pk: int, evidence_id: int):
    complaint = complaint_for(request, pk)
    item = get_object_or_404(complaint.evidence, pk=evidence_id)
    return evidence_response(item.file, item.content_type)
