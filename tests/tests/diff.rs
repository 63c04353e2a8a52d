//! Spec change reports: one fixture pair per kind of change under `specs/fixtures/diff/`
//! (snapshots of the text and JSON output, plus the classification each must get), and
//! the real GenAuth spec against an edited copy.

use std::path::PathBuf;

use genauth_codegen::diff::{compare, ir_from_text, Bump, ChangeKind, Report, Severity};
use genauth_codegen::Builder;
use genauth_tests::repo_root;

/// Every pair `NAME.old.yaml` / `NAME.new.yaml`, sorted by name.
fn pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = repo_root().join("specs/fixtures/diff");
    let mut out: Vec<(String, PathBuf, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.strip_suffix(".old.yaml")?.to_owned();
            let new = dir.join(format!("{name}.new.yaml"));
            assert!(new.is_file(), "{} has no {}", p.display(), new.display());
            Some((name, p, new))
        })
        .collect();
    out.sort();
    out
}

fn report_for(old: &std::path::Path, new: &std::path::Path, name: &str) -> Report {
    let (old_ir, _) = Builder::new().spec(old).ir().unwrap_or_else(|e| panic!("{e}"));
    let (new_ir, _) = Builder::new().spec(new).ir().unwrap_or_else(|e| panic!("{e}"));
    compare(&old_ir, &new_ir).with_labels(format!("{name}.old.yaml"), format!("{name}.new.yaml"))
}

/// What each pair must report: the bump and (kind, severity, item) of every change
/// except doc-only ones.
fn expected(name: &str) -> (Bump, Vec<(ChangeKind, Severity, &'static str)>) {
    use ChangeKind::*;
    use Severity::*;
    match name {
        "method-added" => (Bump::Minor, vec![(MethodAdded, Minor, "delete_user")]),
        "method-removed" => (Bump::Major, vec![(MethodRemoved, Breaking, "delete_user")]),
        "method-params-changed" => (Bump::Major, vec![(ParamAdded, Breaking, "GetUserParams.lang")]),
        "method-body-changed" => (Bump::Major, vec![(MethodBodyChanged, Breaking, "create_user")]),
        "method-response-changed" => (Bump::Major, vec![(MethodResponseChanged, Breaking, "get_user")]),
        "type-added" => (Bump::Minor, vec![(TypeAdded, Minor, "Group")]),
        "type-removed" => (Bump::Major, vec![(TypeRemoved, Breaking, "Group")]),
        "field-added-request" => (Bump::Major, vec![(FieldAdded, Breaking, "CreateUser.phone")]),
        "field-added-response" => (Bump::Minor, vec![(FieldAdded, Minor, "User.created_at")]),
        "field-removed" => (Bump::Major, vec![(FieldRemoved, Breaking, "User.email")]),
        "field-type-changed" => (Bump::Major, vec![(FieldTypeChanged, Breaking, "User.login_count")]),
        "field-required-changed" => (Bump::Major, vec![(FieldRequiredChanged, Breaking, "CreateUser.email")]),
        "field-nullable-changed" => (Bump::Major, vec![(FieldNullableChanged, Breaking, "User.name")]),
        "enum-value-added" => (Bump::Minor, vec![(EnumValueAdded, Minor, "Status::Archived")]),
        "enum-value-removed" => (Bump::Major, vec![(EnumValueRemoved, Breaking, "Status::Suspended")]),
        "doc-only" => (Bump::Patch, vec![]),
        "many-changes" => (
            Bump::Major,
            vec![
                (FieldRemoved, Breaking, "User.email"),
                (FieldTypeChanged, Breaking, "User.login_count"),
                (ParamAdded, Minor, "GetUserParams.lang"),
                (MethodAdded, Minor, "delete_user"),
                (TypeAdded, Minor, "Group"),
                (FieldAdded, Minor, "User.created_at"),
                (EnumValueAdded, Minor, "Status::Archived"),
                (ApiInfoChanged, Patch, "crate docs"),
            ],
        ),
        other => panic!("fixture pair `{other}` has no expectation in tests/tests/diff.rs; add one"),
    }
}

#[test]
fn fixture_pairs_are_classified_as_expected() {
    let pairs = pairs();
    assert!(pairs.len() >= 17, "expected the fixture pairs under specs/fixtures/diff, found {}", pairs.len());
    for (name, old, new) in &pairs {
        let report = report_for(old, new, name);
        let (bump, changes) = expected(name);
        let got: Vec<(ChangeKind, Severity, &str)> = report
            .changes()
            .iter()
            .filter(|c| c.kind != ChangeKind::DocChanged)
            .map(|c| (c.kind, c.severity, c.item.as_str()))
            .collect();
        let mut want = changes.clone();
        want.sort_by_key(|(k, s, i)| (*s, k.group(), *i, *k));
        assert_eq!(got, want, "{name}:\n{}", report.to_text());
        assert_eq!(report.bump(), bump, "{name}:\n{}", report.to_text());
        // Doc changes are patch-level and appear only in the pairs that edit docs.
        let docs = report.changes().iter().filter(|c| c.kind == ChangeKind::DocChanged).count();
        assert_eq!(docs > 0, name == "doc-only" || name == "many-changes", "{name}:\n{}", report.to_text());
        assert!(report
            .changes()
            .iter()
            .filter(|c| c.kind == ChangeKind::DocChanged)
            .all(|c| c.severity == Severity::Patch));
        // Each side against itself: nothing.
        assert_eq!(report_for(old, old, name).bump(), Bump::None);
    }
}

#[test]
fn fixture_pair_reports_match_snapshots() {
    for (name, old, new) in pairs() {
        let report = report_for(&old, &new, &name);
        insta::assert_snapshot!(format!("{name}_text"), report.to_text());
        insta::assert_snapshot!(format!("{name}_json"), report.to_json());
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["bump"], report.bump().as_str());
    }
}

