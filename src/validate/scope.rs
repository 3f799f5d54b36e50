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
    if let Some((known, difference)) = lookalike(name) {
        return Some(
            Diagnostic::new(Code::ScopeMisspelled, format!("unknown scope `{}`", visible(name)))
                .at(scope.span, "looks like a catalog scope but is not one")
                .suggest(Some(known))
                .help(format!(
                    "{difference}; scope names are compared exactly, so this one would not be granted{}",
                    if acceptable {
                        ", and under `exact` the real one would be revoked"
                    } else {
                        ""
                    }
                )),
        );
    }
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

/// The catalog scope `name` is mistaken for: equal to it but for case, look-alike letters
/// (Cyrillic, Greek, full-width) or invisible characters (UTS 39 skeletons, compared without
/// case), with what differs in words.
fn lookalike(name: &str) -> Option<(&'static str, String)> {
    let skeleton = |text: &str| -> String { unicode_security::skeleton(&text.to_lowercase()).collect() };
    let wanted = skeleton(name);
    let known = catalog::scope_names().find(|known| *known != name && skeleton(known) == wanted)?;
    let odd: Vec<String> = name
        .chars()
        .enumerate()
        .filter(|(_, c)| !c.is_ascii())
        .map(|(i, c)| format!("U+{:04X} at character {}", u32::from(c), i + 1))
        .collect();
    let difference = if odd.is_empty() {
        "it differs from the catalog scope only in case".to_owned()
    } else {
        format!(
            "it holds characters that only look like the scope's: {}",
            odd.join(", ")
        )
    };
    Some((known, difference))
}

/// `text` with every non-ASCII character shown as `\u{…}`, so that a look-alike is seen.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", u32::from(c))
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use crate::config::{VarInputs, load_text};
    use crate::environment::Environment;
    use std::path::Path;

    /// `code: message (help)` of each diagnostic of a config granting `scope`.
    fn diagnostics(scope: &str) -> Vec<String> {
        let text = crate::testing::one_connection(&[scope], "");
        let mut loaded = load_text(
            Path::new("main.hcl"),
            text,
            &VarInputs::default(),
            &Environment::default(),
        );
        super::super::validate(&mut loaded, crate::testing::NOW)
            .diagnostics
            .iter()
            .map(|d| format!("{}: {} ({})", d.code, d.message, d.help.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn a_scope_that_only_looks_like_a_catalog_scope_is_an_error_that_shows_the_difference() {
        let revoked = "scope names are compared exactly, so this one would not be granted, and under `exact` the real one would be revoked";
        for (scope, shown, difference) in [
            (
                "OKTA.USERS.MANAGE",
                "OKTA.USERS.MANAGE",
                "it differs from the catalog scope only in case".to_owned(),
            ),
            (
                "okta.users.m\u{430}nage",
                "okta.users.m\\u{430}nage",
                "it holds characters that only look like the scope's: U+0430 at character 13".to_owned(),
            ),
            (
                "okta.users.\u{ff4d}anage",
                "okta.users.\\u{ff4d}anage",
                "it holds characters that only look like the scope's: U+FF4D at character 12".to_owned(),
            ),
            (
                "okta.users\u{200b}.manage",
                "okta.users\\u{200b}.manage",
                "it holds characters that only look like the scope's: U+200B at character 11".to_owned(),
            ),
        ] {
            assert_eq!(
                diagnostics(scope),
                [format!(
                    "oktaform::scope::misspelled: unknown scope `{shown}` (did you mean `okta.users.manage`? {difference}; {revoked})"
                )],
                "{scope}"
            );
        }
    }
}
