//! Writing and checking on disk: a crate tree swapped in whole (atomic, unchanged files kept,
//! foreign files carried over), single files each replaced through a rename, and the
//! comparison `check` reports.

use std::path::{Path, PathBuf};

use crate::error::Error;

use super::manifest::MARKER;
use super::paths::{absolute, safe_relative};

/// What `write_crate` / `write_to` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they were new or their bytes changed.
    pub written: Vec<PathBuf>,
    /// Files left alone because their bytes were already right.
    pub unchanged: Vec<PathBuf>,
    /// Generated files removed because the new output no longer has them.
    pub removed: Vec<PathBuf>,
}

/// What `check_crate` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Files that are missing.
    pub missing: Vec<PathBuf>,
    /// Files whose bytes differ.
    pub changed: Vec<PathBuf>,
    /// Generated files that the new output no longer has.
    pub extra: Vec<PathBuf>,
}

impl CheckReport {
    /// Whether the directory is up to date.
    pub fn is_up_to_date(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }

    /// One line per stale file, each ending in a newline: `  missing: PATH`,
    /// `  differs: PATH`, `  no longer generated: PATH`.
    pub fn stale_lines(&self) -> String {
        let mut out = String::new();
        for p in &self.missing {
            out.push_str(&format!("  missing: {}\n", p.display()));
        }
        for p in &self.changed {
            out.push_str(&format!("  differs: {}\n", p.display()));
        }
        for p in &self.extra {
            out.push_str(&format!("  no longer generated: {}\n", p.display()));
        }
        out
    }
}

/// Generated `.rs` files under `dir/src` (or `dir` itself), recognized by their header.
fn generated_sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["src", ""] {
        let base = if sub.is_empty() { dir.to_owned() } else { dir.join(sub) };
        let Ok(entries) = std::fs::read_dir(&base) else { continue };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        for p in names {
            if p.extension().and_then(|e| e.to_str()) != Some("rs") || !p.is_file() {
                continue;
            }
            let head = std::fs::read(&p).ok().map(|b| b.into_iter().take(200).collect::<Vec<u8>>());
            if head.is_some_and(|h| String::from_utf8_lossy(&h).contains(MARKER)) {
                if let Ok(rel) = p.strip_prefix(dir) {
                    out.push(rel.to_owned());
                }
            }
        }
    }
    out
}

/// Writes the tree `files` at `dir`, all at once: the new tree is built beside the old
/// one (`.<name>.genauth-tmp-<pid>`) and swapped in with two renames, so a failure or a
/// kill while writing leaves the previous output as it was. Files whose bytes do not
/// change keep their inode and modification time (hard links into the new tree), files
/// the generator did not write are carried over the same way, and generated sources the
/// new output no longer has are left out. When nothing changes, nothing is touched.
///
/// A directory that holds the current directory is updated in place instead (file by
/// file, each through a rename): swapping it would leave the shell of whoever ran the
/// generator in a deleted directory.
pub fn write_tree(dir: &Path, files: &[(PathBuf, String)]) -> Result<WriteReport, Error> {
    check_paths(files)?;
    let swap = swap_place(dir)?;
    if let Some(place) = &swap {
        place.recover()?;
    }
    let mut report = WriteReport::default();
    for (rel, text) in files {
        if std::fs::read(dir.join(rel)).ok().as_deref() == Some(text.as_bytes()) {
            report.unchanged.push(rel.clone());
        } else {
            report.written.push(rel.clone());
        }
    }
    report.removed = generated_sources(dir)
        .into_iter()
        .filter(|stale| !files.iter().any(|(rel, _)| rel == stale))
        .collect();
    if report.written.is_empty() && report.removed.is_empty() {
        return Ok(report);
    }
    // Where no staging directory can be made beside the output (a parent that is not
    // writable), write in place, file by file.
    match swap.filter(|place| place.prepare().is_ok()) {
        Some(place) => place.write(dir, files, &report)?,
        None => {
            write_files(dir, files)?;
            for stale in &report.removed {
                std::fs::remove_file(dir.join(stale)).map_err(|source| Error::Io {
                    path: dir.join(stale),
                    action: "cannot remove a stale generated file",
                    source,
                })?;
            }
        }
    }
    Ok(report)
}

/// Where a tree is staged and swapped: the output directory's parent and name.
pub(super) struct SwapPlace {
    parent: PathBuf,
    name: String,
}

