//! The two sides of a comparison: a file or `REV:PATH` read with `git show` ([`SpecRef`]),
//! the baseline of `generate --report` (the spec as committed when the output was last
//! generated), and loading either into an IR.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Warning};
use crate::ir::*;
use crate::Builder;

use super::report::Report;
use super::walk::compare;

/// One side of a comparison: a file, or `REV:PATH` read with `git show` in the current
/// directory's repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecRef {
    /// A file.
    File(PathBuf),
    /// A file as committed in git: `git show REV:PATH` (PATH is relative to the
    /// repository root, or to the current directory when it starts with `./`).
    Git {
        /// The revision (`HEAD`, `HEAD~1`, a tag, a commit).
        rev: String,
        /// The path in that revision.
        path: String,
    },
}

impl SpecRef {
    /// Reads an argument: an existing file is a file; otherwise `REV:PATH` is a git
    /// reference; anything else is a file (that will fail to open with a clear message).
    pub fn parse(arg: &str) -> SpecRef {
        if Path::new(arg).exists() {
            return SpecRef::File(PathBuf::from(arg));
        }
        match arg.split_once(':') {
            // A Windows drive letter (`C:\...`) is a path, not a revision.
            Some((rev, path))
                if !rev.is_empty()
                    && !path.is_empty()
                    && !(rev.len() == 1 && (path.starts_with('\\') || path.starts_with('/'))) =>
            {
                SpecRef::Git { rev: rev.to_owned(), path: path.to_owned() }
            }
            _ => SpecRef::File(PathBuf::from(arg)),
        }
    }

    /// How the side is named in messages and reports.
    pub fn label(&self) -> String {
        match self {
            SpecRef::File(p) => p.display().to_string(),
            SpecRef::Git { rev, path } => format!("{rev}:{path}"),
        }
    }

    /// Loads and lowers the document.
    pub fn load_ir(&self) -> Result<(Ir, Vec<Warning>), Error> {
        match self {
            SpecRef::File(p) => Builder::new().spec(p).ir(),
            // The document and every file its `$ref`s name, from the same revision.
            SpecRef::Git { rev, path } => Builder::new().spec_at_revision(rev, path, None).ir(),
        }
    }
}

/// Loads and lowers a document given as text; `name` is used for messages and to tell
/// YAML from JSON by its extension.
pub fn ir_from_text(name: &str, text: &str) -> Result<(Ir, Vec<Warning>), Error> {
    Builder::new().spec_source(name, text).ir()
}

/// Runs git in `dir` (or the current directory) and returns its standard output, or the
/// first line of its error output.
fn git(dir: Option<&Path>, args: &[&str]) -> Result<String, String> {
    let mut cmd = Command::new("git");
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let out = cmd.args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("git failed");
        return Err(first.to_owned());
    }
    String::from_utf8(out.stdout).map_err(|_| "the file is not UTF-8 text".to_owned())
}

/// What `generate --report` compares against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baseline {
    /// The spec as committed when the output was last generated.
    Found {
        /// A label such as `genauth-v3.yaml at 1a2b3c4`.
        label: String,
        /// Why this commit was chosen.
        reason: String,
        /// The commit.
        rev: String,
        /// The spec's path, relative to `dir` (`./genauth-v3.yaml`).
        path: String,
        /// The spec's directory, where git runs.
        dir: PathBuf,
    },
    /// Nothing to compare against, and why.
    Missing {
        /// Why.
        reason: String,
    },
}

/// Finds the spec the output directory was last generated from: the spec as committed in
/// the last commit that changed `out` (CI's stale check keeps the two in step in every
/// commit), or in `HEAD` when `out` has no history. `Missing` says why there is none (not
/// a git repository, no commits, the spec not committed there).
pub fn git_baseline(spec: &Path, out: &Path) -> Baseline {
    let spec_abs = std::path::absolute(spec).unwrap_or_else(|_| spec.to_owned());
    let out_abs = std::path::absolute(out).unwrap_or_else(|_| out.to_owned());
    let (Some(dir), Some(file)) = (spec_abs.parent(), spec_abs.file_name()) else {
        return Baseline::Missing { reason: format!("{} is not a file path", spec.display()) };
    };
    let file = file.to_string_lossy().into_owned();
    let missing = |reason: String| Baseline::Missing { reason };
    if let Err(e) = git(Some(dir), &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]) {
        let why = if e == "git failed" { "the repository has no commits".to_owned() } else { e };
        return missing(format!("{} is not in a git repository with commits ({why})", spec.display()));
    }
    let out_arg = out_abs.to_string_lossy().into_owned();
    let last = git(Some(dir), &["log", "-1", "--format=%H %h", "--", &out_arg]).unwrap_or_default();
    let (rev, short, reason) = match last.trim().split_once(' ') {
        Some((full, short)) => {
            (full.to_owned(), short.to_owned(), format!("the last commit that changed {}", out.display()))
        }
        None => {
            let short = git(Some(dir), &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
            (
                "HEAD".to_owned(),
                short.trim().to_owned(),
                format!("HEAD, since {} has no committed history", out.display()),
            )
        }
    };
    let path = format!("./{file}");
    match git(Some(dir), &["cat-file", "-e", &format!("{rev}:{path}")]) {
        Ok(_) => Baseline::Found { label: format!("{file} at {short}"), reason, rev, path, dir: dir.to_owned() },
        Err(_) => missing(format!("{file} is not committed at {short} ({reason})")),
    }
}

/// `diff --old OLD --new NEW`: loads both sides (each a file or `REV:PATH`, see
/// [`SpecRef::parse`]), the old one first, and compares them; the report names the sides
/// as they were given.
pub fn compare_specs(old: &str, new: &str) -> Result<Report, Error> {
    let (old_ref, new_ref) = (SpecRef::parse(old), SpecRef::parse(new));
    let (old, _) = old_ref.load_ir()?;
    let (new, _) = new_ref.load_ir()?;
    Ok(compare(&old, &new).with_labels(old_ref.label(), new_ref.label()))
}

/// What `generate --report` has to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaselineReport {
    /// What changed since the baseline.
    Report(Report),
    /// No report, and why: a missing or unreadable baseline is a note, not an error, since
    /// it must not stop a regeneration.
    Skipped(String),
}

/// `generate --report`: the spec at `spec` (read with `builder`) compared with the spec the
/// output directory `out` was last generated from ([`git_baseline`]). An error is one of
/// the new spec, which stops the regeneration anyway.
pub fn baseline_report(builder: &Builder, spec: &Path, out: &Path) -> Result<BaselineReport, Error> {
    match git_baseline(spec, out) {
        Baseline::Missing { reason } => Ok(BaselineReport::Skipped(format!("no baseline to compare with: {reason}"))),
        Baseline::Found { label, reason, rev, path, dir } => match Builder::new().spec_at_revision(rev, path, Some(dir)).ir() {
            Err(e) => Ok(BaselineReport::Skipped(format!("the baseline {label} ({reason}) does not load: {e}"))),
            Ok((old, _)) => {
                let (new, _) = builder.ir()?;
                Ok(BaselineReport::Report(
                    compare(&old, &new).with_labels(format!("{label} ({reason})"), spec.display().to_string()),
                ))
            }
        },
    }
}
