"""What the audit log asks of the layers above it, registered by them (AccountsConfig.ready):
who may read an organisation's log, and how to name the staff it records by UUID. audit knows
neither roles nor staff accounts; until something registers, nobody may read the log."""

_may_read = None
_actor_names = None


def register(*, may_read, actor_names) -> None:
    """may_read(user) -> bool; actor_names(uuids) -> {uuid: name to show}."""
    global _may_read, _actor_names
    _may_read, _actor_names = may_read, actor_names


def may_read(user) -> bool:
    return bool(_may_read and _may_read(user))


def actor_names(uuids) -> dict:
    return _actor_names(uuids) if _actor_names and uuids else {}
