"""Who may call which route: one table, (method, path template) -> the roles allowed.

Every route the gateway serves or forwards is in `POLICY` (a test compares it with the merged
OpenAPI document): a request whose route is missing is refused. Staff roles are allowed by
role; a member is allowed only on routes that say how the object is theirs (`OwnPath`: a path
parameter must be their contact; `OwnResponse`: the answer's field must be) — the contact id
comes from the login, never from the request.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, auto
from urllib.parse import unquote

from kring_gateway.roles import Caller, Role

API = "/api/v1"


@dataclass(frozen=True)
class OwnPath:
    """The member's own object: the path parameter `param` is their contact id."""

    param: str = "contact_id"


@dataclass(frozen=True)
class OwnResponse:
    """The member's own object: the answer's `field` is their contact id (reads only). With
    `via` (a route template of the same service, e.g. the invoice of a PDF), that route's
    answer is asked and checked first, and only then the request forwarded."""

    field: str = "contact_id"
    via: str | None = None


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role] = frozenset()
    member: OwnPath | OwnResponse | None = None
    public: bool = False  # no login needed (logging in; member card verification)

    def with_member(self, member: OwnPath | OwnResponse) -> "Access":
        return Access(self.roles, member, self.public)


def staff(*roles: Role) -> Access:
    """Admin and the roles named."""
    return Access(frozenset({Role.ADMIN, *roles}))


PUBLIC = Access(public=True)
ANY_LOGIN = Access(frozenset(Role))
ADMIN = staff()
SECRETARY = staff(Role.SECRETARY)
TREASURER = staff(Role.TREASURER)
COMMUNICATIONS = staff(Role.COMMUNICATIONS)
READ_CONTACTS = staff(Role.SECRETARY, Role.TREASURER, Role.COMMUNICATIONS, Role.READ_ONLY)
# Staff who act on contacts in their own field (e.g. saving a search), not read-only.
CONTACT_WORKERS = staff(Role.SECRETARY, Role.TREASURER, Role.COMMUNICATIONS)
READ_MEMBERSHIPS = staff(Role.SECRETARY, Role.READ_ONLY)
# The treasurer bills by membership type (a contribution run names the types it invoices).
READ_MEMBERSHIP_TYPES = staff(Role.SECRETARY, Role.TREASURER, Role.READ_ONLY)
READ_IMPORTS = staff(Role.SECRETARY, Role.READ_ONLY)
READ_BOUNCES = staff(Role.COMMUNICATIONS, Role.SECRETARY, Role.READ_ONLY)
CLEAR_BOUNCES = staff(Role.COMMUNICATIONS, Role.SECRETARY)
READ_NEWSLETTERS = staff(Role.COMMUNICATIONS, Role.READ_ONLY)
READ_BILLING = staff(Role.TREASURER, Role.READ_ONLY)
READ_INVITATIONS = staff(Role.SECRETARY, Role.READ_ONLY)
LETTER_WRITERS = staff(Role.SECRETARY, Role.TREASURER)
LETTER_READERS = staff(Role.SECRETARY, Role.TREASURER, Role.READ_ONLY)
OWN = OwnPath()


def _service(name: str, routes: Mapping[tuple[str, str], Access]) -> dict[tuple[str, str], Access]:
    return {(method, f"{API}/{name}{path}"): access for (method, path), access in routes.items()}


