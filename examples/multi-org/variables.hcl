# Values for both orgs. Override on the command line (`--var prod_domain=...`), with a var
# file (`--var-file prod.hcl`) or in the environment (`OKTAFORM_VAR_prod_domain=...`).

variable "prod_domain" {
  default = "acme.okta.com"
}

variable "preview_domain" {
  default = "acme.oktapreview.com"
}

variable "service_account" {
  description = "The super admin that authorizes both connections"
  default     = "svc-workflows@acme.com"
}
