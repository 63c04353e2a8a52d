//! Errors and warnings. Every message names the file and a place in it: `line:column`
//! for syntax errors, a JSON pointer (`#/components/schemas/Foo/properties/bar`) for
//! everything found after parsing.

use std::fmt;
use std::path::PathBuf;

/// Where in a document something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in the source text (1-based).
    LineColumn {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A JSON pointer into the document, written with a leading `#`.
    Pointer(String),
    /// The document as a whole.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::LineColumn { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(p) => f.write_str(p),
            Location::Document => f.write_str("#"),
        }
    }
}

/// An error from the generator. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read, or output could not be written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The document is not valid YAML or JSON.
    #[error("{}:{location}: syntax error: {message}", file.display())]
    Syntax {
        /// The document.
        file: PathBuf,
        /// Where the parser stopped.
        location: Location,
        /// The parser's message.
        message: String,
    },
    /// The document parsed but does not describe an API we can generate.
    #[error("{}: {location}: {message}", file.display())]
    Invalid {
        /// The document.
        file: PathBuf,
        /// The JSON pointer (or position) of the offending value.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A warning was raised and warnings are treated as errors.
    #[error("{} warning(s) treated as errors; first: {first}", count)]
    DeniedWarnings {
        /// How many warnings there were.
        count: usize,
        /// The first of them.
        first: Box<Warning>,
    },
    /// An operation filter names a tag or an operation the document does not have.
    #[error("{}: {message}", file.display())]
    Filter {
        /// The document.
        file: PathBuf,
        /// Which selector matched nothing, and what there is instead.
        message: String,
    },
    /// `write_to_out_dir` was called outside a build script.
    #[error("OUT_DIR is not set: Builder::write_to_out_dir is meant to run in a build script (build.rs); elsewhere use Builder::write_to(dir)")]
    NoOutDir,
    /// No spec was given to the builder.
    #[error("no OpenAPI document given (use Builder::spec or Builder::spec_source)")]
    NoSpec,
    /// The generator panicked: a bug in the generator (it is meant to return an error for
    /// every input). The panic is caught so callers still get an error, not an abort.
    #[error("internal error: the generator panicked: {message} (please report this with the input document)")]
    Panic {
        /// The panic's message.
        message: String,
    },
    /// The generator produced code it cannot parse back: a bug in the generator.
    #[error("internal error while formatting {file}: {message} (please report this with the input document)")]
    Internal {
        /// The output file concerned.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    /// A convenience for errors found at a JSON pointer.
    pub(crate) fn invalid(file: &std::path::Path, pointer: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            file: file.to_owned(),
            location: Location::Pointer(pointer.to_owned()),
            message: message.into(),
        }
    }
}

/// A problem the generator worked around. Each kind has a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable code, e.g. `W001`.
    pub code: &'static str,
    /// The document.
    pub file: PathBuf,
    /// Where in the document.
    pub pointer: String,
    /// What was found.
    pub message: String,
    /// What to do about it.
    pub hint: &'static str,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning[{}]: {}: {}: {} (hint: {})",
            self.code,
            self.file.display(),
            self.pointer,
            self.message,
            self.hint
        )
    }
}

/// Appends `key` to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_push(base: &str, key: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 1);
    out.push_str(base);
    out.push('/');
    for ch in key.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes one JSON pointer segment (`~1` → `/`, `~0` → `~`).
pub fn pointer_unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
