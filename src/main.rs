use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(oktaform::commands::run(std::env::args_os()))
}