POLICY: dict[tuple[str, str], Access] = {
    # The gateway's own routes.
    ("POST", f"{API}/auth/login"): PUBLIC,
    ("POST", f"{API}/auth/refresh"): PUBLIC,
    ("POST", f"{API}/auth/logout"): ANY_LOGIN,
    ("POST", f"{API}/auth/password"): ANY_LOGIN,
    ("GET", f"{API}/auth/me"): ANY_LOGIN,
    # Forgot password: whoever holds the e-mail, then the link's token.
    ("POST", f"{API}/auth/password-reset"): PUBLIC,
    ("POST", f"{API}/auth/password-reset/{{token}}"): PUBLIC,
    # Invitations of contacts to a member login; accepting by the link's token.
    ("GET", f"{API}/invitations"): READ_INVITATIONS,
    ("POST", f"{API}/invitations"): SECRETARY,
    ("POST", f"{API}/invitations/bulk"): SECRETARY,
    ("DELETE", f"{API}/invitations/{{invitation_id}}"): SECRETARY,
    ("GET", f"{API}/invitations/accept/{{token}}"): PUBLIC,
    ("POST", f"{API}/invitations/accept/{{token}}"): PUBLIC,
    ("GET", f"{API}/users"): ADMIN,
    ("POST", f"{API}/users"): ADMIN,
    ("GET", f"{API}/users/{{user_id}}"): ADMIN,
    ("PATCH", f"{API}/users/{{user_id}}"): ADMIN,
    ("PUT", f"{API}/users/{{user_id}}/password"): ADMIN,
    ("GET", f"{API}/audit"): ADMIN,
    ("GET", f"{API}/contacts/{{contact_id}}/profile"): READ_CONTACTS.with_member(OWN),
    **_service(
        "contacts",
        {
            ("GET", "/contacts"): READ_CONTACTS,
            ("POST", "/contacts"): SECRETARY,
            ("GET", "/contacts/search"): READ_CONTACTS,
            ("GET", "/contacts/{contact_id}"): READ_CONTACTS.with_member(OWN),
            ("PATCH", "/contacts/{contact_id}"): SECRETARY.with_member(OWN),
            ("DELETE", "/contacts/{contact_id}"): SECRETARY,
            ("GET", "/contacts/{contact_id}/groups"): READ_CONTACTS.with_member(OWN),
            ("GET", "/groups"): READ_CONTACTS,
            ("POST", "/groups"): SECRETARY,
            ("GET", "/groups/{group_id}"): READ_CONTACTS,
            ("PATCH", "/groups/{group_id}"): SECRETARY,
            ("DELETE", "/groups/{group_id}"): SECRETARY,
            ("GET", "/groups/{group_id}/members"): READ_CONTACTS,
            ("PUT", "/groups/{group_id}/members/{contact_id}"): SECRETARY,
            ("DELETE", "/groups/{group_id}/members/{contact_id}"): SECRETARY,
            # Duplicates, merging, erasure and what is held on a person.
            ("GET", "/duplicates"): READ_CONTACTS,
            ("POST", "/duplicates/dismissals"): SECRETARY,
            ("DELETE", "/duplicates/dismissals/{contact_id}/{other_contact_id}"): SECRETARY,
            ("POST", "/contacts/{contact_id}/merge"): SECRETARY,
            ("POST", "/contacts/{contact_id}/erasure"): SECRETARY,
            ("GET", "/contacts/{contact_id}/personal-data"): SECRETARY.with_member(OWN),
            ("GET", "/contacts/{contact_id}/history"): READ_CONTACTS,
            # Families.
            ("GET", "/families"): READ_CONTACTS,
            ("POST", "/families"): SECRETARY,
            ("GET", "/families/export.csv"): READ_CONTACTS,
            ("GET", "/families/{family_id}"): READ_CONTACTS,
            ("PATCH", "/families/{family_id}"): SECRETARY,
            ("DELETE", "/families/{family_id}"): SECRETARY,
            ("PUT", "/families/{family_id}/members/{contact_id}"): SECRETARY,
            ("DELETE", "/families/{family_id}/members/{contact_id}"): SECRETARY,
            ("GET", "/contacts/{contact_id}/family"): READ_CONTACTS.with_member(OWN),
            # Companies, their contracts and sponsor logos.
            ("GET", "/companies"): READ_CONTACTS,
            ("POST", "/companies"): SECRETARY,
            ("GET", "/companies/export.csv"): READ_CONTACTS,
            ("GET", "/companies/{company_id}"): READ_CONTACTS,
            ("PATCH", "/companies/{company_id}"): SECRETARY,
            ("DELETE", "/companies/{company_id}"): SECRETARY,
            ("PUT", "/companies/{company_id}/contacts/{contact_id}"): SECRETARY,
            ("DELETE", "/companies/{company_id}/contacts/{contact_id}"): SECRETARY,
            ("POST", "/companies/{company_id}/contracts"): SECRETARY,
            ("PATCH", "/companies/{company_id}/contracts/{contract_id}"): SECRETARY,
            ("DELETE", "/companies/{company_id}/contracts/{contract_id}"): SECRETARY,
            ("GET", "/companies/{company_id}/logo"): READ_CONTACTS,
            ("PUT", "/companies/{company_id}/logo"): SECRETARY,
            ("DELETE", "/companies/{company_id}/logo"): SECRETARY,
            # Resources lent to contacts, and their allocations.
            ("GET", "/resources"): READ_CONTACTS,
            ("POST", "/resources"): SECRETARY,
            ("GET", "/resources/{resource_id}"): READ_CONTACTS,
            ("PATCH", "/resources/{resource_id}"): SECRETARY,
            ("DELETE", "/resources/{resource_id}"): SECRETARY,
            ("GET", "/resources/{resource_id}/allocations"): READ_CONTACTS,
            ("POST", "/resources/{resource_id}/allocations"): SECRETARY,
            ("PATCH", "/resources/{resource_id}/allocations/{allocation_id}"): SECRETARY,
            ("DELETE", "/resources/{resource_id}/allocations/{allocation_id}"): SECRETARY,
            ("GET", "/resources/{resource_id}/qr.png"): READ_CONTACTS,
            ("GET", "/resources/{resource_id}/qr.svg"): READ_CONTACTS,
            ("GET", "/contacts/{contact_id}/resources"): READ_CONTACTS.with_member(OWN),
            # Queries (read with a body), saved searches and acting on their results.
            ("POST", "/contacts/query"): READ_CONTACTS,
            ("POST", "/contacts/query/ids"): READ_CONTACTS,
            ("POST", "/contacts/query/export"): READ_CONTACTS,
            ("POST", "/contacts/query/add-to-group"): SECRETARY,
            ("POST", "/contacts/query/remove-from-group"): SECRETARY,
            ("GET", "/saved-searches"): READ_CONTACTS,
            ("POST", "/saved-searches"): CONTACT_WORKERS,
            ("GET", "/saved-searches/{search_id}"): READ_CONTACTS,
            ("PATCH", "/saved-searches/{search_id}"): CONTACT_WORKERS,
            ("DELETE", "/saved-searches/{search_id}"): CONTACT_WORKERS,
            ("GET", "/saved-searches/{search_id}/results"): READ_CONTACTS,
            ("GET", "/saved-searches/{search_id}/contact-ids"): READ_CONTACTS,
            ("GET", "/saved-searches/{search_id}/export"): READ_CONTACTS,
            ("POST", "/saved-searches/{search_id}/add-to-group"): SECRETARY,
            ("POST", "/saved-searches/{search_id}/remove-from-group"): SECRETARY,
            # Imports of contacts from files.
            ("POST", "/contact-imports"): SECRETARY,
            ("GET", "/contact-imports"): READ_IMPORTS,
            ("GET", "/contact-imports/{import_id}"): READ_IMPORTS,
            ("GET", "/contact-imports/{import_id}/rows"): READ_IMPORTS,
        },
    ),
    **_service(
        "newsletters",
        {
            ("GET", "/lists"): READ_NEWSLETTERS,
            ("POST", "/lists"): COMMUNICATIONS,
            ("GET", "/lists/{list_id}"): READ_NEWSLETTERS,
            ("PATCH", "/lists/{list_id}"): COMMUNICATIONS,
            ("DELETE", "/lists/{list_id}"): COMMUNICATIONS,
            ("PUT", "/lists/{list_id}/group"): COMMUNICATIONS,
            ("DELETE", "/lists/{list_id}/group"): COMMUNICATIONS,
            ("GET", "/lists/{list_id}/subscribers"): READ_NEWSLETTERS,
            ("POST", "/lists/{list_id}/subscribers"): COMMUNICATIONS,
            ("DELETE", "/lists/{list_id}/subscribers/{contact_id}"): COMMUNICATIONS,
            ("GET", "/contacts/{contact_id}/subscriptions"): READ_NEWSLETTERS.with_member(OWN),
            ("POST", "/contacts/{contact_id}/opt-outs"): COMMUNICATIONS.with_member(OWN),
            ("DELETE", "/contacts/{contact_id}/opt-outs/{list_id}"): COMMUNICATIONS.with_member(
                OWN
            ),
            ("DELETE", "/contacts/{contact_id}/opt-outs/all"): COMMUNICATIONS.with_member(OWN),
            ("GET", "/contacts/{contact_id}/personal-data"): COMMUNICATIONS.with_member(OWN),
            # Campaigns and their deliveries.
            ("GET", "/campaigns"): READ_NEWSLETTERS,
            ("POST", "/campaigns"): COMMUNICATIONS,
            ("GET", "/campaigns/{campaign_id}"): READ_NEWSLETTERS,
            ("GET", "/campaigns/{campaign_id}/preview"): READ_NEWSLETTERS,
            ("GET", "/campaigns/{campaign_id}/deliveries"): READ_NEWSLETTERS,
            ("POST", "/campaigns/{campaign_id}/test"): COMMUNICATIONS,
            ("POST", "/campaigns/{campaign_id}/schedule"): COMMUNICATIONS,
            ("POST", "/campaigns/{campaign_id}/send"): COMMUNICATIONS,
            ("POST", "/campaigns/{campaign_id}/cancel"): COMMUNICATIONS,
            ("GET", "/campaigns/{campaign_id}/audience"): READ_NEWSLETTERS,
            # The link in each newsletter: whoever holds the token.
            ("GET", "/unsubscribe/{token}"): PUBLIC,
            ("POST", "/unsubscribe/{token}"): PUBLIC,
            # Delivery reports come from the mail system, through a login of this role.
            ("POST", "/bounces"): COMMUNICATIONS,
            ("GET", "/bouncing-addresses"): READ_BOUNCES,
            ("GET", "/bouncing-addresses/{email}"): READ_BOUNCES,
            ("DELETE", "/bouncing-addresses/{email}"): CLEAR_BOUNCES,
        },
    ),
    **_service(
        "memberships",
        {
            ("GET", "/membership-types"): READ_MEMBERSHIP_TYPES,
            ("POST", "/membership-types"): SECRETARY,
            ("GET", "/membership-types/{type_id}"): READ_MEMBERSHIP_TYPES,
            ("PATCH", "/membership-types/{type_id}"): SECRETARY,
            ("POST", "/membership-types/{type_id}/fees"): SECRETARY,
            ("POST", "/memberships"): SECRETARY,
            ("GET", "/memberships/{membership_id}"): READ_MEMBERSHIPS.with_member(OwnResponse()),
            ("DELETE", "/memberships/{membership_id}"): SECRETARY,
            ("POST", "/memberships/{membership_id}/end"): SECRETARY,
            ("POST", "/memberships/{membership_id}/change-type"): SECRETARY,
            ("GET", "/members"): READ_MEMBERSHIPS,
            ("GET", "/members/counts"): READ_MEMBERSHIPS,
            ("GET", "/contacts/{contact_id}/memberships"): READ_MEMBERSHIPS.with_member(OWN),
            ("GET", "/contacts/{contact_id}/access"): READ_MEMBERSHIPS.with_member(OWN),
            ("GET", "/contacts/{contact_id}/card"): READ_MEMBERSHIPS.with_member(OWN),
            ("GET", "/contacts/{contact_id}/personal-data"): SECRETARY.with_member(OWN),
            ("GET", "/groups/{group_id}/rights"): READ_MEMBERSHIPS,
            ("PUT", "/groups/{group_id}/rights/{right}"): SECRETARY,
            ("DELETE", "/groups/{group_id}/rights/{right}"): SECRETARY,
            ("GET", "/access/check"): READ_MEMBERSHIPS,
            ("POST", "/access/recompute"): SECRETARY,
            ("GET", "/calendar"): READ_MEMBERSHIPS,
            ("POST", "/cards/sheet"): SECRETARY,
            # Anyone holding a member card checks it by its QR code.
            ("GET", "/cards/verify/{token}"): PUBLIC,
            ("GET", "/cards/verify"): PUBLIC,
            # The federation affiliation export: the secretary's (and admin's) paperwork.
            ("GET", "/affiliation/columns"): SECRETARY,
            ("GET", "/affiliation/profiles"): SECRETARY,
            ("POST", "/affiliation/profiles"): SECRETARY,
            ("GET", "/affiliation/profiles/{profile_id}"): SECRETARY,
            ("PUT", "/affiliation/profiles/{profile_id}"): SECRETARY,
            ("GET", "/affiliation/profiles/{profile_id}/exports"): SECRETARY,
            ("POST", "/affiliation/profiles/{profile_id}/exports"): SECRETARY,
            ("GET", "/affiliation/exports/{export_id}"): SECRETARY,
            ("GET", "/affiliation/exports/{export_id}/file"): SECRETARY,
        },
    ),
    **_service(
        "billing",
        {
            ("GET", "/invoices"): READ_BILLING,
            ("POST", "/invoices"): TREASURER,
            ("GET", "/invoices/{invoice_id}"): READ_BILLING.with_member(OwnResponse()),
            ("PATCH", "/invoices/{invoice_id}"): TREASURER,
            ("DELETE", "/invoices/{invoice_id}"): TREASURER,
            ("GET", "/invoices/{invoice_id}/pdf"): READ_BILLING.with_member(
                OwnResponse(via="/invoices/{invoice_id}")
            ),
            ("GET", "/invoices/{invoice_id}/payment-instructions"): READ_BILLING.with_member(
                OwnResponse(via="/invoices/{invoice_id}")
            ),
            ("POST", "/invoices/{invoice_id}/issue"): TREASURER,
            ("POST", "/invoices/{invoice_id}/send"): TREASURER,
            ("POST", "/invoices/{invoice_id}/payments"): TREASURER,
            ("POST", "/invoices/{invoice_id}/credit-notes"): TREASURER,
            ("GET", "/contacts/{contact_id}/invoices"): READ_BILLING.with_member(OWN),
            ("GET", "/contacts/{contact_id}/open-items"): READ_BILLING.with_member(OWN),
            # Mandates hold bank accounts: a member sees the list of their own only.
            ("GET", "/contacts/{contact_id}/mandates"): READ_BILLING.with_member(OWN),
            ("POST", "/contacts/{contact_id}/mandates"): TREASURER,
            ("GET", "/contacts/{contact_id}/mandates/{mandate_id}"): READ_BILLING,
            ("PATCH", "/contacts/{contact_id}/mandates/{mandate_id}"): TREASURER,
            ("DELETE", "/contacts/{contact_id}/mandates/{mandate_id}"): TREASURER,
            ("POST", "/contacts/{contact_id}/mandates/{mandate_id}/revoke"): TREASURER,
            ("GET", "/contribution-runs"): READ_BILLING,
            ("POST", "/contribution-runs"): TREASURER,
            ("GET", "/contribution-runs/{run_id}"): READ_BILLING,
            ("GET", "/contribution-runs/{run_id}/skips"): READ_BILLING,
            ("POST", "/collections"): TREASURER,
            ("GET", "/collections/{collection_id}"): READ_BILLING,
            # The SEPA direct debit file: every debtor's bank account.
            ("GET", "/collections/{collection_id}/pain008.xml"): TREASURER,
            ("POST", "/bank-statements"): TREASURER,
            # Who the organisation is on invoices, and the payment reference they carry.
            ("GET", "/organisation"): READ_BILLING,
            ("PATCH", "/organisation"): TREASURER,
            # Letters (the club's paperwork): the secretary and the treasurer write templates
            # and make letters; read-only staff see the templates.
            ("GET", "/letters/merge-fields"): LETTER_READERS,
            ("GET", "/letters/templates"): LETTER_READERS,
            ("POST", "/letters/templates"): LETTER_WRITERS,
            ("GET", "/letters/templates/{template_id}"): LETTER_READERS,
            ("PUT", "/letters/templates/{template_id}"): LETTER_WRITERS,
            ("DELETE", "/letters/templates/{template_id}"): LETTER_WRITERS,
            ("POST", "/letters/preview"): LETTER_WRITERS,
            ("POST", "/letters/jobs"): LETTER_WRITERS,
            ("GET", "/letters/jobs/{job_id}"): LETTER_WRITERS,
            ("GET", "/letters/jobs/{job_id}/download"): LETTER_WRITERS,
            # Payment reminders: the treasurer sets the levels and runs them; read-only staff
            # see the levels, runs and an invoice's reminders.
            ("GET", "/reminders/levels"): READ_BILLING,
            ("PUT", "/reminders/levels"): TREASURER,
            ("POST", "/reminder-runs"): TREASURER,
            ("GET", "/reminder-runs"): READ_BILLING,
            ("GET", "/reminder-runs/{run_id}"): READ_BILLING,
            ("GET", "/invoices/{invoice_id}/reminders"): READ_BILLING,
        },
    ),
}


