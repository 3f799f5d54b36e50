# The quickstart: one org, one Workflows connection, its scopes and two System Log searches.
# Try it against the simulated org that ships in the binary:
#   oktaform validate examples/quickstart

connection "acme" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"                            # the Okta Workflows OAuth app
  client_secret   = env("WORKFLOWS_CLIENT_SECRET", "")          # checked against the app when set
  service_account = "svc-workflows@acme.com"                    # super admin, assigned to the app
}
