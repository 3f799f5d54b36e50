//! Reading local files that oktaform is handed (configs, var files, plan files, seeds,
//! `file()` arguments): regular files only, and never more than a limit.
//!
//! `/dev/zero` or `/dev/urandom` would be read until memory runs out, and opening a FIFO
//! blocks until someone writes to it; both are refused before the file is opened.

use std::fmt;
use std::io::Read;
use std::path::Path;

const MIB: u64 = 1024 * 1024;

/// The largest config file (`*.hcl`), var file or `file()` argument.
pub const CONFIG_LIMIT: u64 = 16 * MIB;
/// The largest plan file.
pub const PLAN_LIMIT: u64 = 64 * MIB;
/// The largest seed or state file of the simulated org.
pub const SIM_LIMIT: u64 = 256 * MIB;

/// Why a file could not be read.
#[derive(Debug)]
pub enum InputError {
    /// Not a regular file: a directory, a device, a FIFO, a socket.
    NotRegular(&'static str),
    /// Larger than `limit` bytes.
    TooLarge {
        limit: u64,
    },
    /// Not UTF-8 text.
    NotText,
    Io(std::io::Error),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            InputError::TooLarge { limit } if limit % MIB == 0 => {
                write!(f, "it is larger than the limit of {} MiB", limit / MIB)
            }
            InputError::TooLarge { limit } => write!(f, "it is larger than the limit of {limit} bytes"),
            InputError::NotText => write!(f, "it is not UTF-8 text"),
            InputError::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for InputError {}

/// The text of the regular file at `path`, refused when it is larger than `limit` bytes.
/// A UTF-8 byte order mark at the start is dropped.
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_bytes(path, limit)?;
    let mut text = String::from_utf8(bytes).map_err(|_| InputError::NotText)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// The bytes of the regular file at `path`, refused when it is larger than `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let metadata = std::fs::metadata(path).map_err(InputError::Io)?;
    let kind = kind(metadata.file_type());
    if let Some(kind) = kind {
        return Err(InputError::NotRegular(kind));
    }
    if metadata.len() > limit {
        return Err(InputError::TooLarge { limit });
    }
    let file = std::fs::File::open(path).map_err(InputError::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The size may change between the check and the read: read one byte past the limit.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(InputError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { limit });
    }
    Ok(bytes)
}

/// What a file that is not regular is, in words; `None` for a regular file.
fn kind(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_directories_are_refused_before_reading() {
        let error = read_text(Path::new("/dev/zero"), CONFIG_LIMIT).unwrap_err();
        assert_eq!(error.to_string(), "it is a device, not a regular file");
        let error = read_text(Path::new("/"), CONFIG_LIMIT).unwrap_err();
        assert_eq!(error.to_string(), "it is a directory, not a regular file");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_a_bom_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "\u{feff}abc").unwrap();
        assert_eq!(read_text(&path, 16).unwrap(), "abc");
        let error = read_text(&path, 4).unwrap_err();
        assert_eq!(error.to_string(), "it is larger than the limit of 4 bytes");
    }
}
