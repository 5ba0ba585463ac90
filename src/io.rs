//! Files and standard output: every file logwarden writes goes through [`write_file`] (or
//! [`write_file_with`], which streams a large document such as a report as it is serialized),
//! every document it prints through [`write_stdout`] or [`write_stdout_with`] (a closed pipe is
//! not an error), and every file it reads through [`read_capped`] (a size limit, so a wrong or
//! hostile path fails fast). A leaf: its failures are its own [`FileError`], which the command
//! line's error wraps.

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

/// Write `path` as `write` produces it, buffered, without holding the whole document: a report
/// or an inventory of a thousand accounts is hundreds of megabytes as text.
pub fn write_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let run = || {
        let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
        write(&mut w)?;
        w.flush()
    };
    run().map_err(|source| Error::Io {
        action: "write",
        path: path.display().to_string(),
        source,
    })
}

/// [`write_file_with`] for a value as pretty JSON, the way inventories and plans are saved.
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), Error> {
    write_file_with(path, |w| {
        serde_json::to_writer_pretty(w, value).map_err(std::io::Error::from)
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
    write_stdout_with(stdout, |w| w.write_all(text.as_bytes()))
}

/// [`write_stdout`] of what `write` produces, as it is produced.
pub fn write_stdout_with(
    stdout: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut w = std::io::BufWriter::new(stdout);
    match write(&mut w).and_then(|_| w.flush()) {
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

    #[test]
    fn a_streamed_json_file_is_the_document_and_a_bad_path_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("inventory.json");
        let value =
            serde_json::json!({"accounts": [{"id": "111111111111"}], "regions": ["us-east-1"]});
        super::write_json(&p, &value).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text, serde_json::to_string_pretty(&value).unwrap());
        let missing = dir.path().join("no-such-dir").join("report.json");
        let err = super::write_json(&missing, &value).unwrap_err().to_string();
        assert!(
            err.starts_with("cannot write ") && err.contains("no-such-dir"),
            "{err}"
        );
    }

    /// A writer that fails every write with `kind`.
    struct Failing(std::io::ErrorKind);
    impl std::io::Write for Failing {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(self.0.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(self.0.into())
        }
    }

    #[test]
    fn a_closed_pipe_is_not_an_error_but_a_full_disk_is() {
        let write = |w: &mut dyn std::io::Write| w.write_all(&[b'x'; 100_000]);
        let mut closed = Failing(std::io::ErrorKind::BrokenPipe);
        assert!(super::write_stdout_with(&mut closed, write).is_ok());
        let mut full = Failing(std::io::ErrorKind::StorageFull);
        let err = super::write_stdout_with(&mut full, write)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("cannot write stdout"), "{err}");
        let mut out = Vec::new();
        super::write_stdout_with(&mut out, write).unwrap();
        assert_eq!(out.len(), 100_000);
    }
}
