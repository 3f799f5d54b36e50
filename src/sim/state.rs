//! The state of every simulated org, its JSON views in the Okta API's shapes, and its
//! persistence (loaded from a state file or a seed; saved atomically after each mutation).

use super::ids::okta_id;
use super::seed::{Seed, SeedApp, SeedOrg, SyntheticLogEvents};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::Path;

/// When objects that came from a seed were created.
const SEED_TIME: &str = "2026-01-01T00:00:00.000Z";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SimState {
    pub orgs: Vec<Org>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Org {
    pub domain: String,
    pub tokens: Vec<Token>,
    pub users: Vec<User>,
    #[serde(default)]
    pub groups: Vec<Group>,
    pub apps: Vec<App>,
    pub log_events: Vec<Value>,
    pub synthetic_log_events: Option<SyntheticLogEvents>,
    pub early_access_scopes: Vec<String>,
    /// Counter behind generated ids.
    pub next_id: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Token {
    pub token: String,
    pub user_id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub login: String,
    pub status: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<RoleAssignment>,
    pub created: String,
}

/// A group of users; its admin roles are held by every member.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub users: Vec<String>,
    pub roles: Vec<RoleAssignment>,
    pub created: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub id: String,
    #[serde(rename = "type")]
    pub role_type: String,
    pub created: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct App {
    pub id: String,
    pub name: String,
    pub label: String,
    pub status: String,
    pub client_id: String,
    #[serde(default)]
    pub client_secrets: Vec<ClientSecret>,
    #[serde(default)]
    pub redirect_uris: Option<Vec<String>>,
    #[serde(default = "visible")]
    pub oauth_client_visible: bool,
    pub application_type: String,
    pub jwks: Option<Value>,
    pub dpop_bound_access_tokens: bool,
    /// Admin roles of a service app, which acts as itself with an OAuth token.
    #[serde(default)]
    pub roles: Vec<String>,
    pub assignments: Vec<Assignment>,
    /// Ids of the groups assigned to the app.
    #[serde(default)]
    pub group_assignments: Vec<String>,
    pub grants: Vec<Grant>,
    pub created: String,
}

fn visible() -> bool {
    true
}

/// A client secret of an app.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClientSecret {
    pub id: String,
    pub secret: String,
    pub status: String,
    pub created: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Assignment {
    pub user_id: String,
    pub created: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub scope_id: String,
    pub issuer: String,
    pub created: String,
    pub created_by: Option<String>,
}

impl Org {
    /// The starting state of one org of a seed.
    fn from_seed(seed_org: &SeedOrg) -> Result<Org, String> {
        let mut logins = std::collections::BTreeSet::new();
        if let Some(user) = seed_org.users.iter().find(|u| !logins.insert(u.login.to_lowercase())) {
            return Err(format!(
                "the org `{}` of the seed lists the login `{}` twice (logins are case-insensitive)",
                seed_org.domain, user.login
            ));
        }
        let mut org = Org {
            domain: seed_org.domain.to_ascii_lowercase(),
            tokens: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            apps: Vec::new(),
            log_events: seed_org.log_events.clone(),
            synthetic_log_events: seed_org.synthetic_log_events.clone(),
            early_access_scopes: seed_org.early_access_scopes.clone(),
            next_id: 0,
        };
        for user in &seed_org.users {
            let roles = org.seeded_roles(&user.roles);
            let (first, last) = user
                .login
                .split_once('@')
                .map_or((user.login.as_str(), ""), |(name, _)| (name, "Account"));
            org.users.push(User {
                id: user.id.clone(),
                login: user.login.clone(),
                status: user.status.clone(),
                first_name: user.first_name.clone().unwrap_or_else(|| first.to_owned()),
                last_name: user.last_name.clone().unwrap_or_else(|| last.to_owned()),
                roles,
                created: SEED_TIME.to_owned(),
            });
        }
        for group in &seed_org.groups {
            for user in &group.users {
                if !org.users.iter().any(|u| &u.id == user) {
                    return Err(format!("group `{}` has an unknown user `{user}`", group.id));
                }
            }
            let roles = org.seeded_roles(&group.roles);
            org.groups.push(Group {
                id: group.id.clone(),
                name: group.name.clone(),
                users: group.users.clone(),
                roles,
                created: SEED_TIME.to_owned(),
            });
        }
        for token in &seed_org.tokens {
            let user = org
                .user(&token.user)
                .ok_or_else(|| format!("token of `{}` names an unknown user `{}`", seed_org.domain, token.user))?;
            let user_id = user.id.clone();
            org.tokens.push(Token {
                token: token.token.clone(),
                user_id,
            });
        }
        // Who created the seeded grants is not known: the org's first token's user.
        let seed_admin = org.tokens.first().map(|t| t.user_id.clone());
        for app in &seed_org.apps {
            let app = org.seeded_app(app, seed_admin.as_deref())?;
            org.apps.push(app);
        }
        Ok(org)
    }

    /// An app of the seed, its grants created by `seed_admin`.
    fn seeded_app(&mut self, app: &SeedApp, seed_admin: Option<&str>) -> Result<App, String> {
        let issuer = format!("https://{}", self.domain);
        let grants = app
            .grants
            .iter()
            .map(|scope| Grant {
                id: self.new_id("oag"),
                scope_id: scope.clone(),
                issuer: issuer.clone(),
                created: SEED_TIME.to_owned(),
                created_by: seed_admin.map(str::to_owned),
            })
            .collect();
        for user in &app.assigned_users {
            if self.user(user).is_none() {
                return Err(format!("app `{}` is assigned an unknown user `{user}`", app.id));
            }
        }
        for group in &app.assigned_groups {
            if !self.groups.iter().any(|g| &g.id == group) {
                return Err(format!("app `{}` is assigned an unknown group `{group}`", app.id));
            }
        }
        let secrets: Vec<(String, String)> = app
            .client_secret
            .iter()
            .map(|s| (s.clone(), "ACTIVE".to_owned()))
            .chain(app.client_secrets.iter().map(|s| (s.secret.clone(), s.status.clone())))
            .collect();
        let client_secrets = secrets
            .into_iter()
            .map(|(secret, status)| ClientSecret {
                id: self.new_id("ocs"),
                secret,
                status,
                created: SEED_TIME.to_owned(),
            })
            .collect();
        Ok(App {
            id: app.id.clone(),
            name: app.name.clone(),
            label: app.label.clone(),
            status: app.status.clone(),
            client_id: app.client_id.clone().unwrap_or_else(|| app.id.clone()),
            client_secrets,
            redirect_uris: app.redirect_uris.clone(),
            oauth_client_visible: app.oauth_client_visible,
            application_type: app.application_type.clone().unwrap_or_else(|| "web".to_owned()),
            jwks: app.jwks.clone(),
            dpop_bound_access_tokens: app.dpop_bound_access_tokens,
            // A new API Services app has no admin role: "No role is automatically assigned,
            // so you must assign a role before you use the service app" (Okta's guide to
            // service apps). A seed gives the roles.
            roles: app.roles.clone().unwrap_or_default(),
            assignments: app
                .assigned_users
                .iter()
                .map(|user| Assignment {
                    user_id: user.clone(),
                    created: SEED_TIME.to_owned(),
                })
                .collect(),
            group_assignments: app.assigned_groups.clone(),
            grants,
            created: SEED_TIME.to_owned(),
        })
    }
}

impl SimState {
    /// The starting state a seed describes.
    pub fn from_seed(seed: &Seed) -> Result<Self, String> {
        let mut orgs = Vec::new();
        let mut domains = std::collections::BTreeSet::new();
        for seed_org in &seed.orgs {
            if !domains.insert(seed_org.domain.to_ascii_lowercase()) {
                return Err(format!("the seed lists the org `{}` twice", seed_org.domain));
            }
            orgs.push(Org::from_seed(seed_org)?);
        }
        Ok(Self { orgs })
    }

    /// The state in `state_file` when it exists, else the one `seed` describes.
    pub fn load(state_file: Option<&Path>, seed: Option<&Seed>) -> Result<Self, String> {
        if let Some(path) = state_file {
            Self::clean_stale_temp_files(path);
        }
        if let Some(path) = state_file
            && path.exists()
        {
            let text = crate::input::read_text(path, crate::input::SIM_LIMIT)
                .map_err(|e| format!("cannot read the state `{}`: {e}", path.display()))?;
            return serde_json::from_str(&text).map_err(|e| format!("`{}` is not a sim state: {e}", path.display()));
        }
        match seed {
            Some(seed) => Self::from_seed(seed),
            None => Err("the sim needs a seed (--seed) or an existing state file (--state)".to_owned()),
        }
    }

    /// Writes the state to `path` atomically: a temp file beside it, then a rename.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&text)?;
            // On disk before the rename, so a crash leaves the old state or the new one.
            file.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename itself on disk; some platforms cannot open a directory: best effort.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    /// Removes the temp files that [`SimState::save`] left beside `path` when its process
    /// was killed mid-save (`<stem>.tmp<pid>` of a process that no longer runs).
    pub fn clean_stale_temp_files(path: &Path) {
        let (Some(dir), Some(stem)) = (path.parent(), path.file_stem().and_then(|s| s.to_str())) else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let prefix = format!("{stem}.tmp");
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .and_then(|n| n.strip_prefix(&prefix))
                .and_then(|pid| pid.parse::<u32>().ok())
            else {
                continue;
            };
            let running = pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists();
            if !running && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

impl Org {
    /// Role assignments of the seed's role types, made when the seed was.
    fn seeded_roles(&mut self, types: &[String]) -> Vec<RoleAssignment> {
        types
            .iter()
            .map(|role| RoleAssignment {
                id: self.new_id("ra"),
                role_type: role.clone(),
                created: SEED_TIME.to_owned(),
            })
            .collect()
    }

    pub fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        okta_id(prefix, &self.domain, self.next_id)
    }

    /// A user by id, login, or login short name (the part before `@`, when unambiguous).
    pub fn user(&self, key: &str) -> Option<&User> {
        if let Some(user) = self
            .users
            .iter()
            .find(|u| u.id == key || u.login.eq_ignore_ascii_case(key))
        {
            return Some(user);
        }
        let mut short = self
            .users
            .iter()
            .filter(|u| u.login.split('@').next().is_some_and(|s| s.eq_ignore_ascii_case(key)));
        match (short.next(), short.next()) {
            (Some(user), None) => Some(user),
            _ => None,
        }
    }

    pub fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    pub fn app(&self, id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.id == id)
    }

    pub fn app_mut(&mut self, id: &str) -> Option<&mut App> {
        self.apps.iter_mut().find(|a| a.id == id)
    }

    /// The user with id `id`, or Okta's 404 for it.
    pub fn user_by_id_or_404(&self, id: &str) -> Result<&User, super::http::ApiError> {
        self.users
            .iter()
            .find(|u| u.id == id)
            .ok_or_else(|| super::http::ApiError::not_found(id, "User"))
    }

    pub fn user_mut_or_404(&mut self, id: &str) -> Result<&mut User, super::http::ApiError> {
        self.user_mut(id)
            .ok_or_else(|| super::http::ApiError::not_found(id, "User"))
    }

    /// The app `id`, or Okta's 404 for it.
    pub fn app_or_404(&self, id: &str) -> Result<&App, super::http::ApiError> {
        self.app(id)
            .ok_or_else(|| super::http::ApiError::not_found(id, "AppInstance"))
    }

    pub fn app_mut_or_404(&mut self, id: &str) -> Result<&mut App, super::http::ApiError> {
        self.app_mut(id)
            .ok_or_else(|| super::http::ApiError::not_found(id, "AppInstance"))
    }

    pub fn issuer(&self) -> String {
        format!("https://{}", self.domain)
    }

    /// The org's id, as `orn`s carry it.
    pub fn org_id(&self) -> String {
        okta_id("00o", &self.domain, 0)
    }

    /// The groups `user_id` belongs to.
    pub fn groups_of<'a>(&'a self, user_id: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups.iter().filter(move |g| g.users.iter().any(|u| u == user_id))
    }

    /// How `user_id` has the app: `USER` (directly, which wins) or `GROUP`, with when.
    pub fn app_scope(&self, app: &App, user_id: &str) -> Option<(&'static str, String)> {
        if let Some(direct) = app.assignments.iter().find(|a| a.user_id == user_id) {
            return Some(("USER", direct.created.clone()));
        }
        self.groups_of(user_id)
            .find(|g| app.group_assignments.contains(&g.id))
            .map(|g| ("GROUP", g.created.clone()))
    }
}

/// Label of a standard admin role, as Okta returns it.
fn role_label(role_type: &str) -> &'static str {
    match role_type {
        "SUPER_ADMIN" => "Super Organization administrator",
        "ORG_ADMIN" => "Organization administrator",
        "APP_ADMIN" => "Application administrator",
        "USER_ADMIN" => "User Administrator",
        "HELP_DESK_ADMIN" => "Help Desk administrator",
        "READ_ONLY_ADMIN" => "Read only administrator",
        "GROUP_MEMBERSHIP_ADMIN" => "Group membership administrator",
        "API_ACCESS_MANAGEMENT_ADMIN" => "API Access Management administrator",
        "REPORT_ADMIN" => "Report administrator",
        "WORKFLOWS_ADMIN" => "Workflows administrator",
        _ => "Administrator",
    }
}

