"""Who may do what in the console, checked over every route: a stranger gets the login page and
nothing else, an editor cannot publish or manage accounts, a reviewer cannot manage accounts, and
a form sent without the CSRF token is refused."""

from __future__ import annotations

import pytest

from tests.console.conftest import log_in

SLUG = "inherit-test-entry"
ARGS = {"slug": SLUG, "number": 1, "user_id": 1}


def routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) of every route but the login page and static files."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "session.login"):
            continue
        path = rule.build({k: v for k, v in ARGS.items() if k in rule.arguments})[1]
        found += [(rule.endpoint, method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_every_route_is_covered(app):
    endpoints = {endpoint for endpoint, _, _ in routes(app)}
    assert endpoints >= {"entries.approve", "accounts.users", "transfer.upload", "tryit.page", "asked.draft"}


def test_a_stranger_gets_only_the_login_page(app):
    client = app.test_client()
    for endpoint, method, path in routes(app):
        response = client.open(path, method=method)
        if path.startswith("/api/"):
            assert response.status_code == 401, endpoint
        else:
            assert response.status_code == 302 and response.location.endswith("/login"), endpoint
    assert 'name="password"' in client.get("/login").get_data(as_text=True)


REVIEWER_ONLY = {"entries.approve", "entries.reject", "entries.retire"}
ADMIN_ONLY = {"accounts.users", "accounts.change"}


@pytest.mark.parametrize("who, refused", [("editor1", REVIEWER_ONLY | ADMIN_ONLY), ("reviewer1", ADMIN_ONLY)])
def test_each_role_is_refused_what_is_above_it(app, who, refused):
    client = app.test_client()
    csrf = log_in(client, who)
    for endpoint, method, path in routes(app):
        if endpoint == "session.logout":
            continue  # every role may; it would end this session
        data = {"csrf_token": csrf, "comment": "x"} if method == "POST" else None
        response = client.open(path, method=method, data=data)
        if endpoint in refused:
            assert response.status_code == 403, (endpoint, method)
        else:
            assert response.status_code != 403, (endpoint, method)


def test_a_post_without_the_csrf_token_is_refused_everywhere(app):
    client = app.test_client()
    log_in(client, "admin1")
    for endpoint, method, path in routes(app):
        if method == "POST" and endpoint != "session.logout":
            assert client.post(path, data={"comment": "x", "name": "x"}).status_code == 400, endpoint
    assert client.post("/logout").status_code == 400
    assert client.get("/entries").status_code == 200  # still logged in: the logout was refused


def test_an_admin_manages_accounts(app):
    client = app.test_client()
    csrf = log_in(client, "admin1")
    data = {"name": "editor2", "password": "another long password", "role": "editor", "csrf_token": csrf}
    assert client.post("/users", data=data).status_code == 302
    assert "editor2" in client.get("/users").get_data(as_text=True)
