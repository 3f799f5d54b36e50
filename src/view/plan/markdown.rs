//! The plan as a pull-request comment: summary first, a warning banner for revokes and
//! privileged changes, the changes in a table (folded in a long plan, with its revokes and
//! privileged changes above the fold); never longer than
//! [`MARKDOWN_LIMIT`] characters.

use super::groups::{groups, mass_revoke_text};
use super::summary_line;
use crate::diagnostics::Severity;
use crate::model::SafetyRule;
use crate::plan::{Action, Change, PlanDocument};
use crate::view::escape::markdown_cell as escape;
use std::fmt::Write as _;
use std::io::{self, Write};

/// GitHub's comment limit is 65,536 characters; stay clear of it.
pub const MARKDOWN_LIMIT: usize = 65_000;

pub fn markdown(out: &mut dyn Write, plan: &PlanDocument) -> io::Result<()> {
    out.write_all(render(plan).as_bytes())
}

fn banner(plan: &PlanDocument) -> String {
    let revokes = plan.changes.iter().filter(|c| c.action() == Action::Delete).count();
    let privileged = plan
        .changes
        .iter()
        .filter(|c| c.safety_rule == Some(SafetyRule::Privileged))
        .count();
    if revokes == 0 && privileged == 0 {
        return String::new();
    }
    let mut parts = Vec::new();
    if revokes > 0 {
        parts.push(format!("removes {revokes} grant(s), assignment(s) or role(s)"));
    }
    if privileged > 0 {
        parts.push(format!("makes {privileged} service account(s) super admin"));
    }
    let mut text = format!("> [!WARNING]\n> This plan {}.", parts.join(" and "));
    for mass in &plan.mass_revokes {
        let _ = write!(text, " `{}`: {}.", escape(&mass.address), mass_revoke_text(mass));
    }
    text.push_str(" Review before applying; changes under a safety rule need `--force`.\n\n");
    text
}

/// Plans of at most this many changes are shown unfolded, readable without a click.
const FOLD_OVER: usize = 20;

/// The most rows of [`attention`]; the rest are in the folded details.
const ATTENTION_ROWS: usize = 50;

/// Revokes and privileged changes, unfolded, so that a reviewer cannot miss them.
fn attention(plan: &PlanDocument) -> String {
    let changes: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| c.action() == Action::Delete || c.safety_rule == Some(SafetyRule::Privileged))
        .collect();
    if changes.is_empty() {
        return String::new();
    }
    let mut text = format!("**Revokes and privileged changes ({})**\n\n{TABLE_HEAD}", changes.len());
    for change in changes.iter().take(ATTENTION_ROWS) {
        text.push_str(&row(change));
    }
    if changes.len() > ATTENTION_ROWS {
        let _ = writeln!(
            text,
            "\n… and {} more, in the changes below.",
            changes.len() - ATTENTION_ROWS
        );
    }
    text.push('\n');
    text
}

/// The config's warnings, so that a reviewer sees them beside the changes.
fn warnings(plan: &PlanDocument) -> String {
    if plan.diagnostics.is_empty() {
        return String::new();
    }
    let mut text = format!("**Warnings ({})**\n\n", plan.diagnostics.len());
    for d in &plan.diagnostics {
        let place = match (&d.file, d.line) {
            (Some(file), Some(line)) => format!(" ({file}:{line})"),
            _ => String::new(),
        };
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        };
        let _ = writeln!(text, "- {severity} `{}`{place}: {}", d.code, escape(&d.message));
    }
    text.push('\n');
    text
}

fn row(change: &Change) -> String {
    format!(
        "| `{}` | `{}` | {} | {} |\n",
        change.action().symbol(),
        escape(&change.address()),
        change
            .safety_rule
            .map(|r| format!("`--force={}`", r.as_str()))
            .unwrap_or_default(),
        escape(&change.reason.describe())
    )
}

const TABLE_HEAD: &str = "| | address | needs | reason |\n|---|---|---|---|\n";

