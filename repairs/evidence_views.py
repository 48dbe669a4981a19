"""A repair's photos, for the staff who may open the repair; the files are never public."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from hall.uploads import evidence_response
from repairs.views import repair_for


@login_required
def repair_photo(request, pk: int, photo_id: int):
    repair = repair_for(request, pk)
    photo = get_object_or_404(repair.photos, pk=photo_id)
    return evidence_response(photo.image)
