"""Who may open what: every URL pattern of the project, as nobody and as each role, GET and POST.

The table below is the whole access policy in one place. A URL pattern without an entry fails the first test,
so a new page cannot go unprotected by accident. Each cell is what the visitor gets:
- `login`: a redirect to the login page; `admin-login`: a redirect to the admin's login page;
- a status code (403 is the friendly "you may not do that"; 405 a method the page does not take);
- `200|503`: either of them (the health check says "degraded" while no worker answers).

Everyone is staff here, so the admin answers according to roles (the staff flag itself is checked by the
last test). POSTs are empty: a page that may be used answers with its form's errors or does its action (on
the rows of tests/security/rows.py, undone after each request).
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.security.rows import Rows, make_people, make_rows
from tests.security.url_walk import Pattern, all_patterns, model_label, url_for
from tests.security.visits import ANONYMOUS, ROLES, VISITORS, Answer, Visitors

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Entry:
    """A URL pattern's row of the table: which row fills <pk>, and the answers to GET and POST, each given
    for (anonymous, viewer, operator, admin)."""

    pk_row: str
    get: str
    post: str

    def expected(self, method: str, visitor: str) -> str:
        return getattr(self, method).split()[VISITORS.index(visitor)]


# fmt: off
TABLE = {
    # URL name                      (<pk> row,      GET: anonymous viewer operator admin, POST: the same)
    "overview":                       ("",             "login 200 200 200",        "login 405 405 405"),
    "healthz":                        ("",             "200 200 200 200",          "405 405 405 405"),
    "readyz":                         ("",             "403 403 403 200|503",      "405 405 405 405"),
    "login":                          ("",             "200 200 200 200",          "200 200 200 200"),
    "logout":                         ("",             "login 405 405 405",        "login login login login"),
    "password_change":                ("",             "login 200 200 200",        "login 200 200 200"),
    "password_change_done":           ("",             "login 200 200 200",        "login 405 405 405"),
    # Endpoints: viewers read, operators act, admins delete and hold the tokens.
    "endpoints:list":                 ("",             "login 200 200 200",        "login 405 405 405"),
    "endpoints:list_live":            ("",             "login 200 200 200",        "login 405 405 405"),
    "endpoints:create":               ("",             "login 403 200 200",        "login 403 200 200"),
    "endpoints:hardware_field":       ("",             "login 403 200 200",        "login 403 405 405"),
    "endpoints:suggest_name":         ("",             "login 403 200 200",        "login 403 405 405"),
    "endpoints:detail":               ("endpoint",     "login 200 200 200",        "login 405 405 405"),
    "endpoints:detail_live":          ("endpoint",     "login 200 200 200",        "login 405 405 405"),
    "endpoints:analytics":            ("endpoint",     "login 200 200 200",        "login 405 405 405"),
    "endpoints:logs":                 ("endpoint",     "login 200 200 200",        "login 405 405 405"),
    "endpoints:update":               ("endpoint",     "login 403 200 200",        "login 403 200 200"),
    "endpoints:clone":                ("endpoint",     "login 403 200 200",        "login 403 405 405"),
    "endpoints:pause":                ("endpoint",     "login 403 405 405",        "login 403 302 302"),
    "endpoints:resume":               ("endpoint",     "login 403 405 405",        "login 403 302 302"),
    "endpoints:set_health_route":     ("endpoint",     "login 403 405 405",        "login 403 302 302"),
    "endpoints:scale_to_zero":        ("endpoint",     "login 403 405 405",        "login 403 302 302"),
    "endpoints:delete":               ("endpoint",     "login 403 403 200",        "login 403 403 200"),
    "endpoints:operation":            ("operation",    "login 200 200 200",        "login 405 405 405"),
    "endpoints:catalog":              ("",             "login 200 200 200",        "login 405 405 405"),
    "endpoints:refresh_catalog":      ("",             "login 403 405 405",        "login 403 302 302"),
    "endpoints:deploy_recipe":        ("",             "login 403 200 200",        "login 403 200 200"),
    "endpoints:namespaces":           ("",             "login 200 200 200",        "login 405 405 405"),
    "endpoints:refresh_namespace":    ("namespace",    "login 403 405 405",        "login 403 302 302"),
    "endpoints:refresh_hardware":     ("namespace",    "login 403 405 405",        "login 403 302 302"),
    "endpoints:credentials":          ("",             "login 403 403 200",        "login 403 403 200"),
    "endpoints:replace_credential":   ("credential",   "login 403 403 200",        "login 403 403 200"),
    "endpoints:remove_credential":    ("credential",   "login 403 403 405",        "login 403 403 302"),
    "endpoints:audit":                ("",             "login 200 200 200",        "login 405 405 405"),
    "endpoints:audit_csv":            ("",             "login 200 200 200",        "login 405 405 405"),
    # Playground: every role uses it; otto's conversation and image are managed by him or an admin.
    "playground:chat":                ("",             "login 200 200 200",        "login 405 405 405"),
    "playground:conversation":        ("conversation", "login 200 200 200",        "login 405 405 405"),
    "playground:rename":              ("conversation", "login 405 405 405",        "login 403 302 302"),
    "playground:pin":                 ("conversation", "login 405 405 405",        "login 403 302 302"),
    "playground:clear":               ("conversation", "login 405 405 405",        "login 403 302 302"),
    "playground:delete":              ("conversation", "login 405 405 405",        "login 403 302 302"),
    "playground:copy":                ("conversation", "login 405 405 405",        "login 302 302 302"),
    "playground:export_json":         ("conversation", "login 200 200 200",        "login 405 405 405"),
    "playground:export_markdown":     ("conversation", "login 200 200 200",        "login 405 405 405"),
    "playground:history":             ("",             "login 200 200 200",        "login 405 405 405"),
    "playground:compare":             ("",             "login 200 200 200",        "login 200 200 200"),
    "playground:comparison":          ("comparison",   "login 200 200 200",        "login 405 405 405"),
    "playground:comparison_column":   ("comparison",   "login 200 200 200",        "login 405 405 405"),
    "playground:comparison_vote":     ("comparison",   "login 405 405 405",        "login 302 302 302"),
    "playground:comparison_rerun":    ("comparison",   "login 405 405 405",        "login 302 302 302"),
    "playground:comparison_export_json": ("comparison", "login 200 200 200",       "login 405 405 405"),
    "playground:comparison_export_markdown": ("comparison", "login 200 200 200",   "login 405 405 405"),
    "playground:answer":              ("",             "login 405 405 405",        "login 400 400 400"),
    "playground:preview":             ("",             "login 405 405 405",        "login 200 200 200"),
    "playground:code":                ("",             "login 405 405 405",        "login 200 200 200"),
    "playground:endpoint_state":      ("endpoint",     "login 200 200 200",        "login 405 405 405"),
    "playground:endpoint_resume":     ("endpoint",     "login 405 405 405",        "login 403 409 409"),
    "playground:upload":              ("",             "login 405 405 405",        "login 400 400 400"),
    "playground:upload_file":         ("upload",       "login 200 200 200",        "login 405 405 405"),
    "playground:images":              ("",             "login 200 200 200",        "login 405 405 405"),
    "playground:generate":            ("",             "login 405 405 405",        "login 200 200 200"),
    "playground:embeddings":          ("",             "login 200 200 200",        "login 405 405 405"),
    "playground:compare_embeddings":  ("",             "login 405 405 405",        "login 200 200 200"),
    "playground:compare_images":      ("",             "login 200 200 200",        "login 200 200 200"),
    "playground:gallery":             ("",             "login 200 200 200",        "login 405 405 405"),
    "playground:gallery_compare":     ("",             "login 302 302 302",        "login 405 405 405"),
    "playground:image":               ("image",        "login 200 200 200",        "login 405 405 405"),
    "playground:image_delete":        ("image",        "login 405 405 405",        "login 403 302 302"),
    "playground:image_original":      ("image",        "login 200 200 200",        "login 405 405 405"),
    "playground:image_download":      ("image",        "login 200 200 200",        "login 405 405 405"),
    "playground:image_thumbnail":     ("image",        "login 200 200 200",        "login 405 405 405"),
    # Billing: everyone sees costs and 'keep running' marks; admins write policies and marks.
    "billing:costs":                  ("",             "login 200 200 200",        "login 405 405 405"),
    "billing:costs_csv":              ("",             "login 200 200 200",        "login 405 405 405"),
    "billing:policies":               ("",             "login 403 403 200",        "login 405 405 405"),
    "billing:dry_run_all":            ("",             "login 403 403 200",        "login 405 405 405"),
    "billing:policy_create":          ("",             "login 403 403 200",        "login 403 403 200"),
    "billing:policy_edit":            ("policy",       "login 403 403 200",        "login 403 403 200"),
    "billing:policy_dry_run":         ("policy",       "login 403 403 200",        "login 405 405 405"),
    "billing:policy_toggle":          ("policy",       "login 405 405 405",        "login 403 403 302"),
    "billing:policy_delete":          ("policy",       "login 405 405 405",        "login 403 403 302"),
    "billing:savings":                ("",             "login 200 200 200",        "login 405 405 405"),
    "billing:exclusions":             ("",             "login 200 200 200",        "login 405 405 405"),
    "billing:exclusion_create":       ("",             "login 405 405 405",        "login 403 403 400"),
    "billing:exclusion_end":          ("exclusion",    "login 405 405 405",        "login 403 403 302"),
    "billing:usage":                  ("",             "login 200 200 200",        "login 405 405 405"),
    "billing:usage_csv":              ("",             "login 200 200 200",        "login 405 405 405"),
    # A pause warning's "keep running": whoever may operate the endpoint (the POST adds the mark).
    "billing:keep_running":           ("pause_warning", "login 403 200 200",       "login 403 302 302"),
    "billing:notifications":          ("",             "login 200 200 200",        "login 405 405 405"),
    "billing:notifications_read":     ("",             "login 405 405 405",        "login 302 302 302"),
    "billing:notification_bell":      ("",             "login 200 200 200",        "login 405 405 405"),
    "billing:pause_forgotten":        ("endpoint",     "login 405 405 405",        "login 403 302 302"),
    # The admin site's own pages (its per-model pages follow ADMIN_MODELS below).
    "admin:index":                    ("",             "admin-login 200 200 200",  "admin-login 200 200 200"),
    "admin:login":                    ("",             "200 302 302 302",          "200 200 200 200"),
    "admin:logout":                   ("",             "admin-login 405 405 405",
                                                                        "admin-login login login login"),
    "admin:password_change":          ("",             "admin-login 200 200 200",  "admin-login 200 200 200"),
    "admin:password_change_done":     ("",             "admin-login 200 200 200",  "admin-login 405 405 405"),
    "admin:autocomplete":             ("",             "admin-login 403 403 403",  "admin-login 405 405 405"),
    "admin:jsi18n":                   ("",             "admin-login 200 200 200",  "admin-login 405 405 405"),
    "admin:view_on_site":             ("",             "admin-login 302 302 302",  "admin-login 302 302 302"),
    "admin:app_list":                 ("",             "admin-login 200 200 200",  "admin-login 200 200 200"),
    "admin/(?P<url>.*)$":             ("",             "admin-login 404 404 404",  "admin-login 404 404 404"),
    "admin:auth_user_password_change":("",             "login 403 403 200",        "login 403 403 200"),
}

# Who may view, add, change and delete each model in the admin ("add" and "change" of the console's own
# models are the console's pages, through its services).
NOBODY: tuple[str, ...] = ()
EVERYONE = ROLES
ADMINS = ("admin",)
ADMIN_MODELS = {
    # model                          view       add      change   delete
    "auth.group":                   (NOBODY,   NOBODY,  NOBODY,  NOBODY),
    "auth.user":                    (ADMINS,   ADMINS,  ADMINS,  ADMINS),
    "axes.accessattempt":           (NOBODY,   NOBODY,  NOBODY,  NOBODY),
    "axes.accesslog":               (NOBODY,   NOBODY,  NOBODY,  NOBODY),
    "axes.accessfailurelog":        (NOBODY,   NOBODY,  NOBODY,  NOBODY),
    "endpoints_app.endpoint":       (EVERYONE, NOBODY,  NOBODY,  NOBODY),
    "endpoints_app.operation":      (EVERYONE, NOBODY,  NOBODY,  NOBODY),
    "endpoints_app.auditentry":     (ADMINS,   NOBODY,  NOBODY,  NOBODY),
    "endpoints_app.credential":     (ADMINS,   NOBODY,  NOBODY,  ADMINS),
    "endpoints_app.namespace":      (EVERYONE, NOBODY,  NOBODY,  NOBODY),
    "endpoints_app.hardwareoption": (EVERYONE, NOBODY,  NOBODY,  NOBODY),
    "billing.policy":               (ADMINS,   ADMINS,  ADMINS,  ADMINS),
    "billing.exclusion":            (ADMINS,   ADMINS,  ADMINS,  ADMINS),
    "billing.notification":         (EVERYONE, NOBODY,  NOBODY,  NOBODY),
    "playground_app.conversation":  (NOBODY,   NOBODY,  NOBODY,  NOBODY),
    "playground_app.generatedimage": (NOBODY,  NOBODY,  NOBODY,  NOBODY),
    "playground_app.upload":        (NOBODY,   NOBODY,  NOBODY,  NOBODY),
}
# fmt: on
URLS = {name: Entry(*row) for name, row in TABLE.items()}


def admin_model_page_expects(pattern: Pattern, method: str, visitor: str) -> str:
    """A model's admin page: allowed or 403 by its right (a GET of the change page only needs the view
    right, it shows the object read-only); the bare object URL redirects to the change page."""
    if visitor == ANONYMOUS:
        return "login"
    if pattern.admin_page == "object":
        return "302"
    view, add, change, delete = ADMIN_MODELS[model_label(pattern.model_admin)]
    right = {"changelist": view, "history": view, "add": add, "delete": delete}.get(pattern.admin_page)
    if right is None:  # the change page
        right = change if method == "post" else view
    return "200" if visitor in right else "403"


def expected(pattern: Pattern, method: str, visitor: str) -> str:
    if pattern.is_admin_model_page:
        return admin_model_page_expects(pattern, method, visitor)
    return URLS[pattern.key].expected(method, visitor)


def matches(answer: Answer, expectation: str) -> bool:
    if expectation == "login":
        return answer == Answer(302, reverse("login"))
    if expectation == "admin-login":
        return answer == Answer(302, reverse("admin:login"))
    return answer.status in {int(status) for status in expectation.split("|")}


def pk_row_of(pattern: Pattern) -> str:
    return "" if pattern.is_admin_model_page else URLS[pattern.key].pk_row


def test_every_url_pattern_has_an_entry_in_the_table() -> None:
    patterns = all_patterns()
    missing = [
        pattern.route
        for pattern in patterns
        if not (
            pattern.key in URLS
            or (pattern.is_admin_model_page and model_label(pattern.model_admin) in ADMIN_MODELS)
        )
    ]
    assert missing == []
    assert len(patterns) > 150  # the walk reached into the includes and the admin


def test_only_the_health_checks_and_the_login_pages_are_public() -> None:
    """readyz answers anonymous visitors itself: 403, unless they send the health check token."""
    public = {name for name, entry in URLS.items() if "login" not in entry.expected("get", ANONYMOUS)}
    assert public == {"healthz", "readyz", "login", "admin:login"}


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_url_answers_each_visitor_as_the_table_says(rows: Rows, visitor: str) -> None:
    visitors = Visitors(rows.people)
    patterns = all_patterns()
    wrong = []
    # Every GET before any POST: a POST may delete files (an image's) that a later GET would serve.
    for method in ("get", "post"):
        for pattern in patterns:
            url = url_for(pattern, rows, pk_row_of(pattern))
            answer = visitors.answer(visitor, method, url)
            expectation = expected(pattern, method, visitor)
            if not matches(answer, expectation):
                wrong.append(f"{method.upper()} {url} ({pattern.key}): expected {expectation}, got {answer}")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_members_without_the_staff_flag_get_no_further_than_the_admin_login(role: str) -> None:
    people = make_people(staff=False)
    rows = make_rows(people)
    visitors = Visitors(people)
    pages = [pattern for pattern in all_patterns() if pattern.route.startswith("admin/")]
    answers = {pattern.key: visitors.answer(role, "get", url_for(pattern, rows)) for pattern in pages}
    let_through = {
        key: str(answer)
        for key, answer in answers.items()
        if answer.location not in (reverse("admin:login"), reverse("admin:index"))
    }
    # The login page itself answers, saying that the account may not use the admin.
    assert let_through == {"admin:login": "200"}
