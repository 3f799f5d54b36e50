# The flows of onboarding.flopack tie to the connection `hr`: validate checks that its app is
# granted every scope their Okta cards need. See what they need with:
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
  reason     = "the log query below, as the Search System Logs card of audit.flopack runs it"
  grant      = ["okta.logs.read"]
}

flows "onboarding" {
  connection        = connection.hr
  export            = "onboarding.flopack"
  export_connection = "HR org"
}

# The Search System Logs card of audit.flopack, linted like any other log query.
log_query "nightly_failed_logins" {
  connection = connection.hr
  filter     = "eventType eq \"user.session.start\" and outcome.result eq \"FAILURE\""
  since      = "-24h"
  limit      = 200
}
