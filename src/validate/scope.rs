//! Rules of `scopes` blocks: misspelled and unknown scopes (and those accepted as new),
//! auto-granted, Limited Early Access and duplicate scopes, empty grants; and the scopes
//! of a `management { oauth { ... } }` block.

use crate::catalog::{self, Stage};
use crate::config::{RawConfig, Spanned};
use crate::diagnostics::{Code, Diagnostic, Span, close_match, did_you_mean};
use crate::model::{AppKey, Desired};
use std::collections::BTreeMap;

/// Edits within which an unknown scope is taken for a typo of a known one.
const TYPO_DISTANCE: usize = 2;

/// The diagnostic of a scope that is not in the catalog: an error when it is a likely typo
/// of a known scope, a warning otherwise; `None` when the config accepts it as new.
/// `acceptable`: the scope is a grant of a `scopes` block (else one a service app asks for).
fn unknown_scope(scope: &Spanned<String>, accepted: bool, acceptable: bool) -> Option<Diagnostic> {
    let name = scope.value.as_str();
    if catalog::scope(name).is_some() || accepted {
        return None;
    }
    let accept = if acceptable {
        format!(" list it in this block's `accept_unknown = [\"{name}\"]`")
    } else {
        " check the spelling in Okta's documentation".to_owned()
    };
    Some(match close_match(name, catalog::scope_names(), TYPO_DISTANCE) {
        Some(known) => Diagnostic::new(Code::ScopeMisspelled, format!("unknown scope `{name}`"))
            .at(scope.span, "not in the scope catalog")
            .suggest(Some(known))
            .help(if acceptable {
                format!(
                    "a misspelled scope would not be granted, and under `exact` the real one would be revoked; if Okta added `{name}` after oktaform's catalog,{accept}"
                )
            } else {
                format!(
                    "the service app's token would lack the real scope; if Okta added `{name}` after oktaform's catalog,{accept}"
                )
            }),
        None => Diagnostic::new(Code::ScopeUnknown, format!("unknown scope `{name}`"))
            .at(scope.span, "not in the scope catalog")
            .suggest(did_you_mean(name, catalog::scope_names()))
            .help(format!(
                "the {} will be attempted as written; if it is a scope Okta added recently,{accept}",
                if acceptable { "grant" } else { "token request" }
            )),
    })
}

pub(super) fn check(config: &RawConfig, desired: &Desired, diagnostics: &mut Vec<Diagnostic>) {
    for oauth in config
        .connections
        .iter()
        .filter_map(|c| c.management.as_ref()?.oauth.as_ref())
    {
        for scope in oauth.scopes.iter().flatten() {
            diagnostics.extend(unknown_scope(scope, false, false));
        }
    }
    let mut first_site: BTreeMap<(AppKey, &str), (Span, &str)> = BTreeMap::new();
    for scopes in &config.scopes {
        if scopes.grant.is_empty()
            && let Some(span) = scopes.grant_span
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::ScopeEmptyGrant,
                    format!("`scopes.{}` grants nothing", scopes.name.value),
                )
                .at(span, "empty")
                .help("list the scopes the connection's flows need, or remove the block"),
            );
        }
        for accepted in &scopes.accept_unknown {
            let known = catalog::scope(&accepted.value).is_some();
            let granted = scopes.grant.iter().any(|g| g.value == accepted.value);
            if known || !granted {
                let why = if known {
                    "the catalog knows this scope"
                } else {
                    "this block does not grant it"
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::ScopeAcceptUnneeded,
                        format!("`{}` need not be accepted: {why}", accepted.value),
                    )
                    .at(accepted.span, "not needed")
                    .help("remove it from `accept_unknown`, so that it cannot hide a typo later"),
                );
            }
        }
        let connection = scopes
            .connection
            .as_ref()
            .and_then(|c| desired.connections.get(&c.value));
        let connector = connection.map_or("okta", |c| c.connector.as_str());
        let app = connection.map(|c| c.app.clone());
        for grant in &scopes.grant {
            let name = grant.value.as_str();
            match catalog::scope(name) {
                None => {
                    let accepted = scopes.accept_unknown.iter().any(|a| a.value == name);
                    diagnostics.extend(unknown_scope(grant, accepted, true));
                }
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
