//! Rules of `connection` blocks: empty values, the service account's login, the domain, the
//! endpoint, literal secrets, apps shared with conflicting policies, and apps whose grants
//! no `scopes` block declares.

use super::Context;
use crate::config::{RawConfig, RawConnection, Spanned};
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::ScopePolicy;
use crate::secret::Secret;
use std::collections::BTreeMap;

pub(super) fn check(context: &Context<'_>, config: &RawConfig, diagnostics: &mut Vec<Diagnostic>) {
    // Only when nothing else is wrong: a connection block with errors is left out of
    // `config.connections` and is reported already.
    if config.connections.is_empty() && !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(
            Diagnostic::new(Code::ConfigNoConnections, "the config declares no connection")
                .help("declare a `connection` block (see examples/quickstart/main.hcl), or point PATH at the config's directory"),
        );
    }
    for connection in &config.connections {
        empty_values(connection, diagnostics);
        if let Some(login) = &connection.service_account {
            check_login(context, login, diagnostics);
        }
        if let Some(domain) = &connection.domain {
            check_domain(context, domain, diagnostics);
        }
        if let Some(endpoint) = &connection.endpoint {
            check_endpoint(endpoint, diagnostics);
        }
        literal_secrets(connection, diagnostics);
        management(connection, diagnostics);
    }
    policy_conflicts(config, diagnostics);
    unscoped_apps(config, diagnostics);
}

/// `client_id` and `service_account` must not be empty (also when they come from an empty
/// environment variable).
fn empty_values(connection: &RawConnection, diagnostics: &mut Vec<Diagnostic>) {
    for (name, value) in [
        ("client_id", connection.client_id.as_ref()),
        ("service_account", connection.service_account.as_ref()),
    ] {
        if let Some(value) = value.filter(|v| v.value.trim().is_empty()) {
            let source = if value.literal { "" } else { " (its value is empty)" };
            diagnostics.push(
                Diagnostic::new(Code::ConnectionEmptyValue, format!("`{name}` is empty{source}"))
                    .at(value.span, "empty")
                    .help(match name {
                        "client_id" => "copy the client ID from the Sign On tab of the Okta Workflows OAuth app",
                        _ => "write the login of the super admin that authorizes the connection",
                    }),
            );
        }
    }
}

/// A login has no whitespace; a login with some cannot match a user.
fn check_login(context: &Context<'_>, login: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) {
    let text = login.value.as_str();
    let Some((start, c)) = text.char_indices().find(|(_, c)| c.is_whitespace()) else {
        return;
    };
    if text.trim().is_empty() {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            Code::ConnectionLoginWhitespace,
            format!("the login `{text}` holds whitespace"),
        )
        .at(context.inner_span(login, start, start + c.len_utf8()), "whitespace")
        .help(format!(
            "an Okta login has none: `{}`?",
            text.split_whitespace().collect::<String>()
        )),
    );
}

/// Under `exact`, an app whose grants no `scopes` block declares would lose every
/// non-default grant: usually a forgotten file.
fn unscoped_apps(config: &RawConfig, diagnostics: &mut Vec<Diagnostic>) {
    let app_of = |name: &str| {
        let connection = config.connections.iter().find(|c| c.name.value == name)?;
        Some((
            connection.domain.as_ref()?.value.to_ascii_lowercase(),
            connection.client_id.as_ref()?.value.clone(),
        ))
    };
    let declared: std::collections::BTreeSet<(String, String)> = config
        .scopes
        .iter()
        .filter_map(|s| app_of(&s.connection.as_ref()?.value))
        .collect();
    let mut warned = std::collections::BTreeSet::new();
    for connection in &config.connections {
        let exact = connection
            .scope_policy
            .as_ref()
            .is_none_or(|p| p.value == ScopePolicy::Exact);
        let retired = connection.retired.as_ref().is_some_and(|r| r.value);
        let Some(app) = app_of(&connection.name.value) else {
            continue;
        };
        if !exact || retired || declared.contains(&app) || !warned.insert(app) {
            continue;
        }
        diagnostics.push(
            Diagnostic::new(
                Code::ConnectionNoScopes,
                format!("no `scopes` block declares grants for connection `{}`", connection.name.value),
            )
            .at(connection.header, "no scopes declared")
            .help("under `scope_policy = \"exact\"` every non-default grant of its app would be revoked; add a `scopes` block, or set `scope_policy = \"additive\"`"),
        );
    }
}