/// JSON views in the shapes of the Management API; `base` is the URL the caller used.
impl User {
    pub fn to_json(&self, base: &str) -> Value {
        json!({
            "id": self.id,
            "status": self.status,
            "created": self.created,
            "activated": self.created,
            "statusChanged": self.created,
            "lastLogin": null,
            "lastUpdated": self.created,
            "passwordChanged": self.created,
            "type": {"id": "oty1default0000000000"},
            "profile": {
                "firstName": self.first_name,
                "lastName": self.last_name,
                "mobilePhone": null,
                "secondEmail": null,
                "login": self.login,
                "email": self.login,
            },
            "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
            "_links": {"self": {"href": format!("{base}/api/v1/users/{}", self.id)}},
        })
    }
}

impl RoleAssignment {
    /// The role as a user holds it directly.
    pub fn to_json(&self, base: &str, user_id: &str) -> Value {
        self.json("USER", &format!("{base}/api/v1/users/{user_id}"))
    }

    /// The role as a user holds it through `group` (listed with `assignmentType` `GROUP`).
    pub fn group_json(&self, base: &str, group: &Group) -> Value {
        self.json("GROUP", &format!("{base}/api/v1/groups/{}", group.id))
    }

    fn json(&self, assignment_type: &str, assignee: &str) -> Value {
        // Labels as a real org returned them (REFERENCE section 5: `USER_ADMIN` was "User
        // Administrator" in the recorded answer).
        json!({
            "id": self.id,
            "label": role_label(&self.role_type),
            "type": self.role_type,
            "status": "ACTIVE",
            "created": self.created,
            "lastUpdated": self.created,
            "assignmentType": assignment_type,
            "_links": {"assignee": {"href": assignee}},
        })
    }
}

