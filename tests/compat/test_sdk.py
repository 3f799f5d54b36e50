"""The official Okta Python SDK (okta 3.4.6) as a client of the simulated org."""

import json

from conftest import SERVICE_ACCOUNT, WORKFLOWS_APP, client, private_key_client, run
from okta.models.o_auth2_scope_consent_grant import OAuth2ScopeConsentGrant
from okta.pagination import PaginationHelper


def status(response):
    """The HTTP status of what the SDK returned: its ApiResponse, or aiohttp's response on errors."""
    return getattr(response, "status_code", None) or getattr(response, "status", None)


def unwrap(model):
    """The concrete model behind a oneOf wrapper."""
    return getattr(model, "actual_instance", None) or model


def test_list_apps_across_pages(paging_sim):
    async def scenario():
        async with client(paging_sim.url) as okta:
            ids, pages, cursor = [], 0, None
            while True:
                apps, response, error = await okta.list_applications(limit=3, after=cursor)
                assert error is None, error
                ids += [unwrap(app).id for app in apps]
                pages += 1
                cursor = PaginationHelper.extract_next_cursor(response.headers)
                if cursor is None:
                    return ids, pages

    ids, pages = run(scenario())
    assert pages == 3
    assert ids == [WORKFLOWS_APP, "0oa1ci0example"] + [f"0oapage{i:04d}" for i in range(7)]


def test_get_app(sim):
    async def scenario():
        async with client(sim.url) as okta:
            return await okta.get_application(WORKFLOWS_APP)

    app, _, error = run(scenario())
    assert error is None
    app = unwrap(app)
    assert app.label == "Okta Workflows OAuth"
    assert app.name == "flow"


def test_list_grant_and_revoke_grants(sim):
    async def scenario():
        async with client(sim.url) as okta:
            grants, _, error = await okta.list_scope_consent_grants(WORKFLOWS_APP)
            assert error is None
            before = sorted(g.scope_id for g in grants)
            grant = OAuth2ScopeConsentGrant(issuer="https://acme.okta.com", scope_id="okta.logs.read")
            # Real orgs answer a new grant 200 (terraform-provider-okta's VCR fixture
            # TestAccAppOAuthApplication_apiScope, 2023), and so does the sim; this SDK maps
            # only the spec's 201 to a model, so it returns no object: the grant is read back.
            _, response, error = await okta.grant_consent_to_scope(WORKFLOWS_APP, grant)
            assert error is None, error
            assert status(response) == 200
            expanded, _, error = await okta.list_scope_consent_grants(WORKFLOWS_APP, expand="scope")
            assert error is None
            created = next(g for g in expanded if g.scope_id == "okta.logs.read")
            _, response, error = await okta.revoke_scope_consent_grant(WORKFLOWS_APP, created.id)
            assert error is None, error
            assert status(response) == 204
            after, _, error = await okta.list_scope_consent_grants(WORKFLOWS_APP)
            assert error is None
            return before, sorted(g.scope_id for g in after)

    before, after = run(scenario())
    assert "okta.users.manage" in before
    assert before == after


def test_get_user_by_login(sim):
    async def scenario():
        async with client(sim.url) as okta:
            return await okta.get_user("svc-workflows@acme.com")

    user, _, error = run(scenario())
    assert error is None
    assert user.id == SERVICE_ACCOUNT
    assert user.profile.login == "svc-workflows@acme.com"


def test_roles_list_and_assign(sim):
    from okta.models.assign_role_to_user_request import AssignRoleToUserRequest
    from okta.models.standard_role_assignment_schema import StandardRoleAssignmentSchema

    async def scenario():
        async with client(sim.url) as okta:
            roles, _, error = await okta.list_assigned_roles_for_user(SERVICE_ACCOUNT)
            assert error is None
            assert roles == []
            request = AssignRoleToUserRequest(StandardRoleAssignmentSchema(type="SUPER_ADMIN"))
            role, response, error = await okta.assign_role_to_user(SERVICE_ACCOUNT, request)
            assert error is None, error
            assert status(response) == 201
            assert unwrap(role).id
            roles, _, error = await okta.list_assigned_roles_for_user(SERVICE_ACCOUNT)
            assert error is None
            return [unwrap(r).type for r in roles]

    types = run(scenario())
    assert [str(getattr(t, "value", t)) for t in types] == ["SUPER_ADMIN"]


def test_app_user_assigned_and_not_found(sim):
    async def scenario():
        async with client(sim.url) as okta:
            missing, response, error = await okta.get_application_user(WORKFLOWS_APP, SERVICE_ACCOUNT)
            assert missing is None
            assert status(response) == 404
            assert error.error_code == "E0000007"
            assigned, _, error = await okta.get_application_user("0oa1wf0example", "00uadmin0example00001")
            return error

    error = run(scenario())
    assert error.error_code == "E0000007"


