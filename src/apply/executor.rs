//! Runs derived changes: per app in order (assignment, grants, revokes, then the manual
//! steps), apps concurrently, at most `parallelism` steps (and so requests) in flight. A
//! role belongs to a user, not an app, so each role step runs in a lane of its own. Every
//! step is idempotent and confirmed by reading back, never by error text; after an unknown
//! outcome it reads back before trying again. A failure for good stops new steps; running
//! ones finish. Nothing is printed here: each finished step is told to the observer.

use super::report::StepStatus;
use super::state::current_state;
use crate::model::{AppKey, Live, LiveApp};
use crate::okta::{OktaClient, OktaError, path_segment as encode, wire};
use crate::plan::{Change, Step};
use futures_util::future::join_all;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Semaphore;

/// Why a step failed.
#[derive(Clone, Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Api(#[from] Box<OktaError>),
    #[error("no client for the org `{0}`")]
    NoClient(String),
    #[error("{0} was not read from the org")]
    NotRead(String),
}

/// Told of every finished step, in the order steps finish.
pub type Observer<'a> = &'a dyn Fn(&Change, &StepStatus);

/// Tries of a change whose outcome stays unknown.
const ATTEMPTS: usize = 4;

/// Where steps run one after another.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Lane {
    App(AppKey),
    User(String, String),
}

fn lane(step: &Step) -> Lane {
    match step {
        Step::MakeSuperAdmin { domain, login } | Step::RemoveSuperAdmin { domain, login } => {
            Lane::User(domain.clone(), login.clone())
        }
        other => Lane::App(other.app().cloned().unwrap_or_else(|| AppKey {
            domain: other.domain().to_owned(),
            client_id: String::new(),
        })),
    }
}

pub struct Executor<'a> {
    pub clients: &'a BTreeMap<String, OktaClient>,
    /// The org as read just before: ids to act on, and objects already in place.
    pub live: &'a Live,
    pub parallelism: usize,
    pub observer: Observer<'a>,
    /// Set by an interrupt: no step starts after it; steps in flight finish.
    pub interrupted: &'a AtomicBool,
}