impl Group {
    /// The group as `GET /api/v1/users/{id}/groups` lists it.
    pub fn to_json(&self, base: &str) -> Value {
        json!({
            "id": self.id,
            "created": self.created,
            "lastUpdated": self.created,
            "lastMembershipUpdated": self.created,
            "objectClass": ["okta:user_group"],
            "type": "OKTA_GROUP",
            "profile": {"name": self.name, "description": null},
            "_links": {
                "users": {"href": format!("{base}/api/v1/groups/{}/users", self.id)},
                "apps": {"href": format!("{base}/api/v1/groups/{}/apps", self.id)},
            },
        })
    }

    /// The group's assignment to `app`, as `GET /api/v1/apps/{id}/groups` lists it.
    pub fn assignment_json(&self, base: &str, app: &App) -> Value {
        json!({
            "id": self.id,
            "lastUpdated": self.created,
            "priority": 0,
            "profile": {},
            "_links": {
                "app": {"href": format!("{base}/api/v1/apps/{}", app.id)},
                "group": {"href": format!("{base}/api/v1/groups/{}", self.id)},
            },
        })
    }
}

impl App {
    /// The redirect URIs: as seeded, else the Workflows callback of the org's cell for the
    /// `flow` app, else none.
    fn redirect_uris(&self, domain: &str) -> Vec<String> {
        match &self.redirect_uris {
            Some(uris) => uris.clone(),
            None if self.name == "flow" => vec![workflows_service(domain) + "/oauth/okta/cb"],
            None => Vec::new(),
        }
    }