def test_app_user_after_assignment(sim):
    from okta.models.app_user_assign_request import AppUserAssignRequest

    async def scenario():
        async with client(sim.url) as okta:
            request = AppUserAssignRequest(id=SERVICE_ACCOUNT, scope="USER", credentials={"userName": "svc-workflows@acme.com"})
            _, _, error = await okta.assign_user_to_application(WORKFLOWS_APP, request)
            assert error is None, error
            return await okta.get_application_user(WORKFLOWS_APP, SERVICE_ACCOUNT)

    app_user, _, error = run(scenario())
    assert error is None, error
    assert app_user.id == SERVICE_ACCOUNT


def test_bad_token_maps_to_an_sdk_error(sim):
    async def scenario():
        async with client(sim.url, token="wrong") as okta:
            return await okta.list_applications()

    _, response, error = run(scenario())
    assert status(response) == 401
    assert error.error_code == "E0000011"


def test_the_sdk_retries_a_429_with_retry_headers(limited_sim):
    async def scenario():
        async with client(limited_sim.url) as okta:
            first, _, error = await okta.get_application(WORKFLOWS_APP)
            assert error is None
            # The bucket is spent: this call gets a 429, and the SDK waits for the reset and retries.
            second, response, error = await okta.get_application(WORKFLOWS_APP)
            assert error is None, error
            return status(response)

    assert run(scenario()) == 200
    served = [r for r in limited_sim.requests() if r["path"] == f"/api/v1/apps/{WORKFLOWS_APP}"]
    assert [r["status"] for r in served] == [200, 429, 200]
    limited, retry = served[1], served[2]
    assert limited["retry_for"] is None
    assert retry["retry_count"] == "1"
    assert retry["retry_for"] == limited["request_id"]


def test_a_group_member_reads_as_group_scoped_and_cannot_be_unassigned(group_sim):
    async def scenario():
        async with client(group_sim.url) as okta:
            member, _, error = await okta.get_application_user(WORKFLOWS_APP, SERVICE_ACCOUNT)
            assert error is None, error
            # On an error this SDK method answers (response, error), on success three values.
            *_, response, refused = await okta.unassign_user_from_application(WORKFLOWS_APP, SERVICE_ACCOUNT)
            return member, status(response), refused

    member, code, refused = run(scenario())
    assert str(getattr(member.scope, "value", member.scope)) == "GROUP"
    assert code == 403
    assert refused.error_code == "E0000046"


def test_the_sdk_lists_client_secrets(group_sim):
    async def scenario():
        async with client(group_sim.url) as okta:
            return await okta.list_o_auth2_client_secrets(WORKFLOWS_APP)

    secrets, _, error = run(scenario())
    assert error is None, error
    assert sorted(str(getattr(s.status, "value", s.status)) for s in secrets) == ["ACTIVE", "INACTIVE"]
    assert all(s.id.startswith("ocs") and s.secret_hash for s in secrets)


def since_days_ago(days):
    import datetime

    at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def http_count(url, query):
    """Events of a query counted with plain HTTP, following `next` links."""
    import json as json_module
    import urllib.request

    count, next_url = 0, f"{url}/api/v1/logs?{query}"
    while next_url:
        request = urllib.request.Request(next_url, headers={"Authorization": "SSWS sim-admin-token"})
        with urllib.request.urlopen(request) as response:
            events = json_module.loads(response.read())
            links = response.headers.get_all("link") or []
        count += len(events)
        next_url = next((l.split(">")[0].lstrip("<") for l in links if 'rel="next"' in l), None)
        if not events and 'until' not in query:
            break
    return count


def test_the_sdk_lists_logs_with_filter_and_keywords(logs_sim):
    async def scenario():
        async with client(logs_sim.url) as okta:
            return await okta.list_log_events(
                since=since_days_ago(3),
                filter='eventType eq "user.session.start" and outcome.result eq "FAILURE"',
                q="login",
                limit=1000,
            )

    events, _, error = run(scenario())
    assert error is None, error
    assert events, "some failed logins among 500 events"
    for event in events:
        assert event.event_type == "user.session.start"
        assert str(getattr(event.outcome.result, "value", event.outcome.result)) == "FAILURE"


def test_the_sdk_pages_a_bounded_query_to_the_end(logs_sim):
    since, until = since_days_ago(3), since_days_ago(0)

    async def scenario():
        async with client(logs_sim.url) as okta:
            total, cursor, pages = 0, None, 0
            while True:
                if cursor is None:
                    events, response, error = await okta.list_log_events(since=since, until=until, limit=100, sort_order="DESCENDING")
                else:
                    events, response, error = await okta.list_log_events(until=until, limit=100, sort_order="DESCENDING", after=cursor)
                assert error is None, error
                total += len(events)
                pages += 1
                cursor = PaginationHelper.extract_next_cursor(response.headers)
                if cursor is None:
                    return total, pages

    total, pages = run(scenario())
    from urllib.parse import quote

    assert total == http_count(logs_sim.url, f"since={quote(since)}&until={quote(until)}&limit=100&sortOrder=DESCENDING") == 500
    assert pages == 5


