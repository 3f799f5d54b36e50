//! Did-you-mean suggestions by edit distance.

/// The candidate closest to `input`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = input.chars().count();
    let limit = (length / 3).max(1);
    let lowered = input.to_lowercase();
    candidates
        .into_iter()
        .filter(|candidate| *candidate != input)
        // The distance is at least the difference in length: most candidates need no more.
        .filter(|candidate| within_length(length, candidate, limit))
        .map(|candidate| {
            let distance = if candidate.to_lowercase() == lowered {
                0
            } else {
                strsim::damerau_levenshtein(input, candidate)
            };
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// The candidate within `max` edits of `input`: a likely typo rather than another name.
pub fn close_match<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    let length = input.chars().count();
    candidates
        .into_iter()
        .filter(|candidate| *candidate != input)
        .filter(|candidate| within_length(length, candidate, max))
        .map(|candidate| (strsim::damerau_levenshtein(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= max)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Whether `candidate`'s length in characters is within `limit` of `length`, counted no
/// further than needed.
fn within_length(length: usize, candidate: &str, limit: usize) -> bool {
    let longest = length + limit;
    let counted = candidate.chars().take(longest + 1).count();
    counted <= longest && counted + limit >= length
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let names = ["okta.users.manage", "okta.users.read", "okta.groups.manage"];
        assert_eq!(did_you_mean("okta.user.manage", names), Some("okta.users.manage"));
        assert_eq!(did_you_mean("okta.users.raed", names), Some("okta.users.read"));
        assert_eq!(did_you_mean("something.else", names), None);
        assert_eq!(did_you_mean("domian", ["domain", "client_id"]), Some("domain"));
        assert_eq!(did_you_mean("DOMAIN", ["domain"]), Some("domain"));
    }
}
