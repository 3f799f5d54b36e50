//! The live reader. Per org a preflight (the caller is a super admin); per app the app (by
//! client id, else `filter=name eq "flow"` matched on the client id), its ACTIVE admin
//! grants, its secrets when a configured secret is to be checked, and per selected service
//! account the user, its roles and its assignment. Requests that do not depend on each other
//! run together: the critical path is two requests deep.

use crate::model::{Access, AppKey, AppKind, Caller, Live, LiveAccount, LiveApp, Secrets, SuperAdminRole};
use crate::okta::{OktaClient, OktaError, path_segment as encode, wire};
use futures_util::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

/// The label Okta gives the Workflows OAuth app, and its internal name.
pub const WORKFLOWS_LABEL: &str = "Okta Workflows OAuth";
pub const WORKFLOWS_NAME: &str = "flow";

/// The Workflows callback of Okta's production and preview cells: the redirect URI of an
/// OIDC app that connects the Okta connector to another org (REFERENCE section 2).
pub const WORKFLOWS_CALLBACKS: [&str; 2] = [
    "https://oauth.workflows.okta.com/oauth/okta/cb",
    "https://oauth.workflows.oktapreview.com/oauth/okta/cb",
];

/// What to read: per app, the service accounts and whether its secrets are needed.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub apps: BTreeMap<AppKey, AppSelection>,
}

/// What to read of one app.
#[derive(Clone, Debug, Default)]
pub struct AppSelection {
    /// Logins of the service accounts of the selected connections.
    pub accounts: BTreeSet<String>,
    /// Whether a configured client secret is to be checked.
    pub secrets: bool,
}

/// Why the live state could not be read.
#[derive(Clone, Debug)]
pub enum ReadError {
    AppNotFound {
        key: AppKey,
        /// What was searched, in words.
        searched: String,
    },
    NotWorkflowsApp {
        key: AppKey,
        name: String,
        label: String,
    },
    AccountNotFound {
        key: AppKey,
        login: String,
    },
    /// The credential's user may not change grants.
    NotSuperAdmin {
        domain: String,
        login: String,
    },
    Request {
        domain: String,
        error: OktaError,
    },
}

/// What is read once per user however many apps name the account: the user, and their
/// roles. The first app to ask reads; the others wait for that answer.
#[derive(Default)]
struct Lookups {
    users: BTreeMap<Account, Once<Option<wire::User>>>,
    roles: BTreeMap<Account, Once<Vec<wire::Role>>>,
}

/// An account of an org: its domain and login.
type Account = (String, String);

/// An answer read once, shared by whoever asks.
type Once<T> = tokio::sync::OnceCell<Result<T, OktaError>>;

impl Lookups {
    fn of(selection: &Selection) -> Self {
        let mut lookups = Self::default();
        for (key, app) in &selection.apps {
            for login in &app.accounts {
                let id = (key.domain.clone(), login.clone());
                lookups.users.entry(id.clone()).or_default();
                lookups.roles.entry(id).or_default();
            }
        }
        lookups
    }

    async fn user(&self, client: &OktaClient, login: &str) -> Result<Option<wire::User>, OktaError> {
        match self.users.get(&(client.domain().to_owned(), login.to_owned())) {
            Some(cell) => cell.get_or_init(|| find_user(client, login)).await.clone(),
            None => find_user(client, login).await,
        }
    }

    async fn roles(&self, client: &OktaClient, login: &str, user_id: &str) -> Result<Vec<wire::Role>, OktaError> {
        let path = format!("/api/v1/users/{user_id}/roles");
        let read = || client.get::<Vec<wire::Role>>(&path);
        match self.roles.get(&(client.domain().to_owned(), login.to_owned())) {
            Some(cell) => cell.get_or_init(read).await.clone(),
            None => read().await,
        }
    }
}

/// Reads orgs through one client per domain.
#[derive(Debug)]
pub struct Reader {
    clients: BTreeMap<String, OktaClient>,
}

