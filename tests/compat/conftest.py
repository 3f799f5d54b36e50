"""Fixtures of the compatibility suite: a fresh simulated org per test, an official SDK
client bound to it, and a validator of responses against the official OpenAPI spec."""

import asyncio
import json
import os
import pathlib
import subprocess

import pytest
import yaml
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "quickstart" / "sim-org.json"
SPEC = ROOT / "schemas" / "sources" / "management-trimmed.yaml"
TOKEN = "sim-admin-token"
WORKFLOWS_APP = "0oa1wf0example"
SERVICE_ACCOUNT = "00usvcwf0example00001"

# The SDK refuses http:// org URLs unless this is set (its config is read from the environment).
os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"


class RunningSim:
    def __init__(self, seed_path, *args):
        binary = os.environ.get("OKTAFORM_BIN", str(ROOT / "target" / "debug" / "oktaform"))
        self.process = subprocess.Popen(
            [binary, "sim", "serve", "--seed", str(seed_path), "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        assert line.startswith("listening on http://"), line
        self.url = line.removeprefix("listening on ")

    def requests(self):
        import urllib.request

        request = urllib.request.Request(self.url + "/__sim/requests", headers={"Authorization": f"SSWS {TOKEN}"})
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def sim(tmp_path):
    running = RunningSim(SEED)
    yield running
    running.stop()


@pytest.fixture(params=[[], ["--prune-nulls"]], ids=["nulls-kept", "nulls-pruned"])
def events_sim(request):
    """The quickstart's org as real orgs write events (nulls kept), and with --prune-nulls."""
    running = RunningSim(SEED, *request.param)
    yield running
    running.stop()


@pytest.fixture
def limited_sim():
    """An org that allows one request per second in each bucket."""
    running = RunningSim(SEED, "--rate-limit", "1", "--rate-window", "1s")
    yield running
    running.stop()


@pytest.fixture
def paging_sim(tmp_path):
    """An org with 7 apps besides the Workflows app, for paging."""
    seed = json.loads(SEED.read_text())
    org = seed["orgs"][0]
    org["apps"] += [{"id": f"0oapage{i:04d}", "name": "oidc_client", "label": f"Paged {i:04d}"} for i in range(7)]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    running = RunningSim(path)
    yield running
    running.stop()


@pytest.fixture
def group_sim(tmp_path):
    """The service account has the Workflows app and SUPER_ADMIN through a group; the app
    holds an ACTIVE and an INACTIVE client secret."""
    seed = json.loads(SEED.read_text())
    org = seed["orgs"][0]
    org["groups"] = [{"id": "00gwfadmins0000001", "name": "Workflows admins", "users": [SERVICE_ACCOUNT], "roles": ["SUPER_ADMIN"]}]
    app = org["apps"][0]
    app["assigned_groups"] = ["00gwfadmins0000001"]
    app["client_secrets"] = [{"secret": "rotated-out-secret", "status": "INACTIVE"}]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    running = RunningSim(path)
    yield running
    running.stop()


@pytest.fixture
def logs_sim(tmp_path):
    """An org with 500 synthetic System Log events over the last days."""
    import datetime

    seed = json.loads(SEED.read_text())
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=2)
    seed["orgs"][0]["synthetic_log_events"] = {"count": 500, "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "seed": 5}
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    running = RunningSim(path)
    yield running
    running.stop()


OAUTH_KEYS = ROOT / "tests" / "fixtures" / "oauth"


@pytest.fixture
def oauth_sim(tmp_path):
    """The quickstart's org whose service app `0oa1ci0example` holds the RSA fixture key, and
    a second service app `0oa1dpop` with the same key that requires DPoP."""
    seed = json.loads(SEED.read_text())
    public = json.loads((OAUTH_KEYS / "public-keys.json").read_text())["rsa"]
    apps = seed["orgs"][0]["apps"]
    ci = next(a for a in apps if a["id"] == "0oa1ci0example")
    ci["jwks"] = {"keys": [public]}
    ci["grants"] = ci["grants"] + ["okta.appGrants.read"]
    apps.append({**ci, "id": "0oa1dpop", "label": "oktaform CI (DPoP)", "dpop_bound_access_tokens": True})
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    running = RunningSim(path)
    yield running
    running.stop()


def private_key_client(url, client_id, dpop=False):
    from okta.client import Client

    return Client(
        {
            "orgUrl": url,
            "authorizationMode": "PrivateKey",
            "clientId": client_id,
            "scopes": ["okta.appGrants.read"],
            "privateKey": (OAUTH_KEYS / "rsa-pkcs1.pem").read_text(),
            "kid": "rsa-key-1",
            "dpopEnabled": dpop,
        }
    )


def client(url, token=TOKEN):
    from okta.client import Client

    return Client({"orgUrl": url, "token": token})


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(scope="session")
def spec():
    return yaml.safe_load(SPEC.read_text())


@pytest.fixture(scope="session")
def conforms(spec):
    """conforms(body, "Schema") raises unless body is valid for components.schemas.Schema."""

    def check(body, schema_name):
        schema = dict(spec)
        schema["$ref"] = f"#/components/schemas/{schema_name}"
        OAS30ReadValidator(schema, format_checker=oas30_format_checker).validate(body)
        return True

    return check