impl Executor<'_> {
    /// Runs `changes` (in apply order) and returns each one's status, in the same order.
    pub async fn run(&self, changes: &[Change]) -> Vec<StepStatus> {
        let permits = Semaphore::new(self.parallelism.max(1));
        let stopped = AtomicBool::new(false);
        let mut lanes: BTreeMap<Lane, Vec<usize>> = BTreeMap::new();
        for (i, change) in changes.iter().enumerate() {
            lanes.entry(lane(&change.step)).or_default().push(i);
        }
        let runs = lanes.into_values().map(|indices| {
            let (permits, stopped) = (&permits, &stopped);
            async move {
                let mut statuses: Vec<(usize, StepStatus)> = Vec::new();
                for i in indices {
                    let change = &changes[i];
                    let status = if let Step::Reauthorize { .. } = change.step {
                        // Listed only when this run left the app's grants as planned.
                        let grants_in_place = statuses.iter().any(|(j, status)| {
                            matches!(changes[*j].step, Step::Grant { .. } | Step::Revoke { .. }) && status.in_place()
                        });
                        if grants_in_place {
                            StepStatus::Manual
                        } else {
                            StepStatus::Skipped
                        }
                    } else if stopped.load(Ordering::SeqCst) || self.interrupted.load(Ordering::SeqCst) {
                        StepStatus::Skipped
                    } else {
                        let _permit = permits.acquire().await;
                        if self.interrupted.load(Ordering::SeqCst) {
                            (self.observer)(change, &StepStatus::Skipped);
                            statuses.push((i, StepStatus::Skipped));
                            continue;
                        }
                        let status = self.step(&change.step).await;
                        if matches!(status, StepStatus::Failed(_)) {
                            stopped.store(true, Ordering::SeqCst);
                        }
                        status
                    };
                    (self.observer)(change, &status);
                    statuses.push((i, status));
                }
                statuses
            }
        });
        let mut statuses: Vec<(usize, StepStatus)> = join_all(runs).await.into_iter().flatten().collect();
        statuses.sort_by_key(|(i, _)| *i);
        statuses.into_iter().map(|(_, status)| status).collect()
    }

    async fn step(&self, step: &Step) -> StepStatus {
        if step.states().map(|(_, after)| after) == current_state(step, self.live) {
            return StepStatus::AlreadyInPlace;
        }
        match self.make(step).await {
            Ok(()) => StepStatus::Applied,
            Err(error) => StepStatus::Failed(error),
        }
    }

    fn app(&self, key: &AppKey) -> Result<&LiveApp, StepError> {
        self.live
            .apps
            .get(key)
            .ok_or_else(|| StepError::NotRead(format!("the app `{}`", key.client_id)))
    }

    fn user_id(&self, domain: &str, login: &str) -> Result<String, StepError> {
        self.live
            .account(domain, login)
            .map(|a| encode(&a.user_id))
            .ok_or_else(|| StepError::NotRead(format!("the user `{login}`")))
    }

    async fn make(&self, step: &Step) -> Result<(), StepError> {
        let domain = step.domain();
        let client = self
            .clients
            .get(domain)
            .ok_or_else(|| StepError::NoClient(domain.to_owned()))?;
        match step {
            Step::Grant { app, scope } => {
                let app_id = encode(&self.app(app)?.app_id);
                let issuer = format!("https://{domain}");
                let body = wire::NewGrant {
                    issuer: &issuer,
                    scope_id: scope,
                };
                self.create(client, &format!("/api/v1/apps/{app_id}/grants"), &body, || {
                    granted(client, &app_id, scope)
                })
                .await
            }
            Step::Revoke { app, scope } => {
                let live = self.app(app)?;
                let app_id = encode(&live.app_id);
                let ids = live.grants.get(scope).cloned().unwrap_or_default();
                let paths = ids
                    .iter()
                    .map(|id| format!("/api/v1/apps/{app_id}/grants/{}", encode(id)));
                delete_all(client, paths).await
            }
            Step::Assign { app, login } => {
                let app_id = encode(&self.app(app)?.app_id);
                let user_id = self.user_id(domain, login)?;
                let id = self.live.account(domain, login).map_or("", |a| a.user_id.as_str());
                let body = wire::NewAppUser {
                    id,
                    scope: "USER",
                    credentials: wire::AppUserCredentials { user_name: login },
                };
                self.create(client, &format!("/api/v1/apps/{app_id}/users"), &body, || {
                    assigned(client, &app_id, &user_id)
                })
                .await
            }
            Step::Unassign { app, login } => {
                let app_id = encode(&self.app(app)?.app_id);
                let user_id = self.user_id(domain, login)?;
                delete_all(
                    client,
                    std::iter::once(format!("/api/v1/apps/{app_id}/users/{user_id}")),
                )
                .await
            }
            Step::MakeSuperAdmin { login, .. } => {
                let user_id = self.user_id(domain, login)?;
                let body = wire::NewRole {
                    role_type: "SUPER_ADMIN",
                };
                self.create(client, &format!("/api/v1/users/{user_id}/roles"), &body, || {
                    super_admin(client, &user_id)
                })
                .await
            }
            Step::RemoveSuperAdmin { domain: org, login } => {
                let user_id = self.user_id(domain, login)?;
                let roles = self
                    .live
                    .account(org, login)
                    .map(|a| a.super_admin_roles.clone())
                    .unwrap_or_default();
                let paths = roles
                    .iter()
                    .filter(|r| r.direct)
                    .map(|r| format!("/api/v1/users/{user_id}/roles/{}", encode(&r.id)));
                delete_all(client, paths).await
            }
            Step::Reauthorize { .. } => Ok(()),
        }
    }

    /// POSTs until `confirm` says the object exists. A definite refusal fails at once; an
    /// unknown outcome is read back, then tried again.
    async fn create<F, Fut>(
        &self,
        client: &OktaClient,
        path: &str,
        body: &impl serde::Serialize,
        confirm: F,
    ) -> Result<(), StepError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<bool, OktaError>>,
    {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let Err(error) = client.post(path, body).await else {
                return Ok(());
            };
            // A read that fails leaves the outcome unknown, like the POST's.
            if let Ok(true) = confirm().await {
                return Ok(());
            }
            if !error.outcome_unknown() {
                return Err(Box::new(error).into());
            }
            last = Some(error);
        }
        Err(last.map_or_else(|| StepError::NotRead(path.to_owned()), |e| StepError::Api(Box::new(e))))
    }
}

/// DELETEs each path; gone already (404) counts as done.
async fn delete_all(client: &OktaClient, paths: impl Iterator<Item = String>) -> Result<(), StepError> {
    for path in paths {
        match client.delete(&path).await {
            Ok(_) => {}
            Err(error) if error.is_not_found() => {}
            Err(error) => return Err(Box::new(error).into()),
        }
    }
    Ok(())
}

async fn granted(client: &OktaClient, app_id: &str, scope: &str) -> Result<bool, OktaError> {
    let grants: Vec<wire::Grant> = client.get_all(&format!("/api/v1/apps/{app_id}/grants")).await?;
    Ok(grants.iter().any(|g| g.scope_id == scope && g.is_active_admin()))
}

async fn assigned(client: &OktaClient, app_id: &str, user_id: &str) -> Result<bool, OktaError> {
    Ok(client
        .get_optional::<wire::AppUser>(&format!("/api/v1/apps/{app_id}/users/{user_id}"))
        .await?
        .is_some())
}

async fn super_admin(client: &OktaClient, user_id: &str) -> Result<bool, OktaError> {
    let roles: Vec<wire::Role> = client.get(&format!("/api/v1/users/{user_id}/roles")).await?;
    Ok(roles.iter().any(wire::Role::is_active_super_admin))
}

#[cfg(test)]
mod tests;
