//! One escaper per format. Text from configs and from orgs (System Log fields, app labels)
//! is untrusted: escaping keeps it from ending a table cell or a workflow command.

/// GitHub Actions workflow commands (`::error file=...::message`).
pub mod github {
    /// A command's message: percent, carriage return and line feed encoded.
    pub fn data(text: &str) -> String {
        text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
    }

    /// A command's property value (`title=`, `file=`): also `:` and `,`.
    pub fn property(text: &str) -> String {
        data(text).replace(':', "%3A").replace(',', "%2C")
    }
}

/// A markdown table cell: on one line, without control characters, pipes escaped.
pub fn markdown_cell(text: &str) -> String {
    crate::text::one_line(&text.replace('|', "\\|").replace(['\n', '\r'], " ")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_commands_cannot_be_ended_or_split() {
        assert_eq!(github::data("50% done\r\n::error::x"), "50%25 done%0D%0A::error::x");
        assert_eq!(github::property("a:b,c\n"), "a%3Ab%2Cc%0A");
    }

    #[test]
    fn markdown_cells_stay_one_cell_on_one_line() {
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b c");
        assert_eq!(markdown_cell("bell\u{7}"), "bell\\u{7}");
    }
}
