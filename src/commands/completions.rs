//! `oktaform completions SHELL`.

use super::{Output, exit};
use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;

// Every command returns `io::Result<exit code>`, so that dispatch is uniform.
#[allow(clippy::unnecessary_wraps)]
pub fn run(args: &CompletionsArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    if let Some(path) = &args.queries {
        return queries(path, output);
    }
    let Some(shell) = args.shell else {
        return Ok(exit::FAILURE);
    };
    clap_complete::generate(shell, &mut Cli::command(), "oktaform", output.out);
    output.out.write_all(query_names(shell).as_bytes())?;
    Ok(exit::OK)
}

/// The names of the log queries of the config at `path` (offline; a config that does not
/// load lists what it can, and says nothing).
fn queries(path: &std::path::Path, output: &mut Output<'_>) -> std::io::Result<u8> {
    let environment = crate::config::Environment::capture().offline();
    let loaded = crate::config::load(path, &crate::config::VarInputs::default(), &environment);
    for query in &loaded.config.log_queries {
        writeln!(output.out, "{}", query.name.value)?;
    }
    Ok(exit::OK)
}

/// What the shell adds to clap's script so that `oktaform query <TAB>` offers the log
/// queries of the config in the current directory (bash and fish; other shells complete
/// the flags only).
fn query_names(shell: clap_complete::Shell) -> &'static str {
    match shell {
        clap_complete::Shell::Bash => {
            "
_oktaform_with_queries() {
    if [[ ${COMP_CWORD} -eq 2 && ${COMP_WORDS[1]} == query ]]; then
        COMPREPLY=( $(compgen -W \"$(oktaform completions --queries . 2>/dev/null)\" -- \"${COMP_WORDS[COMP_CWORD]}\") )
        return 0
    fi
    _oktaform \"$@\"
}
complete -F _oktaform_with_queries -o nosort -o bashdefault -o default oktaform
"
        }
        clap_complete::Shell::Fish => {
            "complete -c oktaform -n '__fish_seen_subcommand_from query' -f -a '(oktaform completions --queries . 2>/dev/null)'\n"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap_complete::Shell;

    /// Every subcommand path and every long flag of the command line, with the subcommand
    /// that owns it.
    fn surface() -> Vec<(String, String)> {
        fn walk(command: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
            for arg in command.get_arguments() {
                if let Some(long) = arg.get_long() {
                    out.push((path.to_owned(), format!("--{long}")));
                }
            }
            for sub in command.get_subcommands() {
                out.push((path.to_owned(), sub.get_name().to_owned()));
                walk(sub, &format!("{path} {}", sub.get_name()), out);
            }
        }
        let mut out = Vec::new();
        walk(&Cli::command(), "oktaform", &mut out);
        out
    }

    /// Whether `script` holds `word` as a whole word (`--out` is not `--out-of-band-only`).
    fn mentions(script: &str, word: &str) -> bool {
        let part_of_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        script.match_indices(word).any(|(at, _)| {
            let before = script[..at].chars().next_back();
            let after = script[at + word.len()..].chars().next();
            !before.is_some_and(part_of_word) && !after.is_some_and(part_of_word)
        })
    }

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions("a --out b", "--out"));
        assert!(!mentions("a --out-of-band-only b", "--out"));
        assert!(!mentions("explanation", "plan"));
        assert!(mentions("'plan:Read", "plan"));
    }

    #[test]
    fn completions_cover_every_subcommand_and_flag() {
        let surface = surface();
        assert!(surface.len() > 50, "the walk found the command line: {}", surface.len());
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "oktaform", &mut script);
            let script = String::from_utf8(script).expect("utf-8");
            let missing: Vec<&(String, String)> = surface
                .iter()
                .filter(|(_, word)| {
                    // fish writes long flags as `-l name`.
                    let fish = word.strip_prefix("--").map(|name| format!("-l {name}"));
                    !mentions(&script, word) && !fish.is_some_and(|f| mentions(&script, &f))
                })
                .collect();
            assert_eq!(missing, Vec::<&(String, String)>::new(), "{shell}");
        }
    }

    #[test]
    fn every_subcommand_help_names_its_exit_codes() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
                let path = format!("{path} {}", sub.get_name());
                let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
                if !about.contains("exit 0") {
                    missing.push(path.clone());
                }
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "oktaform", &mut missing);
        assert_eq!(missing, Vec::<String>::new());
    }
}
