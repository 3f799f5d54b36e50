scopes "identity_lifecycle" {
  connection = connection.prod
  reason     = "Joiner/mover/leaver flows manage users and their groups"
  grant      = ["okta.users.manage", "okta.groups.manage"]
}

scopes "app_access" {
  connection = connection.prod
  reason     = "Access-request flows assign apps"
  grant      = ["okta.apps.manage"]
}

scopes "reporting" {
  connection = connection.prod_reporting
  reason     = "Reports read the System Log"
  grant      = ["okta.logs.read"]
}

scopes "preview_testing" {
  connection = connection.preview
  reason     = "Flows under test in preview"
  grant      = ["okta.users.manage", "okta.groups.manage", "okta.logs.read", "okta.eventHooks.manage"]
}