def test_the_sdk_polls_until_a_page_is_empty(logs_sim):
    since = since_days_ago(3)

    async def scenario():
        async with client(logs_sim.url) as okta:
            total, cursor = 0, None
            while True:
                if cursor is None:
                    events, response, error = await okta.list_log_events(since=since, limit=200)
                else:
                    events, response, error = await okta.list_log_events(limit=200, after=cursor)
                assert error is None, error
                cursor = PaginationHelper.extract_next_cursor(response.headers)
                assert cursor is not None, "a polling query always has a next link"
                if not events:
                    return total
                total += len(events)

    from urllib.parse import quote

    assert run(scenario()) == http_count(logs_sim.url, f"since={quote(since)}&limit=200") == 500


def served_with_auth(sim):
    return [(r["auth"], r["method"], r["path"], r["status"]) for r in sim.requests()]


def test_the_sdk_in_private_key_mode_gets_a_token_and_lists_grants(oauth_sim):
    async def scenario():
        sdk = private_key_client(oauth_sim.url, "0oa1ci0example")
        grants, _, error = await sdk.list_scope_consent_grants(WORKFLOWS_APP)
        assert error is None, error
        return sorted(g.scope_id for g in grants)

    scopes = run(scenario())
    assert "okta.users.manage" in scopes and "openid" in scopes, scopes
    assert served_with_auth(oauth_sim) == [
        ("private_key_jwt", "POST", "/oauth2/v1/token", 200),
        ("Bearer", "GET", f"/api/v1/apps/{WORKFLOWS_APP}/grants", 200),
    ]


def test_the_sdk_with_dpop_gets_a_bound_token_and_lists_grants(oauth_sim):
    async def scenario():
        sdk = private_key_client(oauth_sim.url, "0oa1dpop", dpop=True)
        grants, _, error = await sdk.list_scope_consent_grants(WORKFLOWS_APP)
        assert error is None, error
        return len(grants)

    assert run(scenario()) > 0
    assert served_with_auth(oauth_sim) == [
        ("private_key_jwt", "POST", "/oauth2/v1/token", 400),
        ("private_key_jwt", "POST", "/oauth2/v1/token", 200),
        ("DPoP", "GET", f"/api/v1/apps/{WORKFLOWS_APP}/grants", 200),
    ]


def test_the_sdk_answers_a_resource_nonce_challenge_as_oktaform_does(oauth_sim):
    import urllib.request

    from conftest import TOKEN

    faults = urllib.request.Request(
        oauth_sim.url + "/__sim/faults",
        data=json.dumps({"resource_nonce": True}).encode(),
        headers={"Authorization": f"SSWS {TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(faults).close()

    async def scenario():
        sdk = private_key_client(oauth_sim.url, "0oa1dpop", dpop=True)
        grants, _, error = await sdk.list_scope_consent_grants(WORKFLOWS_APP)
        assert error is None, error
        return len(grants)

    assert run(scenario()) > 0
    assert served_with_auth(oauth_sim)[-2:] == [
        (None, "GET", f"/api/v1/apps/{WORKFLOWS_APP}/grants", 401),
        ("DPoP", "GET", f"/api/v1/apps/{WORKFLOWS_APP}/grants", 200),
    ]


def test_the_sdk_reads_the_events_of_its_changes(events_sim):
    from okta.models.app_user_assign_request import AppUserAssignRequest
    from okta.models.assign_role_to_user_request import AssignRoleToUserRequest
    from okta.models.standard_role_assignment_schema import StandardRoleAssignmentSchema

    async def scenario():
        async with client(events_sim.url) as okta:
            request = AppUserAssignRequest(id=SERVICE_ACCOUNT, scope="USER", credentials={"userName": "svc-workflows@acme.com"})
            _, _, error = await okta.assign_user_to_application(WORKFLOWS_APP, request)
            assert error is None, error
            role = AssignRoleToUserRequest(StandardRoleAssignmentSchema(type="SUPER_ADMIN"))
            _, _, error = await okta.assign_role_to_user(SERVICE_ACCOUNT, role)
            assert error is None, error
            kinds = '(eventType eq "application.user_membership.add" or eventType eq "user.account.privilege.grant") and actor.id eq "00uadmin0example00001"'
            events, _, error = await okta.list_log_events(filter=kinds, since=since_days_ago(1))
            assert error is None, error
            return [
                (
                    e.event_type,
                    e.legacy_event_type,
                    e.display_message,
                    # An app user's own id in events is `0ua…`, not the user's.
                    [(t.type, t.id[:3] if t.type == "AppUser" else t.id) for t in e.target],
                    e.debug_context.debug_data.get("privilegeGranted"),
                )
                for e in events
            ]

    assert run(scenario()) == [
        (
            "application.user_membership.add",
            "app.generic.provision.assign_user_to_app",
            "Add user to application membership",
            [("AppUser", "0ua"), ("AppInstance", WORKFLOWS_APP), ("User", SERVICE_ACCOUNT)],
            None,
        ),
        (
            "user.account.privilege.grant",
            "core.user.admin_privilege.granted",
            "Grant user privilege",
            [("User", SERVICE_ACCOUNT)],
            "Super administrator",
        ),
    ]
