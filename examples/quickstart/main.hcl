# The quickstart: one org, one Workflows connection, its scopes and two System Log searches.
#   oktaform validate examples/quickstart

connection "acme" {
  domain = "acme.okta.com"
  # The client ID of the org's "Okta Workflows OAuth" app (Applications > Sign On tab).
  client_id = "0oa1wf0example"
  # Checked against the app when set; never printed.
  client_secret = env("WORKFLOWS_CLIENT_SECRET", "")
  # The super admin that authorizes the connection; it must be assigned to the app.
  service_account = "svc-workflows@acme.com"
}
