//! What the config decides about changes: the scope policy of an app, and the safety rules
//! and thresholds that make `apply` ask for `--force`.

#[cfg(test)]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `scope_policy`: what happens to live grants that no `scopes` block declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopePolicy {
    /// Revoke them.
    Exact,
    /// Keep them, listed as unmanaged.
    Additive,
}

/// A rule that a change needs `--force` (or `--force=<rule>`) for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SafetyRule {
    /// Granting `SUPER_ADMIN`.
    Privileged,
    /// Revoking more than `max_revoke_percent` of an app's non-default grants, or every one.
    MassRevoke,
    /// A change made because a connection is retired.
    Retire,
}

impl SafetyRule {
    pub const ALL: [SafetyRule; 3] = [SafetyRule::Privileged, SafetyRule::MassRevoke, SafetyRule::Retire];

    pub fn as_str(self) -> &'static str {
        match self {
            SafetyRule::Privileged => "privileged",
            SafetyRule::MassRevoke => "mass_revoke",
            SafetyRule::Retire => "retire",
        }
    }

    /// What the rule guards against, for people.
    pub fn describe(self) -> &'static str {
        match self {
            SafetyRule::Privileged => "grants SUPER_ADMIN",
            SafetyRule::MassRevoke => "revokes more than the safety threshold of an app's grants",
            SafetyRule::Retire => "retires a connection",
        }
    }
}

/// Thresholds of the `mass_revoke` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Safety {
    pub max_revoke_percent: u8,
    pub min_grants: u32,
}

impl Default for Safety {
    fn default() -> Self {
        Self {
            max_revoke_percent: 30,
            min_grants: 10,
        }
    }
}

impl Safety {
    /// Whether revoking `revoking` of an app's `current` non-default grants is a mass
    /// revoke: more than the percentage when the app has at least `min_grants`, or every
    /// one of them however few.
    pub fn is_mass_revoke(self, revoking: usize, current: usize) -> bool {
        if revoking == 0 {
            return false;
        }
        let every = revoking >= current;
        let over =
            current >= self.min_grants as usize && revoking * 100 > usize::from(self.max_revoke_percent) * current;
        every || over
    }
}

#[cfg(test)]
mod tests {
    use super::Safety;

    #[test]
    fn mass_revoke_thresholds() {
        let safety = Safety::default();
        assert!(!safety.is_mass_revoke(0, 0));
        assert!(!safety.is_mass_revoke(0, 5));
        assert!(safety.is_mass_revoke(1, 1), "every grant, however few");
        assert!(safety.is_mass_revoke(3, 3));
        assert!(!safety.is_mass_revoke(2, 3), "few grants: below min_grants");
        assert!(!safety.is_mass_revoke(3, 10), "30 % is not more than 30 %");
        assert!(safety.is_mass_revoke(4, 10));
    }
}
