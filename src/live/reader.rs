//! The live reader. Per org a preflight (the caller is a super admin); per app the app (by
//! client id, else `filter=name eq "flow"` matched on the client id), its ACTIVE admin
//! grants, its secrets when a configured secret is to be checked, and per selected service
//! account the user, its roles and its assignment. Requests that do not depend on each other
//! run together: the critical path is two requests deep.

use crate::model::{AppKey, Live, LiveAccount, LiveApp};
use crate::okta::{OktaClient, OktaError, path_segment as encode, wire};
use crate::secret::Secret;
use futures_util::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

/// The label Okta gives the Workflows OAuth app, and its internal name.
pub const WORKFLOWS_LABEL: &str = "Okta Workflows OAuth";
pub const WORKFLOWS_NAME: &str = "flow";

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
        let apps = join_all(selection.apps.iter().filter_map(|(key, app)| {
            self.clients
                .get(&key.domain)
                .map(|client| read_app(client, key, &app.accounts, app.secrets))
        }));
        let (preflights, apps) = tokio::join!(preflights, apps);
        let mut live = Live::default();
        let mut errors: Vec<ReadError> = preflights.into_iter().filter_map(Result::err).collect();
        for result in apps {
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

/// The caller must be a super admin: only super admins may grant scopes.
async fn preflight(client: &OktaClient) -> Result<(), ReadError> {
    let me: wire::User = client.get("/api/v1/users/me").await.map_err(request_error(client))?;
    let roles: Vec<wire::Role> = client
        .get(&format!("/api/v1/users/{}/roles", encode(&me.id)))
        .await
        .map_err(request_error(client))?;
    if roles.iter().any(wire::Role::is_active_super_admin) {
        Ok(())
    } else {
        Err(ReadError::NotSuperAdmin {
            domain: client.domain().to_owned(),
            login: me.profile.login,
        })
    }
}

async fn find_app(client: &OktaClient, key: &AppKey) -> Result<wire::App, ReadError> {
    let by_id: Option<wire::App> = client
        .get_optional(&format!("/api/v1/apps/{}", encode(&key.client_id)))
        .await
        .map_err(request_error(client))?;
    let app = match by_id {
        Some(app) => app,
        None => {
            let flows: Vec<wire::App> = client
                .get_all("/api/v1/apps?filter=name%20eq%20%22flow%22")
                .await
                .map_err(request_error(client))?;
            flows
                .into_iter()
                .find(|app| app.client_id() == key.client_id)
                .ok_or_else(|| ReadError::AppNotFound { key: key.clone() })?
        }
    };
    if app.name != WORKFLOWS_NAME && app.label != WORKFLOWS_LABEL {
        return Err(ReadError::NotWorkflowsApp {
            key: key.clone(),
            name: app.name,
            label: app.label,
        });
    }
    Ok(app)
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

async fn read_app(
    client: &OktaClient,
    key: &AppKey,
    logins: &BTreeSet<String>,
    secrets: bool,
) -> Result<LiveApp, Vec<ReadError>> {
    let users = join_all(
        logins
            .iter()
            .map(|login| async move { (login.clone(), find_user(client, login).await) }),
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
    let app_id = encode(&app.id);
    let grants_path = format!("/api/v1/apps/{app_id}/grants");
    let grants = client.get_all::<wire::Grant>(&grants_path);
    let needs_secrets = secrets && app.client_secret().is_none();
    let listed_secrets = async {
        if needs_secrets {
            client
                .get::<Vec<wire::ClientSecret>>(&format!("/api/v1/apps/{app_id}/credentials/secrets"))
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let accounts = join_all(found.iter().map(|(login, user)| {
        let app_id = &app_id;
        async move {
            let user_id = encode(&user.id);
            let (roles_path, assignment_path) = (
                format!("/api/v1/users/{user_id}/roles"),
                format!("/api/v1/apps/{app_id}/users/{user_id}"),
            );
            let (roles, assignment) = tokio::join!(
                client.get::<Vec<wire::Role>>(&roles_path),
                client.get_optional::<wire::AppUser>(&assignment_path),
            );
            let account = LiveAccount {
                user_id: user.id.clone(),
                status: user.status.clone(),
                super_admin_roles: roles?
                    .into_iter()
                    .filter(wire::Role::is_active_super_admin)
                    .map(|r| r.id)
                    .collect(),
                assigned: assignment?.is_some(),
            };
            Ok::<_, OktaError>((login.clone(), account))
        }
    }));
    let (grants, listed_secrets, accounts) = tokio::join!(grants, listed_secrets, accounts);
    let mut live = LiveApp {
        key: key.clone(),
        app_id: app.id.clone(),
        name: app.name.clone(),
        label: app.label.clone(),
        status: app.status.clone(),
        grants: BTreeMap::new(),
        client_secrets: None,
        accounts: BTreeMap::new(),
    };
    match grants {
        Ok(grants) => {
            for grant in grants.into_iter().filter(wire::Grant::is_active_admin) {
                live.grants.entry(grant.scope_id).or_default().push(grant.id);
            }
        }
        Err(error) => errors.push(request_error(client)(error)),
    }
    if secrets {
        live.client_secrets = match listed_secrets {
            Ok(Some(listed)) => Some(
                listed
                    .into_iter()
                    .filter(|s| s.status == "ACTIVE")
                    .filter_map(|s| s.client_secret)
                    .collect(),
            ),
            Ok(None) => Some(app.client_secret().cloned().into_iter().collect::<Vec<Secret>>()),
            Err(error) => {
                errors.push(request_error(client)(error));
                None
            }
        };
    }
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
