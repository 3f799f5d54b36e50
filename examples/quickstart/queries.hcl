log_query "failed_admin_logins" {
  connection = connection.acme
  keyword    = "admin"
  match      = { eventType = "user.session.start", "outcome.result" = "FAILURE" }
  filter     = "client.geographicalContext.country ne \"US\""
  since      = "-24h"
  limit      = 200
}

log_query "scope_changes" {
  connection = connection.acme
  filter     = "eventType sw \"app.oauth2.admin.consent\""
  since      = "-7d"
  records    = "all"
  expect     = "empty"
}
