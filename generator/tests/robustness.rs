//! Hostile input: documents nested far too deep, reference loops, deep but legal schemas,
//! wrong types deep in a document, names that try to become code, and warnings. Every
//! case ends in `Ok` or a clear `Err` naming the file and place; none may panic or
//! overflow the stack (tests run on 2 MiB threads, a quarter of a main thread's stack).

mod common;

fn scratch(name: &str) -> std::path::PathBuf {
    common::scratch("robust", name)
}
use common::{tree};

use std::path::{Path, PathBuf};

use genauth_codegen::{Builder, Error, Layout};

const HEAD_JSON: &str = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-deep":"#;
const HEAD_YAML: &str = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\nx-deep: ";

fn generate(name: &str, text: &str) -> Result<genauth_codegen::Generated, Error> {
    Builder::new().spec_source(name, text).generate()
}

fn assert_too_deep(name: &str, text: &str) {
    let e = generate(name, text).err().unwrap_or_else(|| panic!("{name}: a document nested 10,000 deep was accepted"));
    let message = e.to_string();
    assert!(message.starts_with(&format!("{name}:")), "{message}");
    assert!(message.contains("nests more than 128 levels"), "{name}: {message}");
    assert!(matches!(e, Error::Syntax { location: genauth_codegen::Location::LineColumn { .. }, .. }), "{name}: {e:?}");
}

