# The grants the flows of onboarding.flopack need, as `oktaform flows inspect` lists them:
#   oktaform flows inspect examples/flows/onboarding.flopack examples/flows/audit.flopack

connection "hr" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"
  service_account = "svc-workflows@acme.com"
  nickname        = "HR org"
}

scopes "onboarding" {
  connection = connection.hr
  reason     = "onboarding.flopack: Read User, Add User to Group, a Custom API Action on roles"
  grant      = ["okta.users.read", "okta.groups.manage", "okta.roles.read"]
}

scopes "audit" {
  connection = connection.hr
  reason     = "audit.flopack: Search System Logs"
  grant      = ["okta.logs.read"]
}

# The Search System Logs card of audit.flopack, linted like any other log query.
log_query "nightly_failed_logins" {
  connection = connection.hr
  filter     = "eventType eq \"user.session.start\" and outcome.result eq \"FAILURE\""
  since      = "-24h"
  limit      = 200
}
