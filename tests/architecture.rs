//! The architecture holds itself: the layer table of `docs/architecture.md` is read and every
//! file of `src/` is held to it (a tidy test in the manner of rust-analyzer's).
//!
//! - every `crate::` path a file names (in `use` and inline) reaches a layer its own layer may
//!   use, so layers point one way and the shared machinery never names a source;
//! - the sources import each other without a loop;
//! - the AWS SDK appears only in the AWS plumbing and the sources' `collect.rs` / `apply.rs`;
//! - every file is reachable through plain `mod` declarations, so `cargo fmt` and clippy see it;
//! - no function is longer than 150 lines.
//!
//! Test code (`tests.rs`, `*_tests.rs`, `testutil.rs`, `policy_goldens.rs` and the
//! `#[cfg(test)] mod` at the end of a file) sits above everything and is not held to the table.
//! `LOGWARDEN_ARCH_SRC=DIR` holds another tree to today's table (to show what it catches).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn src_dir() -> PathBuf {
    std::env::var_os("LOGWARDEN_ARCH_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("src"))
}

/// One row of the layer table: the modules it holds and the layers it may use.
#[derive(Debug)]
struct Layer {
    name: String,
    modules: Vec<String>,
    may_use: BTreeSet<String>,
}

/// The layer table of docs/architecture.md: `| layer | modules | may use |`, layers listed
/// from the bottom up; `may use` names layers, or says `everything`. A layer may always use
/// its own modules.
fn layers() -> Vec<Layer> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("| layer | modules | may use |")
        .expect("docs/architecture.md has the layer table");
    let ticked = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(|s| s.trim_end_matches(".rs").trim_end_matches('/').to_string())
            .collect()
    };
    let mut out: Vec<Layer> = Vec::new();
    for line in doc[start..].lines().skip(2) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, modules, uses) = (cells[1], cells[2], cells[3]);
        let may_use = if uses == "everything" {
            out.iter().map(|l| l.name.clone()).collect()
        } else {
            uses.split(',')
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty() && u != "—")
                .collect()
        };
        out.push(Layer {
            name: name.to_string(),
            modules: ticked(modules),
            may_use,
        });
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Test code is above every layer.
fn is_test_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || name == "testutil.rs"
        || name == "policy_goldens.rs"
}

/// The code of a file without its string and char literals, comments and trailing test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    };
    without_literals(text)
}

/// The text without its string and char literals and comments.
fn without_literals(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'r' if b.get(i + 1) == Some(&b'#') || b.get(i + 1) == Some(&b'"') => {
                // A raw string: r"..." or r#"..."#.
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let from = i + 2 + hashes;
                i = text[from..]
                    .find(&close)
                    .map_or(b.len(), |j| from + j + close.len());
                out.push_str("\"\"");
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') || (b.get(i + 1) == Some(&b'\\')) => {
                // A char literal ('x', '\n', '\''); a lifetime has no closing quote.
                let end = text[i + 1..].find('\'').map_or(i + 1, |j| i + 1 + j);
                let end = if b.get(i + 1) == Some(&b'\\') {
                    text[i + 3..].find('\'').map_or(end, |j| i + 3 + j)
                } else {
                    end
                };
                i = end + 1;
                out.push_str("' '");
            }
            c => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    out
}

/// The top-level module a file belongs to (`src/plan/ctx.rs` → `plan`, `src/main.rs` → `main`).
fn module_of(rel: &str) -> String {
    let first = rel.split('/').next().unwrap_or(rel);
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a file's code names through `crate::`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        // `$crate::` inside a macro means the crate, too.
        let rest = &code[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `crate::{a, b}` names several.
        if name.is_empty() && rest.starts_with('{') {
            let group = &rest[1..rest.find('}').unwrap_or(rest.len())];
            for part in group.split(',') {
                let n: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !n.is_empty() {
                    out.insert(n);
                }
            }
        } else if !name.is_empty() {
            out.insert(name);
        }
    }
    // A macro the crate exports at its root (`crate::client!`) belongs to the AWS plumbing.
    if out.remove("client") {
        out.insert("aws".into());
    }
    out
}

/// Every production file of the tree: (path relative to src, its code).
fn sources_of_tree() -> Vec<(String, String)> {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&f).unwrap())
        })
        .filter(|(rel, _)| !is_test_file(rel))
        .collect()
}

/// Where the layer rules are broken: "file: names `module` (layer) that layer may not use".
fn layer_violations() -> Vec<String> {
    let layers = layers();
    let layer_of: BTreeMap<&str, &Layer> = layers
        .iter()
        .flat_map(|l| l.modules.iter().map(move |m| (m.as_str(), l)))
        .collect();
    let mut out = Vec::new();
    for (rel, text) in sources_of_tree() {
        let module = module_of(&rel);
        let Some(mine) = layer_of.get(module.as_str()) else {
            out.push(format!(
                "{rel}: module `{module}` is in no layer of docs/architecture.md"
            ));
            continue;
        };
        for used in crate_paths(&code(&text)) {
            let Some(theirs) = layer_of.get(used.as_str()) else {
                out.push(format!(
                    "{rel}: names `crate::{used}`, in no layer of docs/architecture.md"
                ));
                continue;
            };
            if theirs.name != mine.name && !mine.may_use.contains(&theirs.name) {
                out.push(format!(
                    "{rel} ({}) names `crate::{used}` ({}), which the {} layer may not use",
                    mine.name, theirs.name, mine.name
                ));
            }
        }
    }
    out
}