fn render(plan: &PlanDocument) -> String {
    let mut text = format!("### oktaform plan\n\n**{}**", summary_line(plan));
    if plan.target.sim {
        text.push_str(" _(simulated org)_");
    }
    text.push_str("\n\n");
    let fold = plan.changes.len() > FOLD_OVER;
    text.push_str(&banner(plan));
    if fold {
        text.push_str(&attention(plan));
    }
    text.push_str(&warnings(plan));
    let queries = log_queries(plan);
    if plan.changes.is_empty() && plan.unmanaged.is_empty() {
        text.push_str(&queries);
        return text;
    }
    let footer_budget = 400;
    let mut details = String::new();
    let mut shown = 0;
    'orgs: for org in groups(plan) {
        let mut sections: Vec<(String, Vec<&Change>)> = org
            .apps
            .iter()
            .map(|app| {
                let connections: Vec<&str> = app.connections.iter().copied().collect();
                (
                    format!(
                        "App `{}` (connections: {})",
                        escape(&app.key.client_id),
                        escape(&connections.join(", "))
                    ),
                    app.changes.clone(),
                )
            })
            .collect();
        if !org.users.is_empty() {
            sections.push(("Users".to_owned(), org.users.clone()));
        }
        let _ = write!(details, "#### Org `{}` ({})\n\n", org.domain, escape(&org.target));
        for (heading, changes) in sections {
            let _ = write!(details, "{heading}\n\n{TABLE_HEAD}");
            for change in changes {
                let row = row(change);
                if text.len() + details.len() + row.len() + footer_budget > MARKDOWN_LIMIT {
                    break 'orgs;
                }
                details.push_str(&row);
                shown += 1;
            }
            details.push('\n');
        }
    }
    text.push_str(if fold {
        "<details><summary>Changes</summary>\n\n"
    } else {
        "**Changes**\n\n"
    });
    text.push_str(&details);
    if shown < plan.changes.len() {
        let _ = writeln!(
            text,
            "\n_Truncated: {shown} of {} changes shown. Run `oktaform plan` for the full plan._",
            plan.changes.len()
        );
    }
    if fold {
        text.push_str("</details>\n");
    }
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
    if text.len() + queries.len() <= MARKDOWN_LIMIT {
        text.push_str(&queries);
    }
    text
}

/// The log queries as the Workflows card takes them, folded.
fn log_queries(plan: &PlanDocument) -> String {
    if plan.log_queries.is_empty() {
        return String::new();
    }
    let mut text = format!(
        "\n<details><summary>Log queries ({}): the Workflows \"Search System Log\" card fields</summary>\n\n",
        plan.log_queries.len()
    );
    for query in &plan.log_queries {
        let _ = write!(
            text,
            "`{}` (connection `{}`)\n\n| field | value |\n|---|---|\n",
            escape(&query.name),
            escape(&query.connection)
        );
        for (label, value) in super::log_queries::rows(query) {
            let _ = writeln!(text, "| {} | `{}` |", escape(&label), escape(&value));
        }
        text.push('\n');
    }
    text.push_str("</details>\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AppKey;
    use crate::plan::{ConfigRef, Reason, Step, Summary, Target};

    fn plan_with(changes: usize) -> PlanDocument {
        let change = |i: usize| {
            let mut change = Change::new(
                Step::Revoke {
                    app: AppKey {
                        domain: "acme.okta.com".into(),
                        client_id: "0oa1".into(),
                    },
                    scope: format!("okta.scope{i}.manage"),
                },
                vec!["prod".into()],
                Reason::Undeclared,
            );
            change.safety_rule = Some(SafetyRule::MassRevoke);
            change
        };
        PlanDocument {
            format_version: "2".into(),
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
            mass_revokes: vec![],
            summary: Summary {
                delete: changes,
                ..Summary::default()
            },
            variables: std::collections::BTreeMap::new(),
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
    fn a_small_plan_is_whole_and_unfolded() {
        assert_eq!(
            render(&plan_with(3)),
            "### oktaform plan\n\n**Plan: 3 to revoke.**\n\n> [!WARNING]\n> This plan removes 3 grant(s), assignment(s) or role(s). Review before applying; changes under a safety rule need `--force`.\n\n**Changes**\n\n#### Org `acme.okta.com` (not read)\n\nApp `0oa1` (connections: prod)\n\n| | address | needs | reason |\n|---|---|---|---|\n| `-` | `app[\"acme.okta.com/0oa1\"].grant[\"okta.scope0.manage\"]` | `--force=mass_revoke` | not declared by any scopes block (scope_policy = \"exact\") |\n| `-` | `app[\"acme.okta.com/0oa1\"].grant[\"okta.scope1.manage\"]` | `--force=mass_revoke` | not declared by any scopes block (scope_policy = \"exact\") |\n| `-` | `app[\"acme.okta.com/0oa1\"].grant[\"okta.scope2.manage\"]` | `--force=mass_revoke` | not declared by any scopes block (scope_policy = \"exact\") |\n\n"
        );
    }

    #[test]
    fn a_long_plan_is_folded_below_its_revokes() {
        let text = render(&plan_with(21));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[7], "**Revokes and privileged changes (21)**");
        assert_eq!(lines[11..32].iter().filter(|l| l.starts_with("| `-` |")).count(), 21);
        assert_eq!(lines[33], "<details><summary>Changes</summary>");
        assert_eq!(lines.last().copied(), Some("</details>"));
    }
}
