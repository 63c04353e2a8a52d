//! The generator's output for each fixture spec in `specs/fixtures/`, compiled as part
//! of the workspace. Written by `GENAUTH_UPDATE_FIXTURES=1 cargo test -p genauth-tests
//! --test snapshots`; checked by that test.

pub mod arrays_maps;
pub mod enums;
pub mod keywords;
pub mod nested_objects;
pub mod optional_required;
pub mod query_params;
