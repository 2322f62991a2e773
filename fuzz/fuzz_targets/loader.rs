//! Bytes → the reading stage (`classify`: size limit, marker test, UTF-8) → both parsers.
//!
//! Every input must give `Ok` or `Err`; a panic, a hang or a blow-up of memory is a bug. Spans
//! of a parsed tree must be ordered and lie within the text.
#![no_main]

use bridgelint::source::read::{classify, ReadOutcome};
use bridgelint::source::tree::{Node, Value};
use bridgelint::source::{parse, Limits, Span, Syntax};
use libfuzzer_sys::fuzz_target;

fn check_span(span: &Span, len: usize) {
    assert!(
        span.start.offset <= span.end.offset,
        "span {span:?} ends before it starts"
    );
    assert!(
        span.end.offset as usize <= len,
        "span {span:?} beyond the text ({len} bytes)"
    );
    assert!(
        span.start.line >= 1 && span.start.column >= 1,
        "span {span:?} is not 1-based"
    );
}

fn check_node(node: &Node, len: usize) {
    // Iterative: a deep tree must not overflow the fuzzer's stack.
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        check_span(&n.span, len);
        match &n.value {
            Value::Seq(items) => todo.extend(items.iter()),
            Value::Map(entries) => {
                for e in entries {
                    check_span(&e.key_span, len);
                    todo.push(&e.value);
                }
            }
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // A small size limit as well, so that the oversized path is exercised too.
    for max_file_size in [1 << 20, 64] {
        let limits = Limits {
            max_file_size,
            ..Limits::default()
        };
        let _ = classify(data.to_vec(), &limits);
    }
    let limits = Limits::default();
    // Parse even without the marker: the parsers must cope with anything.
    let text = match classify(data.to_vec(), &limits) {
        ReadOutcome::Text(t) => t,
        _ => String::from_utf8_lossy(data).into_owned(),
    };
    for syntax in [Syntax::Yaml, Syntax::Json] {
        for comments in [false, true] {
            if let Ok(file) = parse(&text, syntax, &limits, comments) {
                for doc in &file.documents {
                    check_node(&doc.root, text.len());
                    for p in &doc.problems {
                        check_span(&p.span, text.len());
                    }
                }
                for c in &file.comments {
                    check_span(&c.span, text.len());
                }
            }
        }
    }
});
