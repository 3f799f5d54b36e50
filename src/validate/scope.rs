//! Rules of `scopes` blocks: unknown, auto-granted, Limited Early Access and duplicate
//! scopes.

use crate::catalog::{self, Stage};
use crate::config::RawConfig;
use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use crate::model::{AppKey, Desired};
use std::collections::BTreeMap;

pub(super) fn check(config: &RawConfig, desired: &Desired, diagnostics: &mut Vec<Diagnostic>) {
    let mut first_site: BTreeMap<(AppKey, &str), (Span, &str)> = BTreeMap::new();
    for scopes in &config.scopes {
        let connection = scopes
            .connection
            .as_ref()
            .and_then(|c| desired.connections.get(&c.value));
        let connector = connection.map_or("okta", |c| c.connector.as_str());
        let app = connection.map(|c| c.app.clone());
        for grant in &scopes.grant {
            let name = grant.value.as_str();
            match catalog::scope(name) {
                None => diagnostics.push(
                    Diagnostic::new(Code::ScopeUnknown, format!("unknown scope `{name}`"))
                        .at(grant.span, "not in the scope catalog")
                        .suggest(did_you_mean(name, catalog::scope_names()))
                        .help("if Okta added this scope recently, the grant will still be attempted"),
                ),
                Some(scope) if scope.auto_granted_by.iter().any(|c| c == connector) => diagnostics.push(
                    Diagnostic::new(Code::ScopeAutoGranted, format!("`{name}` is granted automatically"))
                        .at(grant.span, "redundant")
                        .help(format!(
                            "the `{connector}` connector's app is granted `{}` automatically and oktaform never revokes them; remove it from `grant`",
                            catalog::auto_granted(connector).join(" ")
                        )),
                ),
                Some(scope) if scope.stage == Stage::LimitedEarlyAccess => diagnostics.push(
                    Diagnostic::new(Code::ScopeLimitedEarlyAccess, format!("`{name}` is a Limited Early Access scope"))
                        .at(grant.span, "Limited Early Access")
                        .help("it can be granted only where the feature is enabled for the org"),
                ),
                Some(_) => {}
            }
            let Some(app) = &app else { continue };
            let key = (app.clone(), name);
            match first_site.get(&key) {
                Some((first, block)) => diagnostics.push(
                    Diagnostic::new(
                        Code::ScopeDuplicate,
                        format!("`{name}` is already declared for this app by `scopes.{block}`"),
                    )
                    .at(grant.span, "declared again here")
                    .also(*first, "first declared here")
                    .help("declare each scope once per app"),
                ),
                None => {
                    first_site.insert(key, (grant.span, scopes.name.value.as_str()));
                }
            }
        }
    }
}
