//! Bytes (invalid UTF-8, NUL, the size limit), syntax errors, empty streams, comments, and
//! "the key of the mapping".

use super::*;

// ---------------------------------------------------------------------------------------------
// Bytes: invalid UTF-8, NUL, sizes
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_is_unreadable_at_the_first_bad_byte() {
    let bytes = b"apiVersion: bridgelint/v1\nk: \xc3\xa9\xff\n".to_vec();
    match classify(bytes, &Limits::default()) {
        ReadOutcome::Unreadable { message, pos: p } => {
            assert!(message.contains("UTF-8"), "{message}");
            assert_eq!(p, pos(2, 5, 31));
        }
        _ => panic!("invalid UTF-8 must be unreadable"),
    }
    // With a BOM on the only line: the BOM is not a column, but counts in the offset.
    let bytes = b"\xef\xbb\xbfapiVersion: bridgelint/v1 \xff".to_vec();
    match classify(bytes, &Limits::default()) {
        ReadOutcome::Unreadable { pos: p, .. } => assert_eq!(p, pos(1, 27, 29)),
        _ => panic!("invalid UTF-8 must be unreadable"),
    }
}

#[test]
fn classify_skips_files_without_the_marker_and_keeps_text_with_it() {
    assert!(matches!(
        classify(b"a: \xff\n".to_vec(), &Limits::default()),
        ReadOutcome::NotOurs
    ));
    match classify(b"apiVersion: bridgelint/v1\n".to_vec(), &Limits::default()) {
        ReadOutcome::Text(t) => assert_eq!(t, "apiVersion: bridgelint/v1\n"),
        _ => panic!("valid text with the marker is text"),
    }
}

#[test]
fn classify_applies_the_size_limit() {
    let limits = Limits {
        max_file_size: 1024,
        ..Limits::default()
    };
    let mut ours = b"apiVersion: bridgelint/v1\n".to_vec();
    ours.resize(1025, b'#');
    match classify(ours, &limits) {
        ReadOutcome::Unreadable { message, pos: p } => {
            assert!(message.contains("1024"), "{message}");
            assert!(message.contains("--max-file-size"), "{message}");
            assert_eq!(p, pos(1, 1, 0));
        }
        _ => panic!("an oversized file of ours is unreadable"),
    }
    let mut exact = b"apiVersion: bridgelint/v1\n".to_vec();
    exact.resize(1024, b'#');
    assert!(matches!(classify(exact, &limits), ReadOutcome::Text(_)));
    let other = vec![b'#'; 2048];
    assert!(matches!(classify(other, &limits), ReadOutcome::NotOurs));
}

#[test]
fn nul_bytes_are_binary_content_at_the_nul() {
    let e = yaml_err("a: 1\nb: x\0y\n", &Limits::default());
    assert_eq!(e.pos, pos(2, 5, 9));
    assert!(e.message.contains("NUL"), "{e:?}");
    let e = json_err("{\"a\": \"é\0\"}");
    assert_eq!(e.pos, pos(1, 9, 9));
}

#[test]
fn yaml_syntax_errors_have_positions() {
    let e = yaml_err("a: [1, 2\nb: 3\n", &Limits::default());
    assert_eq!(e.pos.line, 2, "{e:?}");
    assert!(e.message.starts_with("invalid YAML"), "{e:?}");
    let e = yaml_err("a:\n\tb: 1\n", &Limits::default());
    assert_eq!(e.pos.line, 2, "{e:?}");
}

#[test]
fn empty_streams_and_documents() {
    assert!(yaml("").documents.is_empty());
    assert!(yaml("# only a comment\n").documents.is_empty());
    let f = yaml("---\n---\na: 1\n");
    assert_eq!(f.documents.len(), 2);
    assert!(matches!(f.documents[0].root.value, Value::Null));
}

#[test]
fn comments_are_collected_with_spans() {
    let text = "# top\r\na: 1 # é c\r\nb: 2\n";
    let f = yaml(text);
    assert_eq!(f.comments.len(), 2);
    assert_eq!(f.comments[0].span, span((1, 1, 0), (1, 6, 5)));
    assert_eq!(&*f.comments[0].text, " top");
    assert_eq!(f.comments[1].span, span((2, 6, 12), (2, 11, 18)));
    assert_eq!(&*f.comments[1].text, " é c");
}

// ---------------------------------------------------------------------------------------------
// "The key of the mapping" (rules.md, Precise semantics)
// ---------------------------------------------------------------------------------------------

#[test]
fn key_of_mapping_is_the_key_it_sits_under_or_a_sequence_items_first_key() {
    let text = "connections:\n  jira:\n    credential:\n      type: api-token\nflows:\n  - from: jira\n    to: ado\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let cred = locate(root, &steps("connections/jira/credential")).expect("found");
    assert_eq!(cred.key, Some("credential"));
    assert_eq!(cred.key_of_mapping(), span((3, 5, 25), (3, 15, 35)));
    let item = locate(root, &steps("flows/0")).expect("found");
    assert!(item.in_sequence);
    assert_eq!(item.key_of_mapping(), span((6, 5, 70), (6, 9, 74)));
    assert_eq!(item.node.span.start, pos(6, 5, 70));
    assert!(locate(root, &steps("flows/1")).is_none());
    assert!(locate(root, &steps("nope")).is_none());
}
