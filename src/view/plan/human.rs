//! The human view of a plan: warnings are shown by the command; here, per org and app the
//! changes with their symbols and reasons, unmanaged grants, a summary line, and what needs
//! `--force`.

use super::groups::{groups, mass_revoke_text};
use crate::model::SafetyRule;
use crate::plan::{Action, Change, Kind, PlanDocument};
use crate::text::one_line;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// `Plan: 2 to grant, 1 to revoke, 1 manual step.`, or `No changes.`
pub fn summary_line(plan: &PlanDocument) -> String {
    if plan.changes.is_empty() {
        return "No changes.".to_owned();
    }
    let count = |kind: Kind, action: Action| {
        plan.changes
            .iter()
            .filter(|c| c.kind() == kind && c.action() == action)
            .count()
    };
    let mut parts = Vec::new();
    let mut push = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    push(count(Kind::Grant, Action::Create), "to grant", "to grant");
    push(count(Kind::Grant, Action::Delete), "to revoke", "to revoke");
    push(count(Kind::Assignment, Action::Create), "to assign", "to assign");
    push(count(Kind::Assignment, Action::Delete), "to unassign", "to unassign");
    push(
        count(Kind::Role, Action::Create),
        "to make super admin",
        "to make super admin",
    );
    push(
        count(Kind::Role, Action::Delete),
        "to remove from super admin",
        "to remove from super admin",
    );
    push(plan.summary.manual, "manual step", "manual steps");
    format!("Plan: {}.", parts.join(", "))
}

fn change_lines(out: &mut dyn Write, change: &Change, indent: &str) -> io::Result<()> {
    let force = change
        .safety_rule
        .map(|r| format!("  [needs --force={}]", r.as_str()))
        .unwrap_or_default();
    let manual = if change.kind() == Kind::Reauthorize {
        " (manual)"
    } else {
        ""
    };
    writeln!(
        out,
        "{indent}{} {}{manual}{force}",
        change.action().symbol(),
        one_line(&change.address())
    )?;
    writeln!(out, "{indent}    {}", one_line(&change.reason.describe()))
}

pub fn human(out: &mut dyn Write, plan: &PlanDocument) -> io::Result<()> {
    if plan.target.sim {
        writeln!(out, "Target: the simulated org (nothing real is read or changed).\n")?;
    }
    if !plan.changes.is_empty() {
        writeln!(out, "oktaform will make these changes:\n")?;
        for org in groups(plan) {
            writeln!(out, "Org {} ({})", one_line(org.domain), one_line(&org.target))?;
            for app in &org.apps {
                let connections: Vec<&str> = app.connections.iter().copied().collect();
                writeln!(
                    out,
                    "  App {} (connections: {})",
                    one_line(&app.key.client_id),
                    one_line(&connections.join(", "))
                )?;
                if let Some(mass) = app.mass_revoke {
                    writeln!(out, "    {}: needs --force=mass_revoke", mass_revoke_text(mass))?;
                }
                for change in &app.changes {
                    change_lines(out, change, "    ")?;
                }
            }
            if !org.users.is_empty() {
                writeln!(out, "  Users")?;
                for change in &org.users {
                    change_lines(out, change, "    ")?;
                }
            }
            writeln!(out)?;
        }
    }
    if !plan.unmanaged.is_empty() {
        writeln!(out, "Unmanaged grants, kept (scope_policy = \"additive\"):\n")?;
        for grant in &plan.unmanaged {
            writeln!(out, "  ~ {}", one_line(&grant.address))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(plan))?;
    let mut rules: BTreeMap<SafetyRule, usize> = BTreeMap::new();
    for rule in plan.changes.iter().filter_map(|c| c.safety_rule) {
        *rules.entry(rule).or_default() += 1;
    }
    if !rules.is_empty() {
        writeln!(out, "\nSome changes need --force at apply:")?;
        for (rule, count) in rules {
            writeln!(
                out,
                "  {} change(s) under rule `{}` ({}): acknowledge with --force={} (or --force for every rule)",
                count,
                rule.as_str(),
                rule.describe(),
                rule.as_str()
            )?;
        }
    }
    if plan.changes.iter().any(|c| c.kind() == Kind::Reauthorize) {
        writeln!(
            out,
            "\nAfter apply, reauthorize each connection marked (manual) in the Workflows Console."
        )?;
    }
    if !plan.log_queries.is_empty() {
        writeln!(
            out,
            "\nLog queries, as the Workflows \"Search System Log\" card takes them:"
        )?;
        for query in &plan.log_queries {
            writeln!(
                out,
                "  {} (connection {})",
                one_line(&query.name),
                one_line(&query.connection)
            )?;
            let rows = super::log_queries::rows(query);
            let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0) + 1;
            for (label, value) in rows {
                writeln!(out, "    {:<width$} {}", format!("{label}:"), one_line(&value))?;
            }
        }
    }
    Ok(())
}