impl Reader {
    pub fn new(clients: BTreeMap<String, OktaClient>) -> Self {
        Self { clients }
    }

    /// Reads everything `selection` names; every problem is returned, not just the first.
    pub async fn read(&self, selection: &Selection) -> (Live, Vec<ReadError>) {
        let domains: BTreeSet<&str> = selection.apps.keys().map(|k| k.domain.as_str()).collect();
        let preflights = join_all(domains.iter().filter_map(|d| self.clients.get(*d)).map(preflight));
        let lookups = std::sync::Arc::new(Lookups::of(selection));
        // A task per app: connecting and decoding answers spread over the runtime's threads
        // instead of queueing on the one that waits for them all.
        let apps = join_all(selection.apps.iter().filter_map(|(key, app)| {
            let client = self.clients.get(&key.domain)?.clone();
            let lookups = lookups.clone();
            let key = key.clone();
            let app = app.clone();
            Some(tokio::spawn(async move {
                read_app(&client, &lookups, &key, &app.accounts, app.secrets).await
            }))
        }));
        let (preflights, apps) = tokio::join!(preflights, apps);
        let mut live = Live::default();
        let mut errors = Vec::new();
        for preflight in preflights {
            match preflight {
                Ok((domain, caller)) => {
                    live.callers.insert(domain, caller);
                }
                Err(error) => errors.push(error),
            }
        }
        for result in apps {
            // A task ends in a panic or with its answer: it is cancelled only with a runtime
            // that has stopped waiting for this read.
            let result = result.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
            match result {
                Ok(app) => {
                    live.apps.insert(app.key.clone(), app);
                }
                Err(mut app_errors) => errors.append(&mut app_errors),
            }
        }
        (live, errors)
    }
}

fn request_error(client: &OktaClient) -> impl Fn(OktaError) -> ReadError + '_ {
    |error| ReadError::Request {
        domain: client.domain().to_owned(),
        error,
    }
}

/// The caller must be a super admin: only super admins may grant scopes. A service app has
/// no user behind `/users/me` (what Okta answers there is unverified); its admin roles show
/// in the answers to the requests themselves.
async fn preflight(client: &OktaClient) -> Result<(String, Caller), ReadError> {
    let domain = client.domain().to_owned();
    if let Some(client_id) = client.service_app_client_id() {
        return Ok((
            domain,
            Caller {
                names: vec![client_id.to_owned()],
            },
        ));
    }
    let me: wire::User = client.get("/api/v1/users/me").await.map_err(request_error(client))?;
    let roles: Vec<wire::Role> = client
        .get(&format!("/api/v1/users/{}/roles", encode(&me.id)))
        .await
        .map_err(request_error(client))?;
    if roles.iter().any(wire::Role::is_active_super_admin) {
        Ok((
            domain,
            Caller {
                names: vec![me.id, me.profile.login],
            },
        ))
    } else {
        Err(ReadError::NotSuperAdmin {
            domain: client.domain().to_owned(),
            login: me.profile.login,
        })
    }
}

