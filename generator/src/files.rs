//! Where documents are read from: the file system, or a git revision (`git show REV:PATH`),
//! so that a description split over several files (a root and the files its `$ref`s name)
//! can be read as it was committed, every file from the same revision.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// The source of the spec and of every file its `$ref`s name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Files {
    /// The file system as it is.
    #[default]
    Disk,
    /// The files as committed at `rev`, read with `git show` in the repository of `dir`
    /// (the current directory when `None`). Paths are relative to the repository root, or
    /// to that directory when they start with `./`.
    Git {
        /// The revision (`HEAD`, `HEAD~1`, a tag, a commit).
        rev: String,
        /// Where git runs.
        dir: Option<PathBuf>,
    },
}

impl Files {
    /// The contents of `path`. A path that is not a regular file (a device, a FIFO) is an
    /// error, so a reference to `/dev/zero` cannot hang the generator.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        match self {
            Files::Disk => {
                match std::fs::metadata(path) {
                    Ok(m) if m.is_file() => {}
                    Ok(_) => return Err("not a regular file".to_owned()),
                    Err(e) => return Err(e.to_string()),
                }
                std::fs::read(path).map_err(|e| e.to_string())
            }
            Files::Git { rev, dir } => {
                if rev.starts_with('-') {
                    return Err("a revision may not start with `-`".to_owned());
                }
                let spec = format!("{rev}:{}", path.to_string_lossy());
                let mut git = Command::new("git");
                if let Some(dir) = dir {
                    git.current_dir(dir);
                }
                let out = git
                    .args(["show", &spec])
                    .output()
                    .map_err(|e| format!("cannot run git: {e}"))?;
                if !out.status.success() {
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    let first = stderr.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("git failed");
                    return Err(first.to_owned());
                }
                Ok(out.stdout)
            }
        }
    }

    /// One spelling per file, so a file named twice (or in a cycle of references) is read
    /// once: the canonical path on disk, the lexically normalized path in a revision.
    pub fn identity(&self, path: &Path) -> PathBuf {
        match self {
            Files::Disk => path.canonicalize().unwrap_or_else(|_| path.to_owned()),
            Files::Git { .. } => normalize(path),
        }
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system; a leading `./` is kept (it
/// tells git the path is relative to the current directory).
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir if out.is_empty() => out.push(c),
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_paths_are_normalized_lexically() {
        let files = Files::Git { rev: "HEAD".to_owned(), dir: None };
        assert_eq!(files.identity(Path::new("specs/./genauth-v3/../common.yaml")), PathBuf::from("specs/common.yaml"));
        assert_eq!(files.identity(Path::new("./specs/a.yaml")), PathBuf::from("./specs/a.yaml"));
        assert_eq!(files.identity(Path::new("../x.yaml")), PathBuf::from("../x.yaml"));
    }

    #[test]
    fn a_revision_may_not_look_like_an_option() {
        let files = Files::Git { rev: "--output=/tmp/x".to_owned(), dir: None };
        assert!(files.read(Path::new("a.yaml")).unwrap_err().contains("may not start with `-`"));
    }
}
