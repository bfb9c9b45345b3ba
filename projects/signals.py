from django.dispatch import Signal

# Sent after the transaction that decided a mandate has committed; `version` is the new
# MandateVersion. reports/ listens to render and store its PDF.
mandate_decided = Signal()