class Verdict(Enum):
    ALLOWED = auto()
    ALLOWED_IF_OWN_ANSWER = auto()  # forward, then check the answer is the member's own
    UNAUTHENTICATED = auto()  # 401
    FORBIDDEN = auto()  # 403: the role may not
    NOT_OWN = auto()  # 404: a member asking for someone else's object


def decide(access: Access, caller: Caller | None, params: Mapping[str, str]) -> Verdict:
    if access.public:
        return Verdict.ALLOWED
    if caller is None:
        return Verdict.UNAUTHENTICATED
    if caller.roles & access.roles - {Role.MEMBER}:
        return Verdict.ALLOWED
    if caller.is_member and access.member is not None:
        if isinstance(access.member, OwnResponse):
            return Verdict.ALLOWED_IF_OWN_ANSWER
        return (
            Verdict.ALLOWED
            if _is_own(caller, params.get(access.member.param))
            else (Verdict.NOT_OWN)
        )
    if caller.is_member and Role.MEMBER in access.roles:
        return Verdict.ALLOWED  # e.g. logging out
    return Verdict.FORBIDDEN


def may_call(access: Access, caller: Caller) -> bool:
    """Whether the caller's roles may call the route at all, whatever the object: `decide`
    without the parameters (a member's own-object routes count, for their own objects)."""
    if access.public or caller.roles & access.roles - {Role.MEMBER}:
        return True
    return caller.is_member and (access.member is not None or Role.MEMBER in access.roles)


