//! Files and standard output: every file logwarden writes goes through [`write_file`], every
//! document it prints through [`write_stdout`] (a closed pipe is not an error), and every file it
//! reads through [`read_capped`] (a size limit, so a wrong or hostile path fails fast).

use crate::error::Error;
use std::io::{Read, Write};
use std::path::Path;

pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        action: "write",
        path: path.display().to_string(),
        source,
    })
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
        return Err(Error::Usage(format!(
            "{} is larger than {} MiB\n  hint: check that this is the right file",
            path.display(),
            max / (1024 * 1024)
        )));
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
