//! Rules of the `safety` block.

use crate::config::RawConfig;
use crate::diagnostics::{Code, Diagnostic};

pub fn check(config: &RawConfig, diagnostics: &mut Vec<Diagnostic>) {
    let Some(safety) = &config.safety else { return };
    if let Some(percent) = &safety.max_revoke_percent
        && !(0..=100).contains(&percent.value)
    {
        diagnostics.push(
            Diagnostic::new(
                Code::SafetyOutOfRange,
                format!("`max_revoke_percent` is {}, outside 0..100", percent.value),
            )
            .at(percent.span, "not a percentage")
            .help("the share of an app's non-default grants that one apply may revoke without `--force=mass_revoke`"),
        );
    }
    if let Some(min) = &safety.min_grants
        && min.value < 0
    {
        diagnostics.push(
            Diagnostic::new(
                Code::SafetyOutOfRange,
                format!("`min_grants` is {}, below 0", min.value),
            )
            .at(min.span, "negative")
            .help("the number of grants an app must have before `max_revoke_percent` applies"),
        );
    }
}