fn check_domain(context: &Context<'_>, domain: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) {
    let text = domain.value.as_str();
    let mut host_start = 0;
    if let Some(at) = text.find("://") {
        host_start = at + 3;
        diagnostics.push(
            Diagnostic::new(
                Code::ConnectionDomainScheme,
                format!("the domain `{text}` has a scheme"),
            )
            .at(context.inner_span(domain, 0, host_start), "remove this")
            .help(format!("write the bare domain: `{}`", bare_host(&text[host_start..]))),
        );
    }
    let rest = &text[host_start..];
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if host_len < rest.len() {
        diagnostics.push(
            Diagnostic::new(Code::ConnectionDomainPath, format!("the domain `{text}` has a path"))
                .at(
                    context.inner_span(domain, host_start + host_len, text.len()),
                    "remove this",
                )
                .help("a domain is a host name only"),
        );
    }
    let host_and_port = &rest[..host_len];
    let (host, port) = match host_and_port.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_and_port, None),
    };
    if let Some(port) = port {
        let start = host_start + host.len();
        diagnostics.push(
            Diagnostic::new(Code::ConnectionDomainPort, format!("the domain `{text}` has a port"))
                .at(context.inner_span(domain, start, start + 1 + port.len()), "remove this")
                .help("to reach a server on another port, set `endpoint` or pass `--endpoint`"),
        );
    }
    let first_label = host.split('.').next().unwrap_or_default();
    if let Some(org) = first_label.strip_suffix("-admin") {
        let start = host_start + org.len();
        let fixed = format!("{org}{}", &host[first_label.len()..]);
        diagnostics.push(
            Diagnostic::new(
                Code::ConnectionDomainAdmin,
                format!("`{host}` is the Admin Console's domain"),
            )
            .at(
                context.inner_span(domain, start, start + "-admin".len()),
                "remove `-admin`",
            )
            .help(format!("use the org domain: `{fixed}`")),
        );
    }
    if let Some(problem) = hostname_problem(host) {
        diagnostics.push(
            Diagnostic::new(
                Code::ConnectionDomainNotHostname,
                format!("`{host}` is not a host name: {problem}"),
            )
            .at(
                context.inner_span(domain, host_start, host_start + host.len()),
                "not a host name",
            )
            .help("a domain looks like `acme.okta.com`: letters, digits and hyphens in dot-separated labels"),
        );
    }
}

fn bare_host(rest: &str) -> &str {
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    &rest[..end]
}

fn hostname_problem(host: &str) -> Option<&'static str> {
    if host.is_empty() {
        return Some("it is empty");
    }
    if host.len() > 253 {
        return Some("it is longer than 253 characters");
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Some("it has an empty label");
        }
        if label.len() > 63 {
            return Some("a label is longer than 63 characters");
        }
        if !label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Some("it holds characters other than letters, digits, hyphens and dots");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("a label starts or ends with a hyphen");
        }
    }
    None
}

/// Whether `host` is the loopback (where plain HTTP is allowed, for local test servers).
pub fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

fn check_endpoint(endpoint: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) {
    let invalid = |why: String| {
        Diagnostic::new(
            Code::ConnectionInvalidEndpoint,
            format!("the endpoint `{}` {why}", endpoint.value),
        )
        .at(endpoint.span, "invalid endpoint")
        .help("write the org's base URL, such as `https://acme.okta.com`")
    };
    let url = match url::Url::parse(&endpoint.value) {
        Ok(url) => url,
        Err(error) => return diagnostics.push(invalid(format!("is not a URL: {error}"))),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return diagnostics.push(invalid(format!("has the scheme `{}`; use https", url.scheme())));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return diagnostics.push(invalid("has a path, query or fragment".to_owned()));
    }
    if url.scheme() == "http" && !url.host().is_some_and(|h| is_loopback(&h)) {
        diagnostics.push(
            Diagnostic::new(
                Code::ConnectionInsecureEndpoint,
                format!("plain HTTP to `{}`", url.host_str().unwrap_or_default()),
            )
            .at(endpoint.span, "tokens would be sent unencrypted")
            .help("use `https://`; plain `http://` is allowed only to the loopback (127.0.0.1, ::1, localhost)"),
        );
    }
}

