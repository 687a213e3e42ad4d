"""Every state change to a case and its records, one module per domain (zulip-style). Each
action asks the access policy, changes data in one transaction and writes its audit event."""

from .core import OpenCase, add_member, create_case, erase_case, list_my_cases, open_case, remove_member, update_case

__all__ = ["OpenCase", "add_member", "create_case", "erase_case", "list_my_cases", "open_case", "remove_member",
           "update_case"]