#[test]
fn ten_thousand_nested_arrays_or_objects_are_a_clear_error() {
    let n = 10_000;
    assert_too_deep("arrays.json", &format!("{HEAD_JSON}{}{}}}", "[".repeat(n), "]".repeat(n)));
    assert_too_deep("objects.json", &format!("{HEAD_JSON}{}1{}}}", r#"{"a":"#.repeat(n), "}".repeat(n)));
    assert_too_deep("arrays.yaml", &format!("{HEAD_YAML}{}{}\n", "[".repeat(n), "]".repeat(n)));
    assert_too_deep("objects.yaml", &format!("{HEAD_YAML}{}1{}\n", "{a: ".repeat(n), "}".repeat(n)));
    // Block style: one more level of indentation per line.
    let mut block = format!("{HEAD_YAML}\n");
    for i in 1..=n {
        block.push_str(&" ".repeat(i));
        block.push_str("a:\n");
    }
    assert_too_deep("block.yaml", &block);
    let mut dashes = format!("{HEAD_YAML}\n");
    dashes.push_str(&"- ".repeat(n));
    dashes.push_str("1\n");
    assert_too_deep("dashes.yaml", &dashes);
}

#[test]
fn a_chain_of_yaml_aliases_cannot_nest_past_the_limit() {
    // Each anchor holds a list of the previous one: 10,000 levels once expanded.
    let mut text = format!("{HEAD_YAML}\n  a0: &a0 [1]\n");
    for i in 1..10_000 {
        text.push_str(&format!("  a{i}: &a{i} [*a{}]\n", i - 1));
    }
    assert_too_deep("aliases.yaml", &text);
}

#[test]
fn a_billion_laughs_is_refused() {
    let mut text = format!("{HEAD_YAML}\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!("  l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"));
    }
    let e = generate("laughs.yaml", &text).expect_err("an alias bomb was accepted").to_string();
    assert!(e.starts_with("laughs.yaml:") && e.contains("syntax error"), "{e}");
}

/// A response schema of `depth` nested arrays, as JSON.
fn nested_items(depth: usize) -> String {
    let schema = format!("{}{{\"type\":\"string\"}}{}", r#"{"type":"array","items":"#.repeat(depth), "}".repeat(depth));
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{"/a":{{"get":{{"operationId":"deep","responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{schema}}}}}}}}}}}}}}}}}"#
    )
}

#[test]
fn the_deepest_schemas_the_parser_accepts_generate_code() {
    // The document's own levels plus the schemas' must stay under the parser's 128.
    let depth = 118;
    let generated = generate("items.json", &nested_items(depth)).unwrap_or_else(|e| panic!("{e}"));
    let client = generated.file("src/client.rs").expect("client module");
    // Once in the signature, once where the method names the body it decodes.
    assert_eq!(client.matches("Vec<").count(), 2 * depth, "{client}");
    assert!(generate("items.json", &nested_items(depth + 10)).unwrap_err().to_string().contains("nests more than 128 levels"));

    // Objects in objects, through properties (two levels of mapping per schema).
    let mut schema = String::from(r#"{"type":"string"}"#);
    for _ in 0..55 {
        schema = format!(r#"{{"type":"object","properties":{{"inner":{schema}}}}}"#);
    }
    let text = format!(r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"Outer":{schema}}}}}}}"#);
    let generated = generate("objects.json", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.type_count() >= 55, "{}", generated.type_count());

    // allOf in allOf, oneOf in oneOf.
    for key in ["allOf", "oneOf", "anyOf"] {
        let mut schema = String::from(r#"{"type":"object","properties":{"a":{"type":"string"}}}"#);
        for i in 0..55 {
            schema = format!(r#"{{"{key}":[{schema},{{"type":"object","properties":{{"p{i}":{{"type":"integer"}}}}}}]}}"#);
        }
        let text = format!(r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"Outer":{schema}}}}}}}"#);
        let result = generate("unions.json", &text);
        assert!(result.is_ok(), "{key}: {}", result.err().map(|e| e.to_string()).unwrap_or_default());
    }
}

#[test]
fn a_loop_of_references_between_files_is_a_clear_error() {
    let dir = scratch("ref-loop");
    std::fs::write(
        dir.join("api.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    $ref: \"loop.yaml#/a\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("loop.yaml"), "a:\n  $ref: \"other.yaml#/b\"\n").unwrap();
    std::fs::write(dir.join("other.yaml"), "b:\n  $ref: \"loop.yaml#/a\"\n").unwrap();
    let e = Builder::new().spec(dir.join("api.yaml")).generate().unwrap_err().to_string();
    assert!(e.contains("api.yaml") && e.contains("references nest too deeply"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_reference_to_a_device_is_refused_without_reading_it() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("skipped: no /dev/zero here");
        return;
    }
    let text = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    $ref: \"/dev/zero#/x\"\n";
    let e = generate("api.yaml", text).unwrap_err().to_string();
    assert!(e.contains("#/paths/~1a") && e.contains("not a regular file"), "{e}");
}

/// `(document, expected error)` pairs: a wrong type deep in the document is reported at
/// its own JSON pointer, with what was expected there.
const WRONG_TYPES: &[(&str, &str)] = &[
    (
        "paths:\n  /users:\n    get:\n      operationId: [oops]\n      responses: {\"200\": {description: ok}}\n",
        "t.yaml: #/paths/~1users/get/operationId: invalid type: sequence, expected a string (in an Operation Object)",
    ),
    (
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {type: 5}\n",
        "t.yaml: #/components/schemas/A/properties/b/type: invalid type: integer `5`, expected a string (in a Schema Object)",
    ),
    (
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b:\n          items:\n            properties:\n              c: string\n",
        "t.yaml: #/components/schemas/A/properties/b/items/properties/c: invalid type: string \"string\", expected a Schema Object (a mapping)",
    ),
    (
        "paths:\n  /u/{id}:\n    get:\n      parameters: [{name: id, in: body, schema: {type: string}}]\n      responses: {\"200\": {description: ok}}\n",
        "t.yaml: #/paths/~1u~1{id}/get/parameters/0/in: unknown variant `body`, expected one of `query`, `header`, `path`, `cookie` (in a Parameter Object)",
    ),
    (
        "paths:\n  /u:\n    post:\n      requestBody: {content: {application/json: {schema: {type: object, additionalProperties: 5}}}}\n      responses: {\"200\": {description: ok}}\n",
        "t.yaml: #/paths/~1u/post/requestBody/content/application~1json/schema/additionalProperties: expected `true`, `false` or a schema (in a Schema Object)",
    ),
    (
        "paths:\n  /u:\n    get:\n      responses: {\"200\": {content: {}}}\n",
        "t.yaml: #/paths/~1u/get/responses/200: missing field `description` (in a Response Object)",
    ),
    (
        "paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLength: -1}\n",
        "t.yaml: #/components/schemas/A/maxLength: invalid value: integer `-1`, expected a whole number, 0 or more (in a Schema Object)",
    ),
    (
        "paths:\n  /u:\n    get:\n      tags: users\n      responses: {\"200\": {description: ok}}\n",
        "t.yaml: #/paths/~1u/get/tags: invalid type: string \"users\", expected a list (in an Operation Object)",
    ),
    (
        "paths: []\n",
        "t.yaml: #/paths: invalid type: sequence, expected a Paths Object (a mapping from paths to Path Item Objects)",
    ),
    (
        "paths:\n  /u:\n    get:\n      responses:\n        \"200\":\n          description: ok\n          headers: {X-Rate: {schema: {type: string, enum: {a: 1}}}}\n",
        "t.yaml: #/paths/~1u/get/responses/200/headers/X-Rate/schema/enum: invalid type: map, expected a list (in a Schema Object)",
    ),
];

#[test]
fn wrong_types_deep_in_the_document_name_their_pointer_and_what_was_expected() {
    for (body, expected) in WRONG_TYPES {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: \"1\"}}\n{body}");
        let e = generate("t.yaml", &text).err().unwrap_or_else(|| panic!("accepted:\n{text}"));
        assert_eq!(e.to_string(), *expected, "for\n{text}");
    }
}

#[test]
fn hostile_names_only_reach_the_fixed_file_names() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/fixtures/hostile-names.yaml");
    let crate_files = Builder::new().spec(&spec).generate().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = crate_files.files().iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(names, ["src/lib.rs", "src/types.rs", "src/client.rs"].map(PathBuf::from));
    let single = Builder::new().spec(&spec).layout(Layout::SingleFile).generate().unwrap();
    assert_eq!(single.files().len(), 1);
    assert_eq!(single.files()[0].0, PathBuf::from(genauth_codegen::SINGLE_FILE_NAME));
    // And nothing lands outside the output directory.
    let dir = scratch("hostile");
    let out = dir.join("out");
    crate_files.write_crate(&out).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    entries.sort();
    assert_eq!(entries, ["out"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_warning_has_a_code_a_pointer_and_a_hint_and_deny_warnings_turns_them_into_errors() {
    // One document that raises each warning the generator has.
    let text = r##"openapi: 3.1.0
info: {title: t, version: "1", description: {$ref: "#/nowhere"}}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  gone: {$ref: "#/components/schemas/Missing"}
                  either: {type: [string, integer]}
                  pick:
                    oneOf:
                      - {type: string}
                      - {type: string, enum: [a, b]}
  /b:
    $ref: "#/components/pathItems/B"
  /c/{id}:
    post:
      operationId: getA
      parameters:
        - {name: session, in: cookie, schema: {type: string}}
        - {name: n, in: query, schema: {type: integer, default: "x"}}
        - {name: other, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/x-www-form-urlencoded: {schema: {type: string}}
      responses: {"204": {description: ok}}
webhooks:
  ping:
    post:
      responses: {"200": {description: ok}}
components:
  schemas:
    E: {type: string, enum: [a, b], default: c}
  pathItems:
    B:
      get:
        responses: {"204": {description: ok}}
"##;
    let generated = generate("w.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> = generated.warnings().iter().map(|w| w.code).collect();
    // Every code the generator has.
    for code in ["W001", "W003", "W004", "W005", "W006", "W007", "W008", "W010", "W011", "W012", "W013", "W014", "W022"] {
        assert!(codes.contains(&code), "no {code} in {:?}", generated.warnings());
    }
    let mut seen = std::collections::BTreeSet::new();
    for w in generated.warnings() {
        assert!(w.code.len() == 4 && w.code.starts_with('W'), "{w}");
        assert!(w.pointer.starts_with("#/"), "{w}");
        assert!(!w.message.is_empty() && !w.hint.is_empty(), "{w}");
        assert_eq!(w.file, PathBuf::from("w.yaml"));
        let line = w.to_string();
        assert!(line.starts_with(&format!("warning[{}]: w.yaml: #/", w.code)) && line.contains("(hint: "), "{line}");
        assert!(seen.insert((w.code, w.pointer.clone(), w.message.clone())), "printed twice: {w}");
    }
    let e = Builder::new().spec_source("w.yaml", text).deny_warnings(true).generate().unwrap_err();
    let Error::DeniedWarnings { count, first } = &e else { panic!("{e:?}") };
    assert_eq!(*count, generated.warnings().len());
    assert_eq!(**first, generated.warnings()[0]);
    assert!(e.to_string().contains("treated as errors; first: warning[W"), "{e}");
}

fn cli() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_genauth-codegen"))
}

#[test]
fn every_invalid_spec_exits_2_with_one_error_line_and_writes_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/fixtures/invalid");
    let out = scratch("invalid-cli").join("out");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 15);
    for spec in files {
        let result = cli().args(["generate", "--deny-warnings", "--spec"]).arg(&spec).arg("--out").arg(&out).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{}: {stderr}", spec.display());
        assert!(stderr.starts_with("error: ") && stderr.lines().count() == 1, "{}: {stderr}", spec.display());
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "{} wrote output", spec.display());
    }
}

#[test]
fn a_generate_killed_at_any_moment_leaves_the_old_tree_or_the_new_one() {
    let base = scratch("killed");
    let out = base.join("sdk");
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/fixtures/enums.yaml");
    let big = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/genauth-v3.yaml");
    let generate = |spec: &Path| {
        let status = cli().args(["generate", "--quiet", "--spec"]).arg(spec).arg("--out").arg(&out).status().unwrap();
        assert!(status.success());
    };
    let started = std::time::Instant::now();
    generate(&big);
    let full_run = started.elapsed();
    std::fs::write(out.join("NOTES.md"), "kept").unwrap();
    let new_tree = tree(&out);
    generate(&small);
    let old_tree = tree(&out);
    assert_ne!(old_tree, new_tree);
    let mut outcomes = std::collections::BTreeSet::new();
    // Kill moments spread from the start to past the end of a full run.
    for step in 0..16u32 {
        let delay = full_run * step / 12;
        let mut child = cli().args(["generate", "--quiet", "--spec"]).arg(&big).arg("--out").arg(&out).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = if out.exists() { tree(&out) } else { Vec::new() };
        if now == old_tree {
            outcomes.insert("old");
        } else if now == new_tree {
            outcomes.insert("new");
        } else {
            // Killed between the two renames: the old tree waits beside, whole.
            let aside: Vec<_> = std::fs::read_dir(&base)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".sdk.genauth-old-")))
                .collect();
            assert!(!out.exists() && aside.len() == 1 && tree(&aside[0]) == old_tree, "a half-written tree after a kill at {delay:?}");
            outcomes.insert("aside");
        }
        // Whatever was left, the next run cleans up and completes; then back to the old.
        generate(&big);
        assert_eq!(tree(&out), new_tree);
        generate(&small);
        let names: Vec<_> = std::fs::read_dir(&base).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["sdk"], "left behind after recovery");
    }
    eprintln!("outcomes: {outcomes:?} (a full run takes {full_run:?})");
    assert!(outcomes.contains("old"), "no kill landed before the swap: {outcomes:?}");
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn long_chains_of_references_between_components_generate_or_fail_clearly() {
    // References are flat in the text, so the parsers' depth limit does not bound them.
    let n = 3000;
    let head = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/S0\"}\ncomponents:\n  schemas:\n";
    let chain = |link: &dyn Fn(usize) -> String, last: &str| {
        let mut text = head.to_owned();
        for i in 0..n {
            text.push_str(&format!("    S{i}: {}\n", link(i)));
        }
        text.push_str(&format!("    S{n}: {last}\n"));
        text
    };
    let r = |i: usize| format!("{{$ref: \"#/components/schemas/S{}\"}}", i + 1);
    let cases = [
        ("aliases", chain(&|i| r(i), "{type: string}")),
        ("properties", chain(&|i| format!("{{type: object, properties: {{next: {}}}}}", r(i)), "{type: string}")),
        ("items", chain(&|i| format!("{{type: array, items: {}}}", r(i)), "{type: string}")),
        ("oneOf", chain(&|i| format!("{{oneOf: [{}, {{type: integer}}]}}", r(i)), "{type: string}")),
        ("allOf", chain(&|i| format!("{{allOf: [{}, {{type: object, properties: {{p{i}: {{type: string}}}}}}]}}", r(i)), "{type: object}")),
    ];
    for (what, text) in cases {
        match generate("chain.yaml", &text) {
            Ok(g) => assert!(g.type_count() > n, "{what}: {}", g.type_count()),
            Err(e) => {
                let message = e.to_string();
                assert!(message.starts_with("chain.yaml: #/components/schemas/S") && message.contains("expected"), "{what}: {message}");
            }
        }
    }
}

