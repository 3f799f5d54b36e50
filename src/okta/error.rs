//! Why a request to Okta failed, after retries.

/// A failed request. Messages never hold a credential.
#[derive(Clone, Debug, thiserror::Error)]
pub enum OktaError {
    /// Okta answered with an error status.
    #[error("{method} {path} answered {status}{}: {summary}{}", with_space(.code), request_clause(.request_id.as_deref()))]
    Api {
        method: String,
        path: String,
        status: u16,
        /// Okta's error code; empty when the answer had none.
        code: String,
        summary: String,
        /// `X-Okta-Request-Id`; `None` when the answer had none.
        request_id: Option<String>,
    },
    /// The request timed out, every time it was tried.
    #[error("{method} {path} timed out after {attempts} attempt(s)")]
    Timeout {
        method: String,
        path: String,
        attempts: u32,
    },
    /// The connection failed, every time it was tried.
    #[error("{method} {path} failed after {attempts} attempt(s): {message}")]
    Transport {
        method: String,
        path: String,
        attempts: u32,
        message: String,
    },
    /// The host name does not resolve; not retried, since retrying does not mend it.
    #[error("{method} {path}: the host name `{host}` does not resolve")]
    Unresolved { method: String, path: String, host: String },
    /// A pagination link pointed at another origin than the one called.
    #[error("refused to follow a pagination link to another origin: {url}")]
    ForeignLink { url: String },
    /// The org authorization server issued no token to the service app.
    #[error("the token endpoint refused the service app `{client_id}`: {status} {error}: {description}")]
    Token {
        status: u16,
        error: super::oauth::OAuthError,
        description: String,
        client_id: String,
    },
    /// The service app's token lacks a scope the request needs (403 `insufficient_scope`).
    #[error("{method} {path} needs the scope `{scope}`, which the service app's token does not hold")]
    MissingScope {
        method: String,
        path: String,
        scope: String,
    },
    /// The answer's body was larger than oktaform reads.
    #[error("{method} {path}: the answer is larger than the limit of {limit_mib} MiB; nothing more was read")]
    TooLarge {
        method: String,
        path: String,
        limit_mib: u64,
    },
    /// A list's `next` links came back to a page already read, or never ended.
    #[error("{method} {path}: {problem}; paging stopped")]
    Paging {
        method: String,
        path: String,
        problem: String,
    },
    /// The answer was not the JSON expected.
    #[error("{method} {path}: unexpected answer: {message}")]
    Decode {
        method: String,
        path: String,
        message: String,
    },
}

impl OktaError {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } | Self::Token { status, .. } => Some(*status),
            Self::MissingScope { .. } => Some(403),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the outcome of a change is unknown (the request may have been processed).
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Api { status, .. } => *status >= 500,
            Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Unresolved { .. }
            | Self::ForeignLink { .. }
            | Self::TooLarge { .. }
            | Self::Paging { .. }
            | Self::Decode { .. }
            | Self::Token { .. }
            | Self::MissingScope { .. } => false,
        }
    }

    /// Whether the request was tried more than once, or failed in a way that retrying
    /// mends (so saying "retried" is true).
    pub fn retried(&self) -> bool {
        match self {
            Self::Api { status, .. } => *status == 429 || *status >= 500,
            Self::Timeout { attempts, .. } | Self::Transport { attempts, .. } => *attempts > 1,
            Self::Unresolved { .. }
            | Self::ForeignLink { .. }
            | Self::TooLarge { .. }
            | Self::Paging { .. }
            | Self::Decode { .. }
            | Self::Token { .. }
            | Self::MissingScope { .. } => false,
        }
    }
}

/// ` E0000011`, or nothing for an answer without an error code.
fn with_space(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(" {code}")
    }
}

/// ` (request <id>)` for people to quote to Okta support, or nothing without an id.
fn request_clause(request_id: Option<&str>) -> String {
    request_id
        .filter(|id| !id.is_empty())
        .map(|id| format!(" (request {id})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::OktaError;

    #[test]
    fn an_answer_without_a_request_id_or_code_leaves_those_clauses_out() {
        let error = |code: &str, request_id: Option<&str>| {
            OktaError::Api {
                method: "GET".into(),
                path: "/api/v1/users/me".into(),
                status: 401,
                code: code.into(),
                summary: "Invalid token provided".into(),
                request_id: request_id.map(str::to_owned),
            }
            .to_string()
        };
        assert_eq!(
            error("E0000011", Some("reqAbc")),
            "GET /api/v1/users/me answered 401 E0000011: Invalid token provided (request reqAbc)"
        );
        assert_eq!(
            error("", None),
            "GET /api/v1/users/me answered 401: Invalid token provided"
        );
    }
}