/// The place to stage `dir`'s new tree, or `None` when `dir` must be updated in place.
pub(super) fn swap_place(dir: &Path) -> Result<Option<SwapPlace>, Error> {
    let full = if dir.exists() {
        dir.canonicalize().map_err(|source| Error::Io {
            path: dir.to_owned(),
            action: "cannot resolve the output directory",
            source,
        })?
    } else {
        absolute(dir)?
    };
    if !full.is_dir() && full.exists() {
        return Err(Error::Io {
            path: dir.to_owned(),
            action: "cannot write the output",
            source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the output path exists and is not a directory"),
        });
    }
    let cwd = std::env::current_dir().ok().and_then(|d| d.canonicalize().ok());
    if cwd.is_some_and(|c| c.starts_with(&full)) {
        return Ok(None);
    }
    match (full.parent(), full.file_name().and_then(|n| n.to_str())) {
        (Some(parent), Some(name)) => Ok(Some(SwapPlace {
            parent: parent.to_owned(),
            name: name.to_owned(),
        })),
        _ => Ok(None),
    }
}

fn io_error(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_owned();
    move |source| Error::Io {
        path,
        action,
        source,
    }
}

impl SwapPlace {
    fn staging(&self) -> PathBuf {
        self.parent.join(format!(".{}.genauth-tmp-{}", self.name, std::process::id()))
    }

    fn aside(&self) -> PathBuf {
        self.parent.join(format!(".{}.genauth-old-{}", self.name, std::process::id()))
    }

    /// Cleans up after a run that was killed: a staged tree is dropped; a previous tree
    /// moved aside is put back if the swap did not finish, else dropped.
    pub(super) fn recover(&self) -> Result<(), Error> {
        let Ok(entries) = std::fs::read_dir(&self.parent) else { return Ok(()) };
        let staged = format!(".{}.genauth-tmp-", self.name);
        let aside = format!(".{}.genauth-old-", self.name);
        let target = self.parent.join(&self.name);
        let mut leftovers: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        leftovers.sort();
        for path in leftovers {
            let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else { continue };
            if file_name.starts_with(&aside) && !target.exists() {
                std::fs::rename(&path, &target).map_err(io_error(&path, "cannot restore the previous output"))?;
            } else if file_name.starts_with(&aside) || file_name.starts_with(&staged) {
                std::fs::remove_dir_all(&path).map_err(io_error(&path, "cannot remove what an interrupted run left"))?;
            }
        }
        Ok(())
    }

    /// Makes an empty staging directory.
    fn prepare(&self) -> Result<(), Error> {
        let staging = self.staging();
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io_error(&staging, "cannot clear the staging directory"))?;
        }
        std::fs::create_dir_all(&staging).map_err(io_error(&staging, "cannot create the staging directory"))
    }

    /// Builds the new tree in the (prepared) staging directory and swaps it in.
    fn write(&self, dir: &Path, files: &[(PathBuf, String)], report: &WriteReport) -> Result<(), Error> {
        let staging = self.staging();
        let result = self.stage(dir, &staging, files, report).and_then(|()| self.swap(dir, &staging));
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        result
    }

    fn stage(&self, dir: &Path, staging: &Path, files: &[(PathBuf, String)], report: &WriteReport) -> Result<(), Error> {
        // What the generator owns at `dir`: the new files and the stale ones.
        let owned: std::collections::BTreeSet<&Path> = files
            .iter()
            .map(|(rel, _)| rel.as_path())
            .chain(report.removed.iter().map(PathBuf::as_path))
            .collect();
        if dir.is_dir() {
            carry_over(dir, staging, Path::new(""), &owned)?;
        }
        for (rel, text) in files {
            let to = staging.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io_error(parent, "cannot create the output directory"))?;
            }
            fail_point()?;
            if report.unchanged.contains(rel) {
                link_or_copy(&dir.join(rel), &to)?;
            } else {
                std::fs::write(&to, text.as_bytes()).map_err(io_error(&to, "cannot write a generated file"))?;
            }
        }
        fail_point()
    }

    /// Moves the old tree aside, the new one in, and drops the old one.
    fn swap(&self, dir: &Path, staging: &Path) -> Result<(), Error> {
        let target = self.parent.join(&self.name);
        if !target.exists() {
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io_error(parent, "cannot create the output directory"))?;
            }
            return std::fs::rename(staging, &target).map_err(io_error(&target, "cannot move the new output into place"));
        }
        let aside = self.aside();
        std::fs::rename(&target, &aside).map_err(io_error(&target, "cannot move the previous output aside"))?;
        if let Err(source) = fail_point().and_then(|()| std::fs::rename(staging, &target).map_err(io_error(&target, "cannot move the new output into place"))) {
            // Put the previous tree back; the next run also would.
            let _ = std::fs::rename(&aside, &target);
            return Err(source);
        }
        // The new tree is in place; a leftover old tree is removed by the next run.
        let _ = std::fs::remove_dir_all(&aside);
        Ok(())
    }
}