#[test]
fn an_all_of_that_includes_the_component_holding_it_is_a_recursive_type() {
    // Found by the structured fuzzer: lowering copied A's properties into `e`, whose
    // properties include `e` again, without end (out of memory, or a stack overflow).
    let text = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        e:\n          allOf:\n          - $ref: '#/components/schemas/A'\n          - $ref: '#/components/schemas/A'\n";
    let generated = generate("t.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    let types = generated.file("src/types.rs").expect("types");
    assert!(types.contains("pub e: Option<Ae>,") && types.contains("pub e: Option<Box<Ae>>,"), "{types}");
}

/// `W` and three digits, wherever they stand in `text`.
fn warning_codes(text: &str) -> std::collections::BTreeSet<String> {
    text.match_indices('W')
        .filter_map(|(i, _)| text.get(i..i + 4))
        .filter(|c| c.chars().skip(1).all(|d| d.is_ascii_digit()))
        .filter(|c| c.len() == 4)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_readme_lists_every_warning_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut in_source = std::collections::BTreeSet::new();
    // Every source file, in `src` and its module folders.
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            // Codes as written where warnings are made: `"W001"`.
            in_source.extend(warning_codes(&text).into_iter().filter(|c| text.contains(&format!("\"{c}\""))));
        }
    }
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let table: std::collections::BTreeSet<String> = readme.lines().filter(|l| l.starts_with("| W")).flat_map(warning_codes).collect();
    assert!(in_source.len() >= 12, "{in_source:?}");
    assert_eq!(table, in_source, "README's warning table and the generator's codes differ");
}
