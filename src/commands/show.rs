//! `oktaform show PLANFILE`: render a saved plan without contacting any org, so that the
//! pull-request comment and the applied artifact are the same file.

use super::{Output, exit};
use crate::cli::{PlanFormat, ShowArgs};
use crate::config::Environment;
use crate::diagnostics::Code;
use crate::ops::Failure;
use crate::plan::PlanDocument;

pub fn run(args: &ShowArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let document = match PlanDocument::read(&args.plan) {
        Ok(document) => document,
        Err(error) => {
            let failure = Failure::refusal(
                Code::ApplyNotAPlan,
                error.to_string(),
                "make a new plan file with `oktaform plan -o FILE`",
            );
            return output.failure(failure, args.format == PlanFormat::Json);
        }
    };
    super::plan::show(output, &Environment::capture(), &document, args.format)?;
    Ok(exit::OK)
}
