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

/// The line `line` of `text` with a caret under `column` (both 1-based, the column in bytes, as
/// YAML and JSON parsers count), or "" when out of range. A long line (a saved inventory can be
/// one line of megabytes) is cut to the part around the column, marked `...`.
pub fn snippet(text: &str, line: u64, column: u64) -> String {
    const AROUND: usize = 60;
    let Some(code) = line
        .checked_sub(1)
        .and_then(|i| text.lines().nth(i as usize))
    else {
        return String::new();
    };
    let at = (column.saturating_sub(1) as usize).min(code.len());
    let boundary = |mut i: usize| {
        while !code.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = boundary(at.saturating_sub(AROUND));
    let end = boundary((at + AROUND).min(code.len()));
    let (lead, tail) = (
        if start > 0 { "..." } else { "" },
        if end < code.len() { "..." } else { "" },
    );
    // Control characters would garble the terminal: shown as spaces.
    let shown = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    let before = shown(&code[start..boundary(at)]);
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let caret = " ".repeat(lead.len() + before.chars().count());
    format!(
        " {number} | {lead}{before}{}{tail}\n {pad} | {caret}^",
        shown(&code[boundary(at)..end])
    )
}

/// A JSON file that does not read as what was expected, shown as profile errors are: the
/// position to add to the file's name (`:LINE:COLUMN`, empty when serde gives none) and the
/// message followed by the line with a caret.
pub fn json_error(text: &str, e: &serde_json::Error) -> (String, String) {
    let message = e.to_string();
    if e.line() == 0 {
        return (String::new(), message);
    }
    // serde's message ends with " at line L column C", which the position now says.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let code = snippet(text, e.line() as u64, e.column() as u64);
    (
        format!(":{}:{}", e.line(), e.column()),
        if code.is_empty() {
            message
        } else {
            format!("{message}\n{code}")
        },
    )
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

    #[test]
    fn a_json_error_names_line_and_column_and_points_at_them_even_on_a_long_line() {
        let text = "{\n  \"accounts\": [\n    {\"id\": 5}\n  ]\n}\n";
        let e = serde_json::from_str::<
            std::collections::BTreeMap<String, Vec<std::collections::BTreeMap<String, String>>>,
        >(text)
        .unwrap_err();
        let (at, message) = super::json_error(text, &e);
        assert_eq!(at, ":3:12");
        assert_eq!(
            message,
            "invalid type: integer `5`, expected a string\n 3 |     {\"id\": 5}\n   |            ^"
        );
        // One line of 10,000 bytes: only the part around the column is shown.
        let long = format!("[{}\"é\", x]", "\"a\", ".repeat(2000));
        let e = serde_json::from_str::<Vec<String>>(&long).unwrap_err();
        let (at, message) = super::json_error(&long, &e);
        let column = e.column();
        assert_eq!(at, format!(":1:{column}"));
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines[0], "expected value");
        assert!(
            lines[1].starts_with(" 1 | ...") && lines[1].ends_with("\"é\", x]"),
            "{}",
            lines[1]
        );
        assert!(lines[1].len() < 200, "{}", lines[1]);
        // The caret sits under the `x`.
        let caret = lines[2].find('^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('x'), "{message}");
        // A message without a position (an I/O error) is kept as it is.
        struct Broken;
        impl std::io::Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::Other.into())
            }
        }
        let e = serde_json::from_reader::<_, Vec<String>>(Broken).unwrap_err();
        assert_eq!(super::json_error("", &e).0, "");
    }
}
