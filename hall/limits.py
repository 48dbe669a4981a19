"""How long a person's free text may be: one limit per field, declared here once and refused with a clear message by
the pages and the API alike (never cut silently)."""

# Descriptions, investigation and progress notes, resolutions, reasons and advice typed at a desk or by a customer.
TEXT_MAX = 2000
# What a manager writes for a whole shift or chore: handover notes and chore checklists.
LONG_TEXT_MAX = 4000
# A short note on one step: a ticket finished, cancelled or transferred, a duty done, a leave rejected or
# cancelled.
NOTE_MAX = 500
