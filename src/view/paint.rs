//! Colour for people on a terminal: lines of a view painted by what they say (`+` green,
//! `-` red, manual steps yellow), never the text itself changed. Off with `--color never`,
//! `NO_COLOR`, or when stdout is not a terminal.

use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

/// Which lines get which colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    /// A plan: `+` creates, `-` deletes, `!` manual steps.
    Plan,
    /// A drift report: what changed out of band or failed, and what waits.
    Drift,
    /// A unified diff: headers, hunks, added and removed lines.
    Diff,
}

impl Palette {
    fn style(self, line: &str) -> Option<Style> {
        let green = AnsiColor::Green.on_default();
        let red = AnsiColor::Red.on_default();
        let yellow = AnsiColor::Yellow.on_default();
        match self {
            Palette::Plan => match line.trim_start().get(..2)? {
                "+ " => Some(green),
                "- " => Some(red),
                "! " => Some(yellow),
                _ => None,
            },
            Palette::Drift => {
                let kind = line.strip_prefix("  ")?.split(' ').next()?;
                match kind {
                    "out_of_band" | "expect_failed" => Some(red),
                    "pending" | "reauthorize_pending" | "unknown" => Some(yellow),
                    _ => None,
                }
            }
            Palette::Diff => {
                if line.starts_with("+++") || line.starts_with("---") {
                    Some(Style::new().bold())
                } else if line.starts_with("@@") {
                    Some(AnsiColor::Cyan.on_default())
                } else if line.starts_with('+') {
                    Some(green)
                } else if line.starts_with('-') {
                    Some(red)
                } else {
                    None
                }
            }
        }
    }
}

/// A writer that paints each whole line it is given with `palette`; with `None`, it passes
/// the text through untouched.
pub struct Painted<'a> {
    out: &'a mut dyn Write,
    palette: Option<Palette>,
    line: Vec<u8>,
}

impl<'a> Painted<'a> {
    pub fn new(out: &'a mut dyn Write, palette: Palette, color: bool) -> Self {
        Self {
            out,
            palette: color.then_some(palette),
            line: Vec::new(),
        }
    }

    fn paint_line(&mut self) -> io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let (body, newline) = text.strip_suffix('\n').map_or((text.as_ref(), ""), |b| (b, "\n"));
        match self.palette.and_then(|p| p.style(body)) {
            Some(style) => write!(self.out, "{}{body}{}{newline}", style.render(), style.render_reset())?,
            None => self.out.write_all(&self.line)?,
        }
        self.line.clear();
        Ok(())
    }
}

impl Write for Painted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.palette.is_none() {
            return self.out.write(buf);
        }
        for &byte in buf {
            self.line.push(byte);
            if byte == b'\n' {
                self.paint_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.paint_line()?;
        }
        self.out.flush()
    }
}

impl Drop for Painted<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::{Painted, Palette};
    use std::io::Write;

    fn painted(palette: Palette, color: bool, text: &str) -> String {
        let mut out = Vec::new();
        {
            let mut painter = Painted::new(&mut out, palette, color);
            painter.write_all(text.as_bytes()).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plans_are_painted_by_symbol_and_left_alone_without_colour() {
        let plan = "Org acme\n    + grant\n    - revoke\n    ! connection.prod.reauthorize (manual)\n        reason\nPlan: 1 to grant.";
        assert_eq!(
            painted(Palette::Plan, true, plan),
            "Org acme\n\u{1b}[32m    + grant\u{1b}[0m\n\u{1b}[31m    - revoke\u{1b}[0m\n\u{1b}[33m    ! connection.prod.reauthorize (manual)\u{1b}[0m\n        reason\nPlan: 1 to grant."
        );
        assert_eq!(painted(Palette::Plan, false, plan), plan);
    }

    #[test]
    fn diffs_and_drift_reports_are_painted_by_line() {
        assert_eq!(
            painted(Palette::Diff, true, "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n"),
            "\u{1b}[1m--- a\u{1b}[0m\n\u{1b}[1m+++ b\u{1b}[0m\n\u{1b}[36m@@ -1 +1 @@\u{1b}[0m\n\u{1b}[31m-old\u{1b}[0m\n\u{1b}[32m+new\u{1b}[0m\n same\n"
        );
        assert_eq!(
            painted(
                Palette::Drift,
                true,
                "  out_of_band         x\n      detail\n  pending             y\n"
            ),
            "\u{1b}[31m  out_of_band         x\u{1b}[0m\n      detail\n\u{1b}[33m  pending             y\u{1b}[0m\n"
        );
    }
}