    /// The app as `GET /api/v1/apps/{id}` shows it. A client secret is never shown: real
    /// Okta returns one only in the answer that creates an app.
    pub fn to_json(&self, base: &str, org: &Org) -> Value {
        let mut settings_client = json!({
            "application_type": self.application_type,
            "grant_types": if self.application_type == "service" { json!(["client_credentials"]) } else { json!(["authorization_code", "refresh_token"]) },
            "response_types": if self.application_type == "service" { json!(["token"]) } else { json!(["code"]) },
            "redirect_uris": self.redirect_uris(&org.domain),
            "consent_method": "TRUSTED",
            "issuer_mode": "ORG_URL",
            "dpop_bound_access_tokens": self.dpop_bound_access_tokens,
        });
        if let Some(jwks) = &self.jwks {
            settings_client["jwks"] = jwks.clone();
        }
        // The Workflows OAuth app's settings, as an export of a real org shows them
        // (REFERENCE section 2: `redirectURI` and `serviceDomain` in `settings.app`).
        let settings_app = if self.name == "flow" {
            let service = workflows_service(&org.domain);
            json!({"redirectURI": format!("{service}/oauth/okta/cb"), "serviceDomain": service})
        } else {
            json!({})
        };
        let mut credentials = json!({
            "userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"},
        });
        if self.oauth_client_visible {
            credentials["oauthClient"] = json!({
                "client_id": self.client_id,
                "autoKeyRotation": true,
                "token_endpoint_auth_method": if self.client_secrets.is_empty() { "private_key_jwt" } else { "client_secret_basic" },
                "pkce_required": false,
            });
        }
        let app = format!("{base}/api/v1/apps/{}", self.id);
        let mut value = json!({
            "id": self.id,
            "orn": format!("orn:okta:idp:{}:apps:{}:{}", org.org_id(), self.name, self.id),
            "name": self.name,
            "label": self.label,
            "status": self.status,
            "lastUpdated": self.created,
            "created": self.created,
            "accessibility": {"selfService": false},
            "visibility": {"autoLaunch": false, "autoSubmitToolbar": false, "hide": {"iOS": true, "web": true}, "appLinks": {}},
            "features": [],
            "signOnMode": "OPENID_CONNECT",
            "credentials": credentials,
            "settings": {
                "app": settings_app,
                "notifications": {"vpn": {"network": {"connection": "DISABLED"}, "message": null, "helpUrl": null}},
                "manualProvisioning": false,
                "implicitAssignment": false,
                "notes": {"admin": null, "enduser": null},
                "oauthClient": settings_client,
            },
            "_links": {
                "self": {"href": app},
                "appLinks": [],
                "users": {"href": format!("{app}/users")},
                "groups": {"href": format!("{app}/groups")},
                "deactivate": {"href": format!("{app}/lifecycle/deactivate")},
            },
        });
        prune_nulls(&mut value);
        value
    }

    /// The app's client secrets, with their values, as the secrets list shows them.
    pub fn secrets_json(&self, base: &str) -> Value {
        Value::Array(
            self.client_secrets
                .iter()
                .map(|secret| {
                    let lifecycle = if secret.status == "ACTIVE" { "deactivate" } else { "activate" };
                    json!({
                        "id": secret.id,
                        "status": secret.status,
                        "client_secret": secret.secret,
                        "secret_hash": format!("{:x}", sha2::Sha256::digest(secret.secret.as_bytes())).chars().take(22).collect::<String>(),
                        "created": secret.created,
                        "lastUpdated": secret.created,
                        "_links": {
                            lifecycle: {"href": format!("{base}/api/v1/apps/{}/credentials/secrets/{}/lifecycle/{lifecycle}", self.id, secret.id), "hints": {"allow": ["POST"]}},
                        },
                    })
                })
                .collect(),
        )
    }
}

