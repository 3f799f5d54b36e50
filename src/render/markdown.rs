//! The plan as a pull-request comment: summary first, a warning banner for revokes and
//! privileged changes, the changes in a table, details folded; never longer than
//! [`MARKDOWN_LIMIT`] characters.

use super::summary_line;
use crate::plan::{Action, PlanDocument, SafetyRule};
use std::fmt::Write as _;
use std::io::{self, Write};

/// GitHub's comment limit is 65,536 characters; stay clear of it.
pub const MARKDOWN_LIMIT: usize = 65_000;

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(out: &mut dyn Write, plan: &PlanDocument) -> io::Result<()> {
    out.write_all(render(plan).as_bytes())
}

fn render(plan: &PlanDocument) -> String {
    let mut text = format!("### oktaform plan\n\n**{}**", summary_line(plan));
    if plan.target.sim {
        text.push_str(" _(simulated org)_");
    }
    text.push_str("\n\n");
    let revokes = plan.changes.iter().filter(|c| c.action == Action::Delete).count();
    let privileged = plan
        .changes
        .iter()
        .filter(|c| c.safety_rule == Some(SafetyRule::Privileged))
        .count();
    if revokes > 0 || privileged > 0 {
        text.push_str("> [!WARNING]\n> This plan ");
        let mut parts = Vec::new();
        if revokes > 0 {
            parts.push(format!("removes {revokes} grant(s) or assignment(s)"));
        }
        if privileged > 0 {
            parts.push(format!("makes {privileged} service account(s) super admin"));
        }
        text.push_str(&parts.join(" and "));
        text.push_str(". Review before applying; changes under a safety rule need `--force`.\n\n");
    }
    if plan.changes.is_empty() && plan.unmanaged.is_empty() {
        return text;
    }
    let footer_budget = 400;
    let mut table = String::from("| | address | needs | reason |\n|---|---|---|---|\n");
    let mut shown = 0;
    for change in &plan.changes {
        let row = format!(
            "| `{}` | `{}` | {} | {} |\n",
            change.action.symbol(),
            escape(&change.address),
            change
                .safety_rule
                .map(|r| format!("`--force={}`", r.as_str()))
                .unwrap_or_default(),
            escape(&change.reason)
        );
        if text.len() + table.len() + row.len() + footer_budget > MARKDOWN_LIMIT {
            break;
        }
        table.push_str(&row);
        shown += 1;
    }
    text.push_str("<details><summary>Changes</summary>\n\n");
    text.push_str(&table);
    if shown < plan.changes.len() {
        let _ = writeln!(
            text,
            "
_Truncated: {shown} of {} changes shown. Run `oktaform plan` for the full plan._",
            plan.changes.len()
        );
    }
    text.push_str("\n</details>\n");
    if !plan.unmanaged.is_empty() {
        let mut list = format!(
            "\n<details><summary>Unmanaged grants kept ({})</summary>\n\n",
            plan.unmanaged.len()
        );
        for grant in &plan.unmanaged {
            let line = format!("- `{}`\n", escape(&grant.address));
            if text.len() + list.len() + line.len() + 100 > MARKDOWN_LIMIT {
                list.push_str("- _…truncated_\n");
                break;
            }
            list.push_str(&line);
        }
        list.push_str("\n</details>\n");
        text.push_str(&list);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Change, ConfigRef, Kind, ObjectState, Summary, Target};

    fn plan_with(changes: usize) -> PlanDocument {
        let change = |i: usize| Change {
            address: format!("connection.prod.grant[\"okta.scope{i}.manage\"]"),
            action: Action::Delete,
            kind: Kind::Grant,
            connection: "prod".into(),
            scope: Some(format!("okta.scope{i}.manage")),
            reason: "not declared by any scopes block (scope_policy = \"exact\")".into(),
            requires_force: true,
            safety_rule: Some(SafetyRule::MassRevoke),
            before: Some(ObjectState {
                granted: Some(true),
                ..ObjectState::default()
            }),
            after: Some(ObjectState {
                granted: Some(false),
                ..ObjectState::default()
            }),
            domain: "acme.okta.com".into(),
            client_id: "0oa1".into(),
            account: None,
        };
        PlanDocument {
            format_version: "1".into(),
            oktaform_version: "0".into(),
            created_at: String::new(),
            config: ConfigRef {
                path: ".".into(),
                digest: String::new(),
            },
            connections: vec!["prod".into()],
            target: Target {
                sim: false,
                endpoints: std::collections::BTreeMap::default(),
            },
            changes: (0..changes).map(change).collect(),
            unmanaged: vec![],
            summary: Summary {
                delete: changes,
                ..Summary::default()
            },
            live: vec![],
            log_queries: vec![],
            diagnostics: vec![],
            checksum: String::new(),
        }
    }

    #[test]
    fn a_huge_plan_is_truncated_under_the_limit() {
        let text = render(&plan_with(5_000));
        assert!(text.len() <= MARKDOWN_LIMIT, "{}", text.len());
        assert!(text.contains("_Truncated:"));
        assert!(text.starts_with("### oktaform plan\n\n**Plan: 5000 to revoke.**"));
        assert!(text.contains("> [!WARNING]"));
    }

    #[test]
    fn a_small_plan_is_whole() {
        let text = render(&plan_with(3));
        assert!(!text.contains("Truncated"));
        assert_eq!(text.matches("| `-` |").count(), 3);
    }
}
