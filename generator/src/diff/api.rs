//! Rules for crate-level changes: API title, version and docs, `DEFAULT_SERVER`, the
//! response envelope.

use super::change::{ChangeKind, Severity};
use super::walk::Differ;

impl Differ<'_> {
    pub(super) fn api(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.title.trim() != new.title.trim() {
            self.push(
                Severity::Patch,
                ChangeKind::ApiInfoChanged,
                "crate docs",
                Some(old.title.clone()),
                Some(new.title.clone()),
                format!("API title `{}` → `{}`", old.title.trim(), new.title.trim()),
            );
        }
        if old.version.trim() != new.version.trim() {
            self.push(
                Severity::Patch,
                ChangeKind::ApiInfoChanged,
                "crate docs",
                Some(old.version.clone()),
                Some(new.version.clone()),
                format!("API version {} → {}", old.version.trim(), new.version.trim()),
            );
        }
        self.doc("crate docs", old.description.as_deref(), new.description.as_deref());
        match (old.servers.first(), new.servers.first()) {
            (None, Some(s)) => self.push(
                Severity::Minor,
                ChangeKind::DefaultServerChanged,
                "DEFAULT_SERVER",
                None,
                Some(s.clone()),
                format!("new constant `DEFAULT_SERVER` = \"{s}\""),
            ),
            (Some(s), None) => self.push(
                Severity::Breaking,
                ChangeKind::DefaultServerChanged,
                "DEFAULT_SERVER",
                Some(s.clone()),
                None,
                "constant removed (the spec lists no server)",
            ),
            (Some(a), Some(b)) if a != b => self.push(
                Severity::Minor,
                ChangeKind::DefaultServerChanged,
                "DEFAULT_SERVER",
                Some(a.clone()),
                Some(b.clone()),
                format!("value \"{a}\" → \"{b}\""),
            ),
            _ => {}
        }
        if old.status_code_envelope != new.status_code_envelope {
            let message = if new.status_code_envelope {
                "responses are now read as the `{statusCode, message, data}` envelope; every method returns the payload instead of the whole body"
            } else {
                "responses are no longer read as the `{statusCode, message, data}` envelope; every method returns the whole body"
            };
            self.push(Severity::Breaking, ChangeKind::EnvelopeChanged, "client", None, None, message);
        }
    }
}