/// The Workflows service of the org's cell: preview orgs use the preview cell.
fn workflows_service(domain: &str) -> String {
    if domain.ends_with(".oktapreview.com") {
        "https://oauth.workflows.oktapreview.com".to_owned()
    } else {
        "https://oauth.workflows.okta.com".to_owned()
    }
}

use sha2::Digest as _;

impl Grant {
    pub fn to_json(&self, base: &str, app: &App, expand_scope: bool) -> Value {
        let mut grant = json!({
            "id": self.id,
            "status": "ACTIVE",
            "created": self.created,
            "lastUpdated": self.created,
            "issuer": self.issuer,
            "scopeId": self.scope_id,
            "source": "ADMIN",
            "clientId": app.client_id,
            "_links": {
                "app": {"href": format!("{base}/api/v1/apps/{}", app.id), "title": app.label},
                "self": {"href": format!("{base}/api/v1/apps/{}/grants/{}", app.id, self.id), "hints": {"allow": ["GET", "DELETE"]}},
                "client": {"href": format!("{base}/oauth2/v1/clients/{}", app.client_id), "title": app.label},
            },
        });
        if let Some(user) = &self.created_by {
            grant["createdBy"] = json!({"id": user, "type": "User"});
        }
        if expand_scope {
            grant["_embedded"] = json!({"scope": {"id": self.scope_id}});
        }
        grant
    }
}

/// A user's assignment to an app, as the app users endpoints show it.
pub fn app_user_json(base: &str, app: &App, user: &User, scope: &str, created: &str) -> Value {
    Assignment {
        user_id: user.id.clone(),
        created: created.to_owned(),
    }
    .to_json(base, app, user, scope)
}

impl Assignment {
    pub fn to_json(&self, base: &str, app: &App, user: &User, scope: &str) -> Value {
        json!({
            "id": user.id,
            "created": self.created,
            "lastUpdated": self.created,
            "scope": scope,
            "status": "ACTIVE",
            "statusChanged": self.created,
            "passwordChanged": null,
            "syncState": "DISABLED",
            "credentials": {"userName": user.login},
            "profile": {},
            "_links": {
                "app": {"href": format!("{base}/api/v1/apps/{}", app.id)},
                "user": {"href": format!("{base}/api/v1/users/{}", user.id)},
            },
        })
    }
}

/// Drops null members: the spec declares most app settings non-nullable, and Okta omits
/// what is unset.
pub(super) fn prune_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(prune_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(prune_nulls),
        _ => {}
    }
}
