//! Spec change report: what a new version of the spec does to the generated Rust API.
//!
//! [`compare`] walks two [`Ir`](crate::ir::Ir)s, so every change is named as users of the generated crate
//! see it (method names, type names, field identifiers, enum variants), and classifies
//! each change under Cargo's semver rules, reasoned from how [`crate::emit`] writes code:
//!
//! - Structs have only `pub` fields and no `#[non_exhaustive]`, so users can build them
//!   with struct literals. A new field breaks those literals. Types reachable from a
//!   request body or parameter, parameter structs, and types no operation uses are built by
//!   users, so a new field there is **breaking**. Types reachable only from responses are
//!   produced by deserialization; users read them, so a new field there is **minor**.
//!   (Building a response type by hand, e.g. in a test, breaks; Cargo's own rule would call
//!   it major, we call it minor on purpose and say so in the note.) A type used on both
//!   sides, in the old or the new spec, counts as a request type.
//! - A removed or renamed field, a changed field type, and a field that gains or loses its
//!   `Option` layer (through `required` or `nullable`; optional and nullable together is
//!   `Option<Option<T>>`) are **breaking** everywhere. When the Rust
//!   type does not change (a nullable field that becomes required, say) the change is
//!   **minor**, because what goes on the wire changes.
//! - String enums are `#[non_exhaustive]` with an `Unknown(String)` variant: a new value is
//!   **minor**, a removed or renamed one is **breaking**.
//! - Methods are matched by HTTP method and path (path parameter names ignored), then by
//!   name. A removed or renamed method, or a changed signature (path arguments, params
//!   struct, body type or optionality, return type), is **breaking**; a new method is
//!   **minor**. Params structs are `#[non_exhaustive]` (built with `new`, then fields
//!   set), so a new optional parameter is **minor** and a new required one (a new argument
//!   of `new`) is **breaking**; a changed default is **minor**.
//! - A paged operation's `<method>_stream` counts as a method of its own: gaining one is
//!   **minor**, losing one (or a change of its item type) **breaking**. An operation that
//!   becomes idempotent or stops being so is **minor**: the client retries it differently.
//! - The code table (`x-genauth-api-codes`): gaining or losing it changes every method's
//!   error type (**breaking**). `ApiCode` is `#[non_exhaustive]` with `Unknown(i64)`: a
//!   new code is **minor**, a removed or renamed one **breaking**, a changed `retry`
//!   **minor**; an `api_status` constant added is **minor**, removed or renamed
//!   **breaking**.
//! - Doc-only changes (descriptions, summaries, `deprecated`, which the generator writes
//!   into docs) are **patch**.
//!
//! The implied version bump is the most severe change: breaking → major, minor → minor,
//! patch → patch; no change → none.
//!
//! The files: `sides` loads the two specs (files, `REV:PATH`, the `generate --report`
//! baseline) into IRs; `walk` pairs their items and calls the rules, one file per kind of
//! item (`api`, `codes`, `methods`, `params`, `types`, `fields`, `enums`), which name things as
//! `spelling` writes them and record [`Change`]s (`change`); `report` sorts them into the
//! [`Report`] and prints it as text or JSON.

mod api;
mod change;
mod codes;
mod enums;
mod fields;
mod methods;
mod params;
mod report;
mod sides;
mod spelling;
mod types;
mod walk;

#[cfg(test)]
mod tests;

pub use change::{Bump, Change, ChangeKind, Group, Severity};
pub use report::Report;
pub use sides::{baseline_report, compare_specs, git_baseline, ir_from_text, Baseline, BaselineReport, SpecRef};
pub use walk::compare;