def _is_own(caller: Caller, value: object) -> bool:
    if caller.contact_id is None or not isinstance(value, str):
        return False
    try:
        return uuid.UUID(value) == caller.contact_id
    except ValueError:
        return False


def is_own_answer(caller: Caller, access: Access, answer: object) -> bool:
    """For OwnResponse routes: the answer (a JSON object) names the member's contact."""
    if not isinstance(access.member, OwnResponse) or not isinstance(answer, dict):
        return False
    return _is_own(caller, answer.get(access.member.field))


# Path parameters that are secrets (links' tokens): never an audit entry's object id.
SECRET_PARAMS = frozenset({"token"})


def object_id_of(params: Mapping[str, str]) -> str | None:
    """The audit's object id of a request: its last path parameter that is no secret."""
    return next((v for k, v in reversed(list(params.items())) if k not in SECRET_PARAMS), None)


@dataclass(frozen=True)
class RouteMatch:
    method: str
    template: str
    access: Access
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Template:
    method: str
    template: str
    segments: tuple[str, ...]
    access: Access

    @property
    def specificity(self) -> tuple[int, ...]:
        # Literal segments win over parameters, leftmost first: /contacts/search before
        # /contacts/{contact_id}.
        return tuple(0 if s.startswith("{") else 1 for s in self.segments)

    def match(self, segments: list[str]) -> dict[str, str] | None:
        params: dict[str, str] = {}
        for pattern, raw in zip(self.segments, segments, strict=True):
            if pattern.startswith("{"):
                value = unquote(raw)
                if not value:
                    return None
                params[pattern[1:-1]] = value
            elif pattern != raw:
                return None
        return params


