"""Everything the apps above cases add to a case, registered in their AppConfig.ready: cases
iterates these lists and never imports the apps that fill them (docs/architecture.md).

- sections of the case page (add_section),
- URL patterns under /staff/cases/ in the "cases" namespace (add_urls),
- records sealed under the case's key, which key rotation re-encrypts and erasure deletes
  (add_sealed),
- erasure steps: what else must go when a case is erased, such as files on disk (add_erasure_step),
- data keys that travel with a case (its intake thread): given to each new member, taken back
  from a removed one (add_linked_keys),
- approval kinds: what runs once a second coordinator approves, and the page that shows what
  would happen (add_approval_kind),
- what happens the moment a case is suspected of infiltration (add_on_suspicion),
- ids of records about a case that are not sealed under its key, whose audit events erasure
  redacts (add_identifiers).

Order matters where it is given: sections are shown by `order`; sealed models are deleted in the
reverse order of registration (a child registered after its parent goes first)."""

from dataclasses import dataclass, field


@dataclass
class Section:
    """One block of the case page: a template and what it needs."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Sealed:
    model: type
    path: str  # the lookup from the model to the case whose key seals it
    erase: object = None  # fn(queryset) run at erasure instead of deleting the rows


@dataclass(frozen=True)
class ApprovalKind:
    execute: object  # fn(user, secret, approval), inside the approval's transaction
    review_page: object = None  # fn(approval) -> url, when it is decided on a page of its own


_sections: list[tuple[int, object]] = []
_urls: list = []
_sealed: list[Sealed] = []
_erasure_steps: list = []
_linked_keys: list = []
_approval_kinds: dict[str, ApprovalKind] = {}
_on_suspicion: list = []
_identifiers: list = []


def _add_once(items: list, item) -> None:
    # ready() may run more than once in a process (tests reload apps); register once.
    if item not in items:
        items.append(item)


def add_section(make, order: int) -> None:
    """make(request, case) -> Section | None; it asks the access policy itself (None: not shown)."""
    _add_once(_sections, (order, make))


def sections(request, case) -> list[Section]:
    made = (make(request, case) for _order, make in sorted(_sections, key=lambda s: s[0]))
    return [s for s in made if s is not None]


def add_urls(patterns) -> None:
    for pattern in patterns:
        _add_once(_urls, pattern)


def urls() -> list:
    return list(_urls)


def add_sealed(model, path: str, erase=None) -> None:
    _add_once(_sealed, Sealed(model, path, erase))


def sealed() -> list[Sealed]:
    return list(_sealed)


def add_erasure_step(step) -> None:
    """step(case), run in the erasure's transaction before the sealed records are deleted."""
    _add_once(_erasure_steps, step)


def erasure_steps() -> list:
    return list(_erasure_steps)


def add_linked_keys(find) -> None:
    """find(case) -> a queryset of vault DataKeys that the case's members hold with the case's."""
    _add_once(_linked_keys, find)


def linked_keys(case) -> list:
    return [key for find in _linked_keys for key in find(case)]


def add_approval_kind(kind: str, execute, review_page=None) -> None:
    _approval_kinds[kind] = ApprovalKind(execute, review_page)


def approval_kind(kind: str) -> ApprovalKind:
    return _approval_kinds[kind]


def add_identifiers(find) -> None:
    """find(case) -> ids of an app's records about the case that are not sealed under its key (a
    request): erasure redacts the audit events about them too."""
    _add_once(_identifiers, find)


def identifiers(case) -> set:
    return {str(i) for find in _identifiers for i in find(case)}


def add_on_suspicion(hook) -> None:
    """hook(user, case), inside the transaction that moves the case to suspected infiltration."""
    _add_once(_on_suspicion, hook)


def on_suspicion() -> list:
    return list(_on_suspicion)
