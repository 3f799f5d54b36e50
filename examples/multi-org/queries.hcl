log_query "admin_grant_changes" {
  connection = connection.prod
  match      = { eventType = "app.oauth2.admin.consent.grant" }
  since      = "-7d"
  order      = "DESCENDING"
  expect     = "empty"
}

log_query "failed_logins_abroad" {
  connection = connection.prod_reporting
  keyword    = "login"
  match      = { "outcome.result" = "FAILURE" }
  filter     = "(client.geographicalContext.country ne \"US\" or securityContext.isProxy eq true)"
  since      = "-24h"
  limit      = 500
}

log_query "preview_privilege_changes" {
  connection = connection.preview
  filter     = "eventType sw \"user.account.privilege\""
  records    = "all"
  since      = "-30d"
}