/// Recreates under `to` everything under `from` that the generator does not own, as hard
/// links (copies keeping the modification time where links are not possible).
fn carry_over(from_root: &Path, to_root: &Path, rel: &Path, owned: &std::collections::BTreeSet<&Path>) -> Result<(), Error> {
    let from = from_root.join(rel);
    let entries = std::fs::read_dir(&from).map_err(io_error(&from, "cannot read the output directory"))?;
    let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    names.sort();
    for name in names {
        let rel = rel.join(&name);
        if owned.contains(rel.as_path()) {
            continue;
        }
        let source = from_root.join(&rel);
        let meta = std::fs::symlink_metadata(&source).map_err(io_error(&source, "cannot read the output directory"))?;
        let dest = to_root.join(&rel);
        if meta.is_dir() {
            std::fs::create_dir_all(&dest).map_err(io_error(&dest, "cannot create the output directory"))?;
            carry_over(from_root, to_root, &rel, owned)?;
        } else {
            link_or_copy(&source, &dest)?;
        }
    }
    Ok(())
}

/// A hard link from `to` to `from`, or a copy with `from`'s modification time.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), Error> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map_err(io_error(to, "cannot copy a file into the new output"))?;
    if let Ok(modified) = std::fs::metadata(from).and_then(|m| m.modified()) {
        if let Ok(file) = std::fs::OpenOptions::new().write(true).open(to) {
            let _ = file.set_modified(modified);
        }
    }
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// Tests: how many more steps of a tree write succeed before one fails.
    pub(super) static FAIL_AFTER: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// A point where a test can make a tree write fail (nothing outside tests).
fn fail_point() -> Result<(), Error> {
    #[cfg(test)]
    {
        if let Some(n) = FAIL_AFTER.with(|f| f.get()) {
            if n == 0 {
                return Err(Error::Io {
                    path: PathBuf::from("<test>"),
                    action: "injected failure",
                    source: std::io::Error::other("injected"),
                });
            }
            FAIL_AFTER.with(|f| f.set(Some(n - 1)));
        }
    }
    Ok(())
}

fn check_paths(files: &[(PathBuf, String)]) -> Result<(), Error> {
    for (rel, _) in files {
        if !safe_relative(rel) {
            return Err(Error::Io {
                path: rel.clone(),
                action: "refusing to write outside the output directory",
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "unsafe output path"),
            });
        }
    }
    Ok(())
}

/// Writes `files` under `dir`: each file only when its bytes change, through a temporary
/// file and a rename, so a reader never sees half a file. Nothing else is touched.
pub fn write_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<WriteReport, Error> {
    let mut report = WriteReport::default();
    check_paths(files)?;
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            report.unchanged.push(rel.clone());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_owned(),
                action: "cannot create the output directory",
                source,
            })?;
        }
        let tmp = path.with_extension("rs.genauth-tmp");
        std::fs::write(&tmp, text.as_bytes()).map_err(|source| Error::Io {
            path: tmp.clone(),
            action: "cannot write a generated file",
            source,
        })?;
        std::fs::rename(&tmp, &path).map_err(|source| Error::Io {
            path: path.clone(),
            action: "cannot move a generated file into place",
            source,
        })?;
        report.written.push(rel.clone());
    }
    Ok(report)
}

/// Compares `files` with what is under `dir`, including generated sources `files` no
/// longer has.
pub fn check_tree(dir: &Path, files: &[(PathBuf, String)]) -> Result<CheckReport, Error> {
    let mut report = check_files(dir, files)?;
    for stale in generated_sources(dir) {
        if !files.iter().any(|(rel, _)| rel == &stale) {
            report.extra.push(stale);
        }
    }
    Ok(report)
}

/// Compares `files` with what is under `dir`; other files are not looked at.
pub fn check_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<CheckReport, Error> {
    let mut report = CheckReport::default();
    for (rel, text) in files {
        match std::fs::read(dir.join(rel)) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => report.changed.push(rel.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.missing.push(rel.clone()),
            Err(source) => {
                return Err(Error::Io {
                    path: dir.join(rel),
                    action: "cannot read a generated file",
                    source,
                })
            }
        }
    }
    Ok(report)
}
