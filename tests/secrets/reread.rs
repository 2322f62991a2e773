//! One read per file (issue 20, item 4): `human` excerpts are cut only from the text whose
//! redactions were computed. A file changed between the per-file phase and the report (an
//! editor saving, a formatter) prints no excerpt rather than text the redactor never saw.
//!
//! The change has to fall between two phases of one run, so this test drives the library
//! (`prepare`, `run`, then `render`) the way the binary does, and edits the file in between.

use bridgelint::report::{render, Format, Style};

use super::decoded::{BODY, HEAD};
use super::detect::Needles;
use super::kit::Kit;
use super::support::Scratch;

fn human_after(s: &Scratch, edit: impl FnOnce()) -> String {
    let outcome = super::library_run(s, false);
    edit();
    render(&outcome.report, Format::Human, &Style { color: false })
}

#[test]
fn a_file_changed_after_it_was_checked_prints_no_new_text() {
    let mut kit = Kit::new();
    let token = kit.github("written after the check", "ghp_");
    // `url: http://...` is an insecure-url finding; its line is what the excerpt shows.
    let filler = "a".repeat(token.text.len());
    let before = format!(
        "{HEAD}connections:\n  jira:\n{}",
        BODY.replace("https://jira.example", &format!("http://{filler}"))
    );
    let after = before.replace(&filler, &token.text);
    assert_eq!(before.len(), after.len(), "the edit keeps every offset");
    let s = Scratch::project("reread");
    s.write("i.yaml", &before);

    let unchanged = human_after(&s, || {});
    assert!(
        unchanged.contains(&format!("url: http://{filler}")),
        "an unchanged file shows its excerpt:\n{unchanged}"
    );

    let changed = human_after(&s, || {
        s.write("i.yaml", &after);
    });
    let leaks = Needles::new(std::slice::from_ref(&token)).leaks(&changed);
    assert!(
        leaks.is_empty(),
        "text written after the check is printed: {leaks:?}"
    );
    assert!(
        changed.contains("insecure-url"),
        "the finding is still reported:\n{changed}"
    );
    assert!(
        !changed.contains("url: http://"),
        "no excerpt of a changed file:\n{changed}"
    );
}
