"""What losing a role takes away, registered by the apps that own the keys (in AppConfig.ready):
a shelter coordinator's shelter keys, a researcher's evidence base key, the blind-index key of
someone who no longer vets or matches, the open requests of someone who left the intake team.
accounts calls these when an admin changes a member's roles, and knows none of those keys.

Deactivation needs no hook: every key the person holds goes (vault.datakeys.revoke_everything)."""

_hooks = []


def register(hook) -> None:
    """hook(user, removed_roles: set) -> int: how many keys it took; the user already has their new roles."""
    if hook not in _hooks:
        _hooks.append(hook)


def roles_removed(user, removed: set) -> int:
    return sum(hook(user, removed) for hook in _hooks) if removed else 0