/// One credential per `management` block, and a private key that parses (its value is
/// never shown, only why it does not parse).
fn management(connection: &RawConnection, diagnostics: &mut Vec<Diagnostic>) {
    let Some(management) = &connection.management else {
        return;
    };
    let Some(oauth) = &management.oauth else {
        return;
    };
    if let Some(token) = &management.api_token {
        diagnostics.push(
            Diagnostic::new(
                Code::ConnectionTwoCredentials,
                format!(
                    "the `management` block of connection `{}` holds both `api_token` and `oauth`",
                    connection.name.value
                ),
            )
            .at(oauth.header, "a service app")
            .also(token.span, "and an API token")
            .help("keep one: the API token would win, and the service app would never be used"),
        );
    }
    if let Some(key) = oauth
        .private_key
        .as_ref()
        .filter(|k| !k.value.expose().trim().is_empty())
        && let Err(error) = crate::jose::SigningKey::parse(key.value.expose())
    {
        diagnostics.push(
            Diagnostic::new(Code::ConnectionPrivateKey, format!("`private_key` is not a usable key: {error}"))
                .at(key.span, "this key")
                .help("give the service app's private key as PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) or as a JWK, RSA or EC P-256"),
        );
    }
}

fn literal_secrets(connection: &RawConnection, diagnostics: &mut Vec<Diagnostic>) {
    let management = connection.management.as_ref();
    let secrets: [(&str, Option<&Spanned<Secret>>); 3] = [
        ("client_secret", connection.client_secret.as_ref()),
        ("api_token", management.and_then(|m| m.api_token.as_ref())),
        (
            "private_key",
            management
                .and_then(|m| m.oauth.as_ref())
                .and_then(|o| o.private_key.as_ref()),
        ),
    ];
    for (name, secret) in secrets {
        if let Some(secret) = secret.filter(|s| s.literal) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ConnectionLiteralSecret,
                    format!("`{name}` is written in the config"),
                )
                .at(secret.span, "literal secret")
                .help(format!(
                    "read it from the environment or a file: `{name} = env(\"...\")`, and rotate the one committed"
                )),
            );
        }
    }
}

/// Two connections on one app must agree on `scope_policy`.
fn policy_conflicts(config: &RawConfig, diagnostics: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<(String, String), (ScopePolicy, Span)> = BTreeMap::new();
    for connection in &config.connections {
        let (Some(domain), Some(client_id)) = (&connection.domain, &connection.client_id) else {
            continue;
        };
        let (policy, site) = connection
            .scope_policy
            .as_ref()
            .map_or((ScopePolicy::Exact, connection.header), |p| (p.value, p.span));
        let key = (domain.value.to_ascii_lowercase(), client_id.value.clone());
        match first.get(&key) {
            Some((other, other_site)) if *other != policy => diagnostics.push(
                Diagnostic::new(
                    Code::ConnectionPolicyConflict,
                    format!(
                        "connection `{}` shares its app with another connection but not its `scope_policy`",
                        connection.name.value
                    ),
                )
                .at(site, format!("{} here", policy_name(policy)))
                .also(*other_site, format!("{} here", policy_name(*other)))
                .help("grants belong to the app: give every connection of one app the same `scope_policy`"),
            ),
            Some(_) => {}
            None => {
                first.insert(key, (policy, site));
            }
        }
    }
}

fn policy_name(policy: ScopePolicy) -> &'static str {
    match policy {
        ScopePolicy::Exact => "`exact`",
        ScopePolicy::Additive => "`additive`",
    }
}
