scopes "hr_onboarding" {
  connection = connection.acme
  reason     = "HR onboarding flows create users and add them to groups"
  grant      = ["okta.users.manage", "okta.groups.manage"]
}

scopes "audit" {
  connection = connection.acme
  reason     = "Nightly audit flows search the System Log"
  grant      = ["okta.logs.read"]
}
