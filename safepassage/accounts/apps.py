from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "safepassage.accounts"
    label = "accounts"

    def ready(self):
        from safepassage.audit import policy as audit_policy
        from safepassage.vault import certify

        from . import access, navigation
        from .keys import record_refused_key
        from .models import User

        def actor_names(uuids):
            return {str(u.uuid): str(u) for u in User.objects.filter(uuid__in=uuids)}

        audit_policy.register(may_read=access.can_read_audit, actor_names=actor_names)
        certify.on_refusal(record_refused_key)
        navigation.register("audit:log", _("Audit"), 50, access.can_read_audit)
        navigation.register("accounts:staff_list", _("Staff"), 60, access.can_manage_staff)
        navigation.register("accounts:recovery_list", _("Recovery"), 90, access.can_use_recovery)
        navigation.register("accounts:my_key", _("My key"), 95)
        navigation.register("accounts:password", _("Password"), 100)