/// The app a connection uses, what kind it is, and whether its client id was verified.
///
/// By id first (an OIDC app's client id defaults to its id); then among the apps named
/// `flow` by client id; then, when no `flow` app shows a client id at all (Okta's own app may
/// show no `credentials.oauthClient`), the org's only `flow` app.
async fn find_app(client: &OktaClient, key: &AppKey) -> Result<(wire::App, AppKind, bool), ReadError> {
    let by_id: Option<wire::App> = client
        .get_optional(&format!("/api/v1/apps/{}", encode(&key.client_id)))
        .await
        .map_err(request_error(client))?;
    let (app, unverified) = match by_id {
        Some(app) => (app, false),
        None => {
            let flows: Vec<wire::App> = client
                .get_all("/api/v1/apps?filter=name%20eq%20%22flow%22")
                .await
                .map_err(request_error(client))?;
            let hidden = flows.iter().filter(|a| a.client_id().is_none()).count();
            let matching = flows
                .iter()
                .position(|app| app.client_id() == Some(key.client_id.as_str()));
            match matching {
                Some(index) => (flows.into_iter().nth(index).expect("found above"), false),
                None if flows.len() == 1 && hidden == 1 => (flows.into_iter().next().expect("one app"), true),
                None => {
                    let searched = match (flows.len(), hidden) {
                        (0, _) => format!(
                            "no app has the id `{}`, and the org has no app named `flow`",
                            key.client_id
                        ),
                        (n, 0) => format!(
                            "no app has the id `{}`, and none of the {n} apps named `flow` has that client id",
                            key.client_id
                        ),
                        (n, h) => format!(
                            "no app has the id `{}`; {n} apps are named `flow`, {h} of which show no client id, so none can be told to be the connection's",
                            key.client_id
                        ),
                    };
                    return Err(ReadError::AppNotFound {
                        key: key.clone(),
                        searched,
                    });
                }
            }
        }
    };
    let kind = if app.name == WORKFLOWS_NAME || app.label == WORKFLOWS_LABEL {
        AppKind::Workflows
    } else if app
        .redirect_uris()
        .iter()
        .any(|uri| WORKFLOWS_CALLBACKS.contains(&uri.as_str()))
    {
        AppKind::OtherOrg
    } else {
        return Err(ReadError::NotWorkflowsApp {
            key: key.clone(),
            name: app.name,
            label: app.label,
        });
    };
    Ok((app, kind, unverified))
}

/// The names of the groups through which the user `user_id` has the app `app_id`.
async fn granting_groups(client: &OktaClient, app_id: &str, user_id: &str) -> Result<Vec<String>, OktaError> {
    let (user_path, app_path) = (
        format!("/api/v1/users/{user_id}/groups"),
        format!("/api/v1/apps/{app_id}/groups"),
    );
    let (of_user, of_app) = tokio::join!(
        client.get::<Vec<wire::Group>>(&user_path),
        client.get_all::<wire::AppGroup>(&app_path),
    );
    let of_app: BTreeSet<String> = of_app?.into_iter().map(|g| g.id).collect();
    let mut names: Vec<String> = of_user?
        .into_iter()
        .filter(|g| of_app.contains(&g.id))
        .map(|g| g.profile.name)
        .collect();
    names.sort();
    Ok(names)
}

async fn find_user(client: &OktaClient, login: &str) -> Result<Option<wire::User>, OktaError> {
    if login.contains('/') {
        let search = format!("profile.login eq {}", serde_json::Value::String(login.to_owned()));
        let users: Vec<wire::User> = client
            .get_all(&format!("/api/v1/users?search={}", encode(&search)))
            .await?;
        return Ok(users.into_iter().find(|u| u.profile.login.eq_ignore_ascii_case(login)));
    }
    client.get_optional(&format!("/api/v1/users/{}", encode(login))).await
}

/// The ACTIVE admin grants of an app by scope, each with the ids of its grants.
pub fn granted_scopes(grants: Vec<wire::Grant>) -> BTreeMap<String, Vec<String>> {
    let mut scopes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for grant in grants.into_iter().filter(wire::Grant::is_active_admin) {
        scopes.entry(grant.scope_id).or_default().push(grant.id);
    }
    scopes
}

/// A user's ACTIVE `SUPER_ADMIN` roles, and whether each is theirs or a group's.
pub fn super_admin_roles(roles: Vec<wire::Role>) -> Vec<SuperAdminRole> {
    roles
        .into_iter()
        .filter(wire::Role::is_active_super_admin)
        .map(|r| SuperAdminRole {
            direct: r.assignment_type.as_deref().is_none_or(|t| t == "USER"),
            id: r.id,
        })
        .collect()
}

