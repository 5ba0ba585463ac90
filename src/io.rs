//! Files and standard output: every file logwarden writes goes through [`write_file`], every
//! document it prints through [`write_stdout`] (a closed pipe is not an error), and every file it
//! reads through [`read_capped`] (a size limit, so a wrong or hostile path fails fast). A leaf:
//! its failures are its own [`FileError`], which the command line's error wraps.

use std::io::{Read, Write};
use std::path::Path;

/// A file (or standard output) that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is larger than {max_mib} MiB\n  hint: check that this is the right file")]
    TooLarge { path: String, max_mib: u64 },
}

type Error = FileError;

pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        action: "write",
        path: path.display().to_string(),
        source,
    })
}

/// Check, before any work, that `path` can be written: its directory exists and accepts a new
/// file (a probe file is created and removed; an existing file must be writable). Nothing is
/// left behind.
pub fn check_writable(path: &Path) -> Result<(), Error> {
    let err = |source| Error::Io {
        action: "write",
        path: path.display().to_string(),
        source,
    };
    if path.is_dir() {
        return Err(err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    if path.exists() {
        return std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map(|_| ())
            .map_err(err);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let probe = dir.join(format!(".logwarden-write-check-{}", std::process::id()));
    std::fs::File::create(&probe).map_err(err)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Check that `dir` exists (or can be created) and accepts new files.
pub fn check_writable_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        action: "create",
        path: dir.display().to_string(),
        source,
    })?;
    check_writable(&dir.join(".logwarden-write-check"))
}

/// Read a text file of at most `max` bytes.
pub fn read_capped(path: &Path, max: u64) -> Result<String, Error> {
    let io_err = |source| Error::Io {
        action: "read",
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    let mut text = String::new();
    file.take(max + 1)
        .read_to_string(&mut text)
        .map_err(io_err)?;
    if text.len() as u64 > max {
        return Err(Error::TooLarge {
            path: path.display().to_string(),
            max_mib: max / (1024 * 1024),
        });
    }
    Ok(text)
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(stdout: &mut dyn Write, text: &str) -> Result<(), Error> {
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            action: "write",
            path: "stdout".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// The width of the terminal stdout is, when it is one (tables are sized to it).
pub fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0)
}

/// The progress bar's look before the work is counted: a spinner and what is being done
/// (never a "0/0").
pub fn progress_waiting() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(PROGRESS_WAITING)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
}

const PROGRESS_WAITING: &str = "{spinner} logwarden: {msg} ({elapsed})";
const PROGRESS_COUNTING: &str =
    "{spinner} logwarden: {msg} [{bar:30}] {pos}/{len} account-regions ({elapsed})";

/// The progress bar's look once the account-regions to read are known.
pub fn progress_counting() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(PROGRESS_COUNTING)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_progress_bar_never_shows_a_count_before_there_is_one() {
        use super::{PROGRESS_COUNTING as C, PROGRESS_WAITING as W};
        assert!(indicatif::ProgressStyle::with_template(W).is_ok());
        assert!(indicatif::ProgressStyle::with_template(C).is_ok());
        assert!(!W.contains("{len}") && !W.contains("{pos}") && W.contains("logwarden:"));
        assert!(C.contains("{pos}/{len} account-regions"));
    }
}
