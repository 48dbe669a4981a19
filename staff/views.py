"""Pages of the hall's staff: duty board, AB assignments, roster week, leave, handover, the iCal feed."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


duty_board = duty_action = chore_list = chore_action = roster_week = roster_action = _todo
leave_list = leave_action = handover_list = handover_action = calendar_feed = _todo
