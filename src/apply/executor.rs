//! Runs the steps of a plan: per app in order (assignment, role, grants, revokes, then the
//! manual steps), apps concurrently, at most `parallelism` steps (and so requests) in
//! flight. Every step is idempotent and confirmed by reading back, never by error text;
//! after an unknown outcome it reads back before trying again. A failure for good stops new
//! steps; running ones finish.

use super::report::StepResult;
use super::staleness::current_state;
use crate::model::{AppKey, Live};
use crate::okta::{OktaClient, OktaError, path_segment as encode, wire};
use crate::plan::{Action, Change, Kind};
use futures_util::future::join_all;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Semaphore;

/// Told of every finished step (for progress output).
pub type Progress = Arc<dyn Fn(&Change, &StepResult) + Send + Sync>;

/// Tries of a change whose outcome stays unknown.
const ATTEMPTS: usize = 4;

pub struct Executor<'a> {
    pub clients: &'a BTreeMap<String, OktaClient>,
    pub live: &'a Live,
    pub parallelism: usize,
    pub progress: Progress,
}

impl Executor<'_> {
    /// Runs `changes` (in plan order) and returns each one's result, in the same order.
    pub async fn run(&self, changes: &[Change]) -> Vec<StepResult> {
        let permits = Arc::new(Semaphore::new(self.parallelism.max(1)));
        let stopped = AtomicBool::new(false);
        let mut by_app: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for (i, change) in changes.iter().enumerate() {
            by_app
                .entry((change.domain.clone(), change.client_id.clone()))
                .or_default()
                .push(i);
        }
        let runs = by_app.into_values().map(|indices| {
            let permits = permits.clone();
            let stopped = &stopped;
            async move {
                let mut results = Vec::new();
                for i in indices {
                    let change = &changes[i];
                    let result = if change.action == Action::Manual {
                        StepResult::Manual
                    } else if stopped.load(Ordering::SeqCst) {
                        StepResult::Skipped
                    } else {
                        let _permit = permits.acquire().await;
                        let result = self.step(change).await;
                        if matches!(result, StepResult::Failed(_)) {
                            stopped.store(true, Ordering::SeqCst);
                        }
                        result
                    };
                    (self.progress)(change, &result);
                    results.push((i, result));
                }
                results
            }
        });
        let mut results: Vec<(usize, StepResult)> = join_all(runs).await.into_iter().flatten().collect();
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    }

    async fn step(&self, change: &Change) -> StepResult {
        if current_state(change, self.live) == change.after {
            return StepResult::Applied { already: true };
        }
        let Some(client) = self.clients.get(&change.domain) else {
            return StepResult::Failed(format!("no client for `{}`", change.domain));
        };
        let key = AppKey {
            domain: change.domain.clone(),
            client_id: change.client_id.clone(),
        };
        let Some(app) = self.live.apps.get(&key) else {
            return StepResult::Failed("the app was not read".to_owned());
        };
        let app_id = encode(&app.app_id);
        let user_id = change
            .account
            .as_ref()
            .and_then(|login| app.accounts.get(login))
            .map(|a| encode(&a.user_id));
        let outcome = match (change.kind, change.action, user_id) {
            (Kind::Grant, Action::Create, _) => {
                let scope = change.scope.clone().unwrap_or_default();
                let body = json!({"issuer": format!("https://{}", change.domain), "scopeId": scope});
                self.create(client, &format!("/api/v1/apps/{app_id}/grants"), &body, || {
                    granted(client, &app_id, &scope)
                })
                .await
            }
            (Kind::Grant, Action::Delete, _) => {
                let ids = change
                    .scope
                    .as_ref()
                    .and_then(|s| app.grants.get(s))
                    .cloned()
                    .unwrap_or_default();
                self.delete_all(
                    client,
                    ids.iter()
                        .map(|id| format!("/api/v1/apps/{app_id}/grants/{}", encode(id))),
                )
                .await
            }
            (Kind::Assignment, Action::Create, Some(user_id)) => {
                let body =
                    json!({"id": decode(&user_id), "scope": "USER", "credentials": {"userName": change.account}});
                self.create(client, &format!("/api/v1/apps/{app_id}/users"), &body, || {
                    assigned(client, &app_id, &user_id)
                })
                .await
            }
            (Kind::Assignment, Action::Delete, Some(user_id)) => {
                self.delete_all(client, [format!("/api/v1/apps/{app_id}/users/{user_id}")].into_iter())
                    .await
            }
            (Kind::Role, Action::Create, Some(user_id)) => {
                let body = json!({"type": "SUPER_ADMIN"});
                self.create(client, &format!("/api/v1/users/{user_id}/roles"), &body, || {
                    super_admin(client, &user_id)
                })
                .await
            }
            _ => Err(format!(
                "cannot apply {} (the service account was not read)",
                change.address
            )),
        };
        match outcome {
            Ok(()) => StepResult::Applied { already: false },
            Err(error) => StepResult::Failed(error),
        }
    }

    /// POSTs until `confirm` says the object exists. A definite refusal fails at once; an
    /// unknown outcome is read back, then tried again.
    async fn create<F, Fut>(
        &self,
        client: &OktaClient,
        path: &str,
        body: &serde_json::Value,
        confirm: F,
    ) -> Result<(), String>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<bool, OktaError>>,
    {
        let mut last = String::new();
        for _ in 0..ATTEMPTS {
            let posted = client.post(path, body).await;
            if posted.is_ok() {
                return Ok(());
            }
            match confirm().await {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(error) => last = error.to_string(),
            }
            if let Err(error) = posted {
                if !error.outcome_unknown() {
                    return Err(error.to_string());
                }
                last = error.to_string();
            }
        }
        Err(last)
    }

    /// DELETEs each path; gone already (404) counts as done.
    async fn delete_all(&self, client: &OktaClient, paths: impl Iterator<Item = String>) -> Result<(), String> {
        for path in paths {
            match client.delete(&path).await {
                Ok(_) => {}
                Err(error) if error.is_not_found() => {}
                Err(error) => return Err(error.to_string()),
            }
        }
        Ok(())
    }
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
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
