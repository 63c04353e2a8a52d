//! What a report is made of: [`Change`], its [`Severity`], [`ChangeKind`] and section
//! ([`Group`]), and the version [`Bump`] a report implies.

use serde::Serialize;

/// How a change affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Code that compiled against the old crate may not compile (or may silently change
    /// meaning) against the new one.
    Breaking,
    /// Additive: new API or a change of behaviour on the wire; existing code compiles.
    Minor,
    /// Documentation only, or nothing in the generated code changes.
    Patch,
}

impl Severity {
    pub(super) fn title(self) -> &'static str {
        match self {
            Severity::Breaking => "Breaking changes",
            Severity::Minor => "Minor changes",
            Severity::Patch => "Patch-level changes",
        }
    }
}

/// The version bump a report implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// A breaking change.
    Major,
    /// Additions only.
    Minor,
    /// Docs only.
    Patch,
    /// No change at all.
    None,
}

impl Bump {
    /// `major`, `minor`, `patch` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
            Bump::None => "none",
        }
    }
}

/// What changed. Serialized in `snake_case` (`method_removed`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ChangeKind {
    MethodAdded,
    MethodRemoved,
    MethodRenamed,
    MethodRouteChanged,
    MethodArgumentsChanged,
    MethodParamsChanged,
    MethodBodyChanged,
    MethodResponseChanged,
    ParamAdded,
    ParamRemoved,
    ParamRenamed,
    ParamTypeChanged,
    ParamRequiredChanged,
    ParamDefaultChanged,
    ParamLocationChanged,
    ParamWireNameChanged,
    ParamsConstructorChanged,
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    AliasTargetChanged,
    UnionVariantsChanged,
    DefaultImplAdded,
    DefaultImplRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    FieldRequiredChanged,
    FieldNullableChanged,
    FieldWireNameChanged,
    EnumValueAdded,
    EnumValueRemoved,
    EnumVariantRenamed,
    EnumValueWireChanged,
    EnumDefaultChanged,
    DefaultServerChanged,
    EnvelopeChanged,
    ApiInfoChanged,
    DocChanged,
    DeprecatedChanged,
    MethodRetryChanged,
    ErrorTypeChanged,
    ApiCodeAdded,
    ApiCodeRemoved,
    ApiCodeRenamed,
    ApiCodeRetryChanged,
    ConstantAdded,
    ConstantRemoved,
}

/// Sections of the text report, in print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Client methods.
    Methods,
    /// Fields of the `...Params` structs.
    Parameters,
    /// Named types.
    Types,
    /// Struct fields.
    Fields,
    /// Enum variants.
    EnumValues,
    /// Crate-level items (`DEFAULT_SERVER`, the response envelope, crate docs).
    Api,
    /// Documentation.
    Docs,
}

impl Group {
    pub(super) fn title(self) -> &'static str {
        match self {
            Group::Methods => "Methods",
            Group::Parameters => "Parameters",
            Group::Types => "Types",
            Group::Fields => "Fields",
            Group::EnumValues => "Enum values",
            Group::Api => "Crate",
            Group::Docs => "Documentation",
        }
    }
}

impl ChangeKind {
    /// The section this kind of change is listed under.
    pub fn group(self) -> Group {
        use ChangeKind::*;
        match self {
            MethodAdded
            | MethodRemoved
            | MethodRenamed
            | MethodRouteChanged
            | MethodArgumentsChanged
            | MethodParamsChanged
            | MethodBodyChanged
            | MethodResponseChanged
            | MethodRetryChanged => Group::Methods,
            ParamAdded
            | ParamRemoved
            | ParamRenamed
            | ParamTypeChanged
            | ParamRequiredChanged
            | ParamDefaultChanged
            | ParamLocationChanged
            | ParamWireNameChanged
            | ParamsConstructorChanged => Group::Parameters,
            TypeAdded
            | TypeRemoved
            | TypeKindChanged
            | AliasTargetChanged
            | UnionVariantsChanged
            | DefaultImplAdded
            | DefaultImplRemoved => Group::Types,
            FieldAdded | FieldRemoved | FieldRenamed | FieldTypeChanged | FieldRequiredChanged
            | FieldNullableChanged | FieldWireNameChanged => Group::Fields,
            EnumValueAdded | EnumValueRemoved | EnumVariantRenamed | EnumValueWireChanged | EnumDefaultChanged
            | ApiCodeAdded | ApiCodeRemoved | ApiCodeRenamed | ApiCodeRetryChanged => Group::EnumValues,
            DefaultServerChanged | EnvelopeChanged | ApiInfoChanged | ErrorTypeChanged | ConstantAdded | ConstantRemoved => {
                Group::Api
            }
            DocChanged | DeprecatedChanged => Group::Docs,
        }
    }
}

/// One change, named in Rust terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Its effect on users of the generated crate.
    pub severity: Severity,
    /// What changed.
    pub kind: ChangeKind,
    /// The section it belongs to.
    pub group: Group,
    /// The Rust item: `get_user`, `GetUserParams.limit`, `UserDto`, `UserDto.phone`,
    /// `UserIdType::Phone`.
    pub item: String,
    /// The old Rust type, signature or value, where there is one.
    pub old: Option<String>,
    /// The new Rust type, signature or value, where there is one.
    pub new: Option<String>,
    /// What it means, in one sentence.
    pub message: String,
}
