connection "prod" {
  domain          = var.prod_domain
  client_id       = "0oa1wf0prod"
  client_secret   = env("PROD_WORKFLOWS_CLIENT_SECRET", "")
  service_account = var.service_account
  scope_policy    = "exact"

  management {
    api_token = env("PROD_OKTA_API_TOKEN", "")
  }
}

# A second connection on the same Workflows app: it shares the app's grants.
connection "prod_reporting" {
  domain          = var.prod_domain
  client_id       = "0oa1wf0prod"
  service_account = "svc-reporting@acme.com"
}

connection "preview" {
  domain          = var.preview_domain
  client_id       = "0oa1wf0preview"
  service_account = var.service_account
  scope_policy    = "additive"

  management {
    oauth {
      client_id   = "0oa1ci"
      private_key = env("PREVIEW_OKTA_PRIVATE_KEY", "")
      key_id      = "ci-key-1"
      scopes      = ["okta.apps.read", "okta.appGrants.manage", "okta.users.read", "okta.roles.manage", "okta.logs.read"]
    }
  }
}