#[test]
fn the_layer_table_points_one_way() {
    let layers = layers();
    assert!(layers.len() >= 5, "{layers:?}");
    let mut seen = BTreeSet::new();
    for l in &layers {
        for u in &l.may_use {
            assert!(
                seen.contains(u),
                "layer {} may use {u}, which is not below it in the table",
                l.name
            );
        }
        seen.insert(l.name.clone());
    }
}

#[test]
fn every_import_is_one_the_layer_table_allows() {
    let v = layer_violations();
    assert!(
        v.is_empty(),
        "{} import(s) break the layer table:\n{}",
        v.len(),
        v.join("\n")
    );
}

#[test]
fn the_sources_import_each_other_without_a_loop() {
    let folders: BTreeSet<String> = sources_of_tree()
        .iter()
        .filter_map(|(rel, _)| rel.strip_prefix("sources/")?.split_once('/'))
        .map(|(s, _)| s.to_string())
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in sources_of_tree() {
        let Some((from, _)) = rel.strip_prefix("sources/").and_then(|r| r.split_once('/')) else {
            continue;
        };
        let code = code(&text);
        for (i, _) in code.match_indices("crate::sources::") {
            let to: String = code[i + "crate::sources::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if folders.contains(&to) && to != from {
                edges.entry(from.to_string()).or_default().insert(to);
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut cycle = path[at..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in &folders {
        if let Some(cycle) = visit(n, &edges, &mut vec![], &mut done) {
            panic!(
                "the sources import each other in a loop: {}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn the_sdk_appears_only_in_the_aws_plumbing_and_the_sources_collectors_and_operations() {
    let mut wrong = Vec::new();
    for (rel, text) in sources_of_tree() {
        let allowed = rel.starts_with("aws/")
            || (rel.starts_with("sources/")
                && (rel.ends_with("/collect.rs") || rel.ends_with("/apply.rs")));
        let code = code(&text);
        let uses_sdk = [
            "aws_sdk_",
            "aws_smithy_",
            "aws_config",
            "aws_types",
            "aws_credential_types",
        ]
        .iter()
        .any(|c| code.contains(c));
        if uses_sdk && !allowed {
            wrong.push(rel);
        }
    }
    assert!(wrong.is_empty(), "the AWS SDK is used in: {wrong:?}");
}

/// The files reachable from the crate roots through plain `mod` declarations (the ones rustfmt
/// and clippy see); a `mod` inside `macro_rules!` is not plain.
#[test]
fn every_file_is_reachable_through_plain_mod_declarations() {
    let src = src_dir();
    let mut reached = BTreeSet::new();
    let mut todo = vec![src.join("lib.rs"), src.join("main.rs")];
    while let Some(file) = todo.pop() {
        if !reached.insert(file.clone()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let dir =
            if file.ends_with("mod.rs") || file.ends_with("lib.rs") || file.ends_with("main.rs") {
                file.parent().unwrap().to_path_buf()
            } else {
                file.with_extension("")
            };
        let mut in_macro = false;
        for line in without_literals(&text).lines() {
            let t = line.trim();
            if t.starts_with("macro_rules!") {
                in_macro = true;
            }
            if in_macro {
                if line.starts_with('}') {
                    in_macro = false;
                }
                continue;
            }
            let decl = t
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            if let Some(name) = decl.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                let a = dir.join(format!("{name}.rs"));
                todo.push(if a.exists() {
                    a
                } else {
                    dir.join(name).join("mod.rs")
                });
            }
        }
    }
    let mut all = Vec::new();
    rust_files(&src, &mut all);
    let unseen: Vec<String> = all
        .into_iter()
        .filter(|f| !reached.contains(f))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        unseen.is_empty(),
        "not reachable through plain `mod` declarations (rustfmt skips them): {unseen:?}"
    );
}

#[test]
fn no_function_is_longer_than_150_lines() {
    const MAX: usize = 150;
    let mut long = Vec::new();
    for (rel, text) in sources_of_tree() {
        let code = code(&text);
        let lines: Vec<&str> = code.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let t = lines[i].trim_start();
            let indent = lines[i].len() - t.len();
            let signature = t
                .trim_start_matches("pub ")
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("async ");
            if signature.starts_with("fn ") && !lines[i].trim_end().ends_with(';') {
                let name: String = signature[3..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let close = format!("{}}}", " ".repeat(indent));
                let end = (i + 1..lines.len())
                    .find(|j| lines[*j].trim_end() == close)
                    .unwrap_or(i);
                if end - i + 1 > MAX {
                    long.push(format!("{rel}: fn {name} has {} lines", end - i + 1));
                }
                i = end;
            }
            i += 1;
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_checker_reads_paths_the_way_rust_does() {
    let c = code("use crate::{aws, plan::X}; // crate::rules\nlet s = \"crate::report\"; crate::client!(x); let c = '\"'; let d = crate::io::x;");
    assert_eq!(
        crate_paths(&c),
        ["aws", "io", "plan"]
            .into_iter()
            .map(String::from)
            .collect()
    );
    assert_eq!(module_of("plan/ctx.rs"), "plan");
    assert_eq!(module_of("main.rs"), "main");
}
