//! How long each phase of a run took.

use std::time::Duration;

/// How long each phase of one run took, from [`Builder::generate_with_timings`](crate::Builder::generate_with_timings) (for
/// benchmarks; writing files is timed by the caller).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading the document's file (zero for [`Builder::spec_source`](crate::Builder::spec_source)).
    pub read: Duration,
    /// Parsing the text into a JSON value (YAML or JSON).
    pub parse: Duration,
    /// Resolving `$ref`s (reading other files) and normalizing 3.1 forms.
    pub resolve: Duration,
    /// Deserializing the value into the typed OpenAPI model.
    pub deserialize: Duration,
    /// Lowering to the IR, including operation filters and freeing the document.
    pub lower: Duration,
    /// Emitting tokens.
    pub emit: Duration,
    /// Parsing the tokens and printing them (prettyplease), laying out the files, and
    /// freeing the IR. Tokens are built and formatted item by item on every core: the wall
    /// time of that part is split between `emit` and `format` in proportion to the time
    /// the threads spent on each.
    pub format: Duration,
}

impl Timings {
    /// The sum of the phases.
    pub fn total(&self) -> Duration {
        self.read + self.parse + self.resolve + self.deserialize + self.lower + self.emit + self.format
    }
}