/// The realistic case: our spec against a copy with one operation removed, one field
/// type changed, a new `userIdType` value and a new optional response field.
#[test]
fn genauth_spec_against_an_edited_copy() {
    // The description with its module files joined (every `$ref` resolved), as one text.
    let path = repo_root().join("specs/genauth-v3.yaml");
    let joined = genauth_codegen::load::load_path(&path).unwrap_or_else(|e| panic!("{e}")).raw;
    let text = serde_json::to_string(&joined).unwrap();
    let (old, _) = ir_from_text("genauth-v3.yaml", &text).unwrap();

    let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    // Remove an operation.
    let paths = doc["paths"].as_mapping_mut().unwrap();
    assert!(paths.remove("/api/v3/kick-users").is_some());
    // Change a field type (integer → string) and add an optional response field.
    let user = doc["components"]["schemas"]["UserDto"]["properties"].as_mapping_mut().unwrap();
    assert!(user.contains_key("loginsCount"));
    user.insert(
        "loginsCount".into(),
        serde_yaml::from_str("{type: string, description: Number of sign-ins so far.}").unwrap(),
    );
    user.insert(
        "signupChannel".into(),
        serde_yaml::from_str("{type: string, description: Where the user signed up.}").unwrap(),
    );
    // Add a value to every `userIdType` enum (the spec repeats it inline on each DTO and
    // parameter; the generator shares one `UserIdType` when the value sets agree).
    fn add_user_id_type(v: &mut serde_yaml::Value, count: &mut usize) {
        match v {
            serde_yaml::Value::Mapping(m) => {
                for (k, v) in m.iter_mut() {
                    let is_enum = k.as_str() == Some("enum");
                    let values = v.as_sequence().map(|s| s.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>());
                    if is_enum && values.as_ref().is_some_and(|s| s.contains(&"user_id") && s.contains(&"external_id"))
                    {
                        v.as_sequence_mut().unwrap().push("open_id".into());
                        *count += 1;
                    } else {
                        add_user_id_type(v, count);
                    }
                }
            }
            serde_yaml::Value::Sequence(s) => s.iter_mut().for_each(|v| add_user_id_type(v, count)),
            _ => {}
        }
    }
    let mut count = 0;
    add_user_id_type(&mut doc, &mut count);
    assert!(count > 10, "userIdType is repeated across the spec, found {count}");
    let (new, _) = ir_from_text("genauth-v3-edited.yaml", &serde_yaml::to_string(&doc).unwrap()).unwrap();

    let report = compare(&old, &new);
    type Row<'a> = (ChangeKind, Severity, &'a str, Option<&'a str>, Option<&'a str>);
    let got: Vec<Row> = report
        .changes()
        .iter()
        .map(|c| (c.kind, c.severity, c.item.as_str(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (ChangeKind::MethodRemoved, Severity::Breaking, "kick_users", Some("POST /api/v3/kick-users"), None),
            (
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                "UserDto.logins_count",
                Some("Option<i64>"),
                Some("Option<String>")
            ),
            (ChangeKind::FieldAdded, Severity::Minor, "UserDto.signup_channel", None, Some("Option<String>")),
            (ChangeKind::EnumValueAdded, Severity::Minor, "UserIdType::OpenId", None, Some("\"open_id\"")),
        ],
        "{}",
        report.to_text()
    );
    assert_eq!(report.bump(), Bump::Major);
    assert!(report.is_breaking());

    // Without the two breaking edits the same copy is a minor release.
    let mut additive: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let user = additive["components"]["schemas"]["UserDto"]["properties"].as_mapping_mut().unwrap();
    user.insert("signupChannel".into(), serde_yaml::from_str("{type: string}").unwrap());
    let mut count = 0;
    add_user_id_type(&mut additive, &mut count);
    let (new, _) = ir_from_text("genauth-v3-additive.yaml", &serde_yaml::to_string(&additive).unwrap()).unwrap();
    let report = compare(&old, &new);
    assert_eq!(report.bump(), Bump::Minor, "{}", report.to_text());
    assert_eq!(report.changes().len(), 2, "{}", report.to_text());
}

/// Every real-world document of the shared corpus that the generator loads compares
/// with itself as unchanged: matching by identity finds every item, duplicates included
/// (skipped when ../shared is absent).
#[test]
fn corpus_specs_compare_cleanly_with_themselves() {
    let Some(shared) = genauth_tests::shared_dir() else {
        return;
    };
    let dir = shared.join("corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} is absent; skipping", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    files.sort();
    let mut loaded = 0;
    for path in &files {
        let Ok((ir, _)) = Builder::new().spec(path).ir() else {
            continue;
        };
        let (again, _) = Builder::new().spec(path).ir().unwrap();
        let report = compare(&ir, &again);
        assert_eq!(report.bump(), Bump::None, "{}: {}", path.display(), report.to_text());
        loaded += 1;
    }
    assert!(loaded > 0, "none of the {} corpus documents loaded", files.len());
    eprintln!("compared {loaded} of {} corpus documents with themselves", files.len());
}

/// The example report in the README is what the command prints.
#[test]
fn readme_example_is_current() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let old = "specs/fixtures/diff/many-changes.old.yaml";
    let new = "specs/fixtures/diff/many-changes.new.yaml";
    let command = format!("$ genauth-codegen diff --old {old} --new {new}\n");
    let start = readme.find(&command).expect("the README shows the many-changes report") + command.len();
    let block = readme[start..].split("```").next().unwrap();
    let report = report_for(&repo_root().join(old), &repo_root().join(new), "many-changes").with_labels(old, new);
    assert_eq!(block, report.to_text(), "update the example in README.md");
}
