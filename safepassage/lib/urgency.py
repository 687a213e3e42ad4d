"""How urgent a request or a case is: three plain levels, shared by anonymous requests and cases
so that a request keeps its urgency when it becomes a case. Plain on purpose (docs/security.md):
queues and counts must work in SQL."""

from django.utils.translation import gettext_lazy as _

URGENCY_CHOICES = [
    (1, _("In danger now")),
    (2, _("Within days")),
    (3, _("Not immediate")),
]
