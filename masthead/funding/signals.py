"""Events the funding app sends."""

from django.dispatch import Signal

# Sent after a transaction that changed a campaign's ledger commits. Provides args: campaign
donations_changed = Signal()
