"""The sim's response bodies validated against the component schemas of the official spec."""

import json
import urllib.request

from conftest import SERVICE_ACCOUNT, TOKEN, WORKFLOWS_APP


def call(sim, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(sim.url + path, data=data, method=method)
    request.add_header("Authorization", f"SSWS {TOKEN}")
    request.add_header("Accept", "application/json")
    if data:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_apps_conform(sim, conforms):
    status, apps = call(sim, "GET", "/api/v1/apps")
    assert status == 200
    assert {app["name"] for app in apps} == {"flow", "oidc_client"}
    for app in apps:
        if app["name"] == "flow":
            # The spec enumerates the `name` of custom OIDC apps only (`oidc_client`); the
            # Okta Workflows OAuth app is created by Okta with the internal name `flow`.
            # Everything else about it must conform.
            app = {**app, "name": "oidc_client"}
        conforms(app, "OpenIdConnectApplication")
        conforms(app, "Application")


def test_client_secrets_conform(sim, conforms):
    status, secrets = call(sim, "GET", f"/api/v1/apps/{WORKFLOWS_APP}/credentials/secrets")
    assert status == 200 and secrets
    for secret in secrets:
        conforms(secret, "OAuth2ClientSecret")


def test_grants_conform(sim, conforms):
    status, created = call(sim, "POST", f"/api/v1/apps/{WORKFLOWS_APP}/grants", {"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"})
    assert status == 200  # as real orgs answer (terraform-provider-okta VCR fixture, 2023)
    conforms(created, "OAuth2ScopeConsentGrant")
    status, grants = call(sim, "GET", f"/api/v1/apps/{WORKFLOWS_APP}/grants?expand=scope")
    assert status == 200
    for grant in grants:
        conforms(grant, "OAuth2ScopeConsentGrant")


def test_users_roles_and_app_users_conform(sim, conforms):
    status, user = call(sim, "GET", f"/api/v1/users/{SERVICE_ACCOUNT}")
    assert status == 200
    conforms(user, "User")
    status, role = call(sim, "POST", f"/api/v1/users/{SERVICE_ACCOUNT}/roles", {"type": "SUPER_ADMIN"})
    assert status == 201
    conforms(role, "StandardRole")
    status, app_user = call(sim, "POST", f"/api/v1/apps/{WORKFLOWS_APP}/users", {"id": SERVICE_ACCOUNT, "scope": "USER"})
    assert status == 200
    conforms(app_user, "AppUser")


def test_group_scoped_app_users_group_roles_and_secrets_conform(group_sim, conforms):
    status, member = call(group_sim, "GET", f"/api/v1/apps/{WORKFLOWS_APP}/users/{SERVICE_ACCOUNT}")
    assert status == 200 and member["scope"] == "GROUP"
    conforms(member, "AppUser")
    status, members = call(group_sim, "GET", f"/api/v1/apps/{WORKFLOWS_APP}/users")
    assert status == 200
    for each in members:
        conforms(each, "AppUser")
    status, roles = call(group_sim, "GET", f"/api/v1/users/{SERVICE_ACCOUNT}/roles")
    assert status == 200 and roles[0]["assignmentType"] == "GROUP"
    for role in roles:
        conforms(role, "StandardRole")
    status, secrets = call(group_sim, "GET", f"/api/v1/apps/{WORKFLOWS_APP}/credentials/secrets")
    assert status == 200 and len(secrets) == 2
    for secret in secrets:
        conforms(secret, "OAuth2ClientSecret")
    status, refused = call(group_sim, "DELETE", f"/api/v1/apps/{WORKFLOWS_APP}/users/{SERVICE_ACCOUNT}")
    assert status == 403 and refused["errorCode"] == "E0000046"
    conforms(refused, "Error")
    status, app = call(group_sim, "GET", f"/api/v1/apps/{WORKFLOWS_APP}")
    assert status == 200 and "client_secret" not in app["credentials"]["oauthClient"]


def test_log_events_conform(logs_sim, conforms):
    status, events = call(logs_sim, "GET", "/api/v1/logs?limit=200")
    assert status == 200 and len(events) == 200
    status, created = call(logs_sim, "POST", f"/api/v1/apps/{WORKFLOWS_APP}/grants", {"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"})
    assert status == 200
    status, mutations = call(logs_sim, "GET", "/api/v1/logs?filter=eventType%20eq%20%22app.oauth2.admin.consent.grant%22%20and%20target.id%20eq%20%22okta.logs.read%22")
    assert status == 200 and len(mutations) == 1
    # The spec declares members such as `actor.detailEntry` non-nullable, but real orgs send
    # them as null (elastic/integrations okta test logs, 2020 captures), and so does the sim:
    # everything else is checked against the spec.
    for event in events + [without_nulls(m) for m in mutations]:
        conforms(event, "LogEvent")


def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def test_errors_conform(sim, conforms):
    status, error = call(sim, "GET", "/api/v1/apps/0oamissing")
    assert status == 404
    conforms(error, "Error")
    assert error["errorCode"] == "E0000007"


def test_plan_json_conforms_to_the_plan_schema(tmp_path):
    """The plan document oktaform prints validates against schemas/plan.schema.json."""
    import os
    import shutil
    import subprocess

    from conftest import ROOT
    from jsonschema import Draft202012Validator

    config = tmp_path / "quickstart"
    shutil.copytree(ROOT / "examples" / "quickstart", config)
    binary = os.environ.get("OKTAFORM_BIN", str(ROOT / "target" / "debug" / "oktaform"))
    result = subprocess.run([binary, "plan", str(config), "--sim", "--format", "json"], capture_output=True, text=True, check=True)
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text())
    Draft202012Validator(schema).validate(json.loads(result.stdout))