/// What the org says of the service account `login` (the user `user`) and the app
/// `app_id`: its super admin roles, and how it has the app.
async fn read_account(
    client: &OktaClient,
    lookups: &Lookups,
    app_id: &str,
    login: &str,
    user: &wire::User,
) -> Result<(String, LiveAccount), OktaError> {
    let user_id = encode(&user.id);
    let assignment_path = format!("/api/v1/apps/{app_id}/users/{user_id}");
    let (roles, assignment) = tokio::join!(
        lookups.roles(client, login, &user_id),
        client.get_optional::<wire::AppUser>(&assignment_path),
    );
    let access = match assignment? {
        None => Access::Unassigned,
        Some(member) if member.scope.as_deref() == Some("GROUP") => {
            Access::Groups(granting_groups(client, app_id, &user_id).await?)
        }
        Some(_) => Access::Direct,
    };
    let account = LiveAccount {
        user_id: user.id.clone(),
        status: user.status.clone(),
        super_admin_roles: super_admin_roles(roles?),
        access,
    };
    Ok((login.to_owned(), account))
}

async fn read_app(
    client: &OktaClient,
    lookups: &Lookups,
    key: &AppKey,
    logins: &BTreeSet<String>,
    secrets: bool,
) -> Result<LiveApp, Vec<ReadError>> {
    let users = join_all(
        logins
            .iter()
            .map(|login| async move { (login.clone(), lookups.user(client, login).await) }),
    );
    let (app, users) = tokio::join!(find_app(client, key), users);
    let mut errors = Vec::new();
    let mut found = Vec::new();
    for (login, user) in users {
        match user {
            Ok(Some(user)) => found.push((login, user)),
            Ok(None) => errors.push(ReadError::AccountNotFound {
                key: key.clone(),
                login,
            }),
            Err(error) => errors.push(request_error(client)(error)),
        }
    }
    let app = match app {
        Ok(app) => app,
        Err(error) => {
            errors.push(error);
            return Err(errors);
        }
    };
    let (app, kind, client_id_unverified) = app;
    let app_id = encode(&app.id);
    let grants_path = format!("/api/v1/apps/{app_id}/grants");
    let grants = client.get_all::<wire::Grant>(&grants_path);
    // Okta returns a secret only in the answer that creates an app: the list is the only
    // place to compare with (REFERENCE section 12).
    let listed_secrets = async {
        if secrets {
            client
                .get::<Vec<wire::ClientSecret>>(&format!("/api/v1/apps/{app_id}/credentials/secrets"))
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let accounts = join_all(
        found
            .iter()
            .map(|(login, user)| read_account(client, lookups, &app_id, login, user)),
    );
    let (grants, listed_secrets, accounts) = tokio::join!(grants, listed_secrets, accounts);
    let mut live = LiveApp {
        key: key.clone(),
        app_id: app.id.clone(),
        name: app.name.clone(),
        label: app.label.clone(),
        status: app.status.clone(),
        kind,
        client_id_unverified,
        grants: BTreeMap::new(),
        client_secrets: Secrets::NotRead,
        accounts: BTreeMap::new(),
    };
    match grants {
        Ok(grants) => {
            live.grants = granted_scopes(grants);
        }
        Err(error) => errors.push(request_error(client)(error)),
    }
    live.client_secrets = match listed_secrets {
        Ok(Some(listed)) => Secrets::Active(
            listed
                .into_iter()
                .filter(|s| s.status.is_active())
                .filter_map(|s| s.client_secret)
                .collect(),
        ),
        Ok(None) => Secrets::NotRead,
        // A 4xx (the credential may not read secrets): the secret cannot be verified, which
        // is a warning, not a reason to stop.
        Err(error) if error.status().is_some_and(|s| (400..500).contains(&s)) => Secrets::Unreadable(error.to_string()),
        Err(error) => {
            errors.push(request_error(client)(error));
            Secrets::NotRead
        }
    };
    for account in accounts {
        match account {
            Ok((login, account)) => {
                live.accounts.insert(login, account);
            }
            Err(error) => errors.push(request_error(client)(error)),
        }
    }
    if errors.is_empty() { Ok(live) } else { Err(errors) }
}

/// What `oktaform import` finds in an org: the Workflows app (or the app `client_id`), its
/// grants and the accounts assigned to it.
#[derive(Debug)]
pub struct Discovered {
    /// The client id the config names the app by.
    pub client_id: String,
    pub kind: AppKind,
    /// Active admin grants, sorted.
    pub grants: Vec<String>,
    /// Assigned users, sorted by login.
    pub accounts: Vec<DiscoveredAccount>,
}

#[derive(Debug)]
pub struct DiscoveredAccount {
    pub login: String,
    pub super_admin: bool,
    /// The groups through which the user has the app (empty: assigned directly).
    pub groups: Vec<String>,
}

/// Finds the app `client_id`, or the org's only Okta Workflows OAuth app, and reads what
/// a config of it needs.
pub async fn discover(client: &OktaClient, domain: &str, client_id: Option<&str>) -> Result<Discovered, ReadError> {
    let (app, kind) = match client_id {
        Some(client_id) => {
            let key = AppKey {
                domain: domain.to_owned(),
                client_id: client_id.to_owned(),
            };
            let (app, kind, _) = find_app(client, &key).await?;
            (app, kind)
        }
        None => {
            let mut flows: Vec<wire::App> = client
                .get_all("/api/v1/apps?filter=name%20eq%20%22flow%22")
                .await
                .map_err(request_error(client))?;
            flows.retain(|a| a.status.is_active_or_absent());
            if flows.len() != 1 {
                return Err(ReadError::AppNotFound {
                    key: AppKey {
                        domain: domain.to_owned(),
                        client_id: String::new(),
                    },
                    searched: format!(
                        "{} active apps are named `flow`; pass --client-id to choose one",
                        flows.len()
                    ),
                });
            }
            (flows.remove(0), AppKind::Workflows)
        }
    };
    let client_id = app.client_id().map_or_else(|| app.id.clone(), str::to_owned);
    let app_path = format!("/api/v1/apps/{}", encode(&app.id));
    let (grants_path, users_path) = (format!("{app_path}/grants"), format!("{app_path}/users"));
    let (grants, users) = tokio::join!(
        client.get_all::<wire::Grant>(&grants_path),
        client.get_all::<wire::AppUser>(&users_path),
    );
    let mut grants: Vec<String> = grants
        .map_err(request_error(client))?
        .into_iter()
        .filter(wire::Grant::is_active_admin)
        .map(|g| g.scope_id)
        .collect();
    grants.sort();
    grants.dedup();
    let accounts = join_all(
        users
            .map_err(request_error(client))?
            .into_iter()
            .map(|assigned| discover_account(client, &app.id, assigned)),
    )
    .await;
    let mut accounts = accounts
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(request_error(client))?;
    accounts.sort_by(|a, b| a.login.cmp(&b.login));
    Ok(Discovered {
        client_id,
        kind,
        grants,
        accounts,
    })
}

async fn discover_account(
    client: &OktaClient,
    app_id: &str,
    assigned: wire::AppUser,
) -> Result<DiscoveredAccount, OktaError> {
    let user_path = format!("/api/v1/users/{}", encode(&assigned.id));
    let roles_path = format!("{user_path}/roles");
    let (user, roles) = tokio::join!(
        client.get::<wire::User>(&user_path),
        client.get::<Vec<wire::Role>>(&roles_path),
    );
    let groups = if assigned.scope.as_deref() == Some("GROUP") {
        granting_groups(client, app_id, &encode(&assigned.id)).await?
    } else {
        Vec::new()
    };
    Ok(DiscoveredAccount {
        login: user?.profile.login,
        super_admin: roles?.iter().any(wire::Role::is_active_super_admin),
        groups,
    })
}

#[cfg(test)]
mod tests;