class Policy:
    """The table, indexed for matching a request's method and raw path to its template."""

    def __init__(self, table: Mapping[tuple[str, str], Access]) -> None:
        self.table = dict(table)
        self._by_shape: dict[tuple[str, int], list[_Template]] = {}
        for (method, template), access in table.items():
            segments = tuple(template.strip("/").split("/"))
            entry = _Template(method, template, segments, access)
            self._by_shape.setdefault((method, len(segments)), []).append(entry)
        for entries in self._by_shape.values():
            entries.sort(key=lambda entry: entry.specificity, reverse=True)

    def match(self, method: str, raw_path: str) -> RouteMatch | None:
        """The route of the table this request is for; None if there is none."""
        if not raw_path.startswith("/") or raw_path.endswith("/") or "//" in raw_path:
            return None
        segments = raw_path.strip("/").split("/")
        for entry in self._by_shape.get((method, len(segments)), ()):
            params = entry.match(segments)
            if params is not None:
                return RouteMatch(method, entry.template, entry.access, params)
        return None

    def routes(self) -> Iterable[tuple[str, str]]:
        return self.table.keys()

    def allowed_routes(self, caller: Caller) -> list[str]:
        """`"METHOD template"` of every route the caller may call, by template then method:
        what a frontend shows or hides, from this one table."""
        allowed = [key for key, access in self.table.items() if may_call(access, caller)]
        return [f"{method} {template}" for method, template in sorted(allowed, key=_by_path)]


def _by_path(route: tuple[str, str]) -> tuple[str, str]:
    method, template = route
    return template, method


DEFAULT_POLICY = Policy(POLICY)
