//! The generator's output for each fixture spec in `specs/fixtures/`, compiled as part
//! of the workspace. Written by `GENAUTH_UPDATE_FIXTURES=1 cargo test -p genauth-tests
//! --test snapshots`; checked by that test.

pub mod arrays_maps;
pub mod default_less_types;
pub mod enums;
pub mod external_refs;
pub mod family_prelude_name;
pub mod generic_nullable_field;
pub mod hostile_names;
pub mod integer_alias_path;
pub mod keywords;
pub mod maps;
pub mod names;
pub mod nested_objects;
pub mod nullability;
pub mod openapi_3_1;
pub mod operations;
pub mod optional_required;
pub mod production;
pub mod query_params;
pub mod ref_descriptions;
pub mod union_params;
pub mod unions;
pub mod webhooks_only;
pub mod nullability_strict;
