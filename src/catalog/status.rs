//! The lifecycle status Okta gives apps, users, grants, roles and client secrets.

use std::fmt;

/// A lifecycle status as Okta sends it. Okta's objects have more statuses than oktaform
/// acts on (`STAGED`, `SUSPENDED`, ...): those are kept as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// The answer had none.
    #[default]
    Absent,
    Active,
    Inactive,
    Other(String),
}

impl Status {
    pub fn from_wire(text: &str) -> Self {
        match text {
            "" => Status::Absent,
            "ACTIVE" => Status::Active,
            "INACTIVE" => Status::Inactive,
            other => Status::Other(crate::text::one_line(other).into_owned()),
        }
    }

    pub fn is_active(&self) -> bool {
        *self == Status::Active
    }

    /// Active, or not said: an answer without a status is taken at its word.
    pub fn is_active_or_absent(&self) -> bool {
        matches!(self, Status::Active | Status::Absent)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Absent => "without a status",
            Status::Active => "ACTIVE",
            Status::Inactive => "INACTIVE",
            Status::Other(other) => other,
        })
    }
}

impl<'de> serde::Deserialize<'de> for Status {
    /// Any string, or `null` (absent).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        Ok(text.map_or(Status::Absent, |t| Status::from_wire(&t)))
    }
}

impl serde::Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Status::Absent => serializer.serialize_none(),
            other => serializer.collect_str(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn statuses_read_as_okta_sends_them() {
        let read = |json: &str| serde_json::from_str::<Status>(json).unwrap();
        assert_eq!(read(r#""ACTIVE""#), Status::Active);
        assert_eq!(read(r#""INACTIVE""#), Status::Inactive);
        assert_eq!(read("null"), Status::Absent);
        assert_eq!(read(r#""SUSPENDED""#), Status::Other("SUSPENDED".to_owned()));
        assert_eq!(read(r#""x\ny""#).to_string(), "x\\u{a}y");
        assert!(Status::Absent.is_active_or_absent() && !Status::Absent.is_active());
    }
}
