from django.dispatch import Signal

# Sent after the transaction that decided a mandate has committed; `version` is the new
# MandateVersion. reports/ listens to render and store its PDF.
mandate_decided = Signal()

# Sent while the mandate is turned into plain data (projects.services.mandate_snapshot). Apps the
# mandate refers to but `projects` may not import (milestones: the decision points and the
# milestone table) answer with a dict of keys to add, so a decided version freezes them too.
mandate_snapshot_requested = Signal()

# Sent when the change log is built: apps whose history belongs in a project's change log but
# which `projects` may not import answer with a list of (historical queryset, section name).
changelog_sources_requested = Signal()
