//! The expression compiler's errors: every message it can give, with the offset it points at.
//!
//! Each row compiles one expression through the API the rule loader uses and compares the whole
//! message and its offset, so a reworded message or a moved position fails its row. The rows
//! over whole rule files check what the loader adds around a message (the field, the snippet,
//! the template part) and the template compiler's own errors.

mod support;

use bridgelint::model::fields::Kind;
use bridgelint::rules::expr::{compile, ExprError, Scope, T};
use support::Scratch;

/// The options the expressions below may read: one of each option type.
fn options() -> Vec<(String, T)> {
    vec![
        ("max_age_days".into(), T::Int),
        ("prefix".into(), T::Str),
        ("teams".into(), T::List(Box::new(T::Str))),
    ]
}

/// (expression over an account, offset of the error, message).
const CASES: &[(&str, usize, &str)] = &[
    // Lexer.
    ("99999999999999999999", 0, "number too large"),
    ("owner == \"abc", 9, "unterminated string"),
    ("!owner", 0, "unexpected `!` (use `not` for negation)"),
    ("uses * 2", 5, "unexpected `*` (the language has no multiplication)"),
    ("owner == #", 9, "unexpected character `#`"),
    // Syntax.
    ("owner owner", 6, "unexpected text after the expression"),
    ("owner ==", 8, "unexpected end of the expression"),
    (")", 0, "unexpected `)`"),
    ("(owner == null", 14, "expected `)`"),
    ("[1 2]", 3, "expected `,` or `]`"),
    ("len(owner owner)", 10, "expected `,` or `)`"),
    ("if owner == null 1", 17, "expected `then`"),
    ("if owner == null then 1", 23, "expected `else`"),
    ("owner.", 6, "expected a field name after `.`"),
    ("options max_age_days", 8, "expected `.` after `options` (options.NAME)"),
    ("options.1", 8, "expected an option name after `options.`"),
    ("any(uses, 1 => true)", 10, "expected `name => expression`"),
    // Conditions.
    ("if 1 then 2 else 3", 3, "the condition of `if` must be a condition (bool), not an integer"),
    ("1 or true", 0, "the left side of `or` must be a condition (bool), not an integer"),
    ("true or 1", 8, "the right side of `or` must be a condition (bool), not an integer"),
    ("1 and true", 0, "the left side of `and` must be a condition (bool), not an integer"),
    ("true and \"x\"", 9, "the right side of `and` must be a condition (bool), not a string"),
    ("not owner", 4, "the operand of `not` must be a condition (bool), not a string"),
    // Operators.
    ("owner in 3", 6, "`in` needs a list (or string) on its right, of the left side's type; found a string in an integer"),
    ("owner not in uses", 10, "`not in` needs a list (or string) on its right, of the left side's type; found a string in a list of connections"),
    ("owner < 3", 6, "cannot order a string and an integer"),
    ("uses < uses", 5, "cannot order a list of connections and a list of connections"),
    ("system_info < 1", 12, "cannot order a system and an integer"),
    ("owner == 3", 6, "cannot compare a string with an integer"),
    ("inline == \"x\"", 7, "cannot compare a bool with a string"),
    ("reviewed + reviewed", 9, "cannot apply `+` to a date and a date"),
    ("owner - 1", 6, "cannot apply `-` to a string and an integer"),
    ("null + null", 5, "cannot apply `+` to null and null"),
    ("[[1]] < 1", 6, "cannot order a list of lists of integers and an integer"),
    ("-owner", 0, "`-` needs a number, not a string"),
    // Names.
    ("ownr", 0, "an account has no field `ownr` (did you mean `owner`?)"),
    ("zzzzzz", 0, "an account has no field `zzzzzz`"),
    ("teams in owner", 0, "an account has no field `teams` (did you mean `options.teams`?)"),
    ("system_info.nme", 12, "a system has no field `nme` (did you mean `name`?)"),
    ("owner.x", 6, "`x`: a string has no fields"),
    ("uses.id", 5, "`id`: a list of connections has no fields (to read its items' `id`, use `map`, `any` or `first`)"),
    ("options.max_age", 8, "the rule declares no option `max_age`"),
    ("options.prefx", 8, "the rule declares no option `prefx` (did you mean `prefix`?)"),
    ("lenn(owner)", 0, "unknown function `lenn` (did you mean `len`?)"),
    // Function calls.
    ("len(owner, owner)", 0, "`len` takes 1 argument"),
    ("matches(owner)", 0, "`matches` takes 2 arguments"),
    ("len(1)", 0, "argument 1 of `len` must be a list or string, not an integer"),
    ("starts_with(owner, 1)", 0, "argument 2 of `starts_with` must be a string, not an integer"),
    ("first(owner)", 0, "argument 1 of `first` must be a list, not a string"),
    ("days_since(owner)", 0, "argument 1 of `days_since` must be a date, not a string"),
    ("contains_any(owner, [1])", 0, "argument 2 of `contains_any` must be a list of strings, not a list of integers"),
    ("count(owner, x => x)", 0, "argument 1 of `count` must be a list, not a string (count(string, part): occurrences; count(list, x => condition): items that satisfy it)"),
    ("count(uses, 1)", 0, "argument 1 of `count` must be a string, not a list of connections (count(string, part): occurrences; count(list, x => condition): items that satisfy it)"),
    ("matches(owner, owner)", 0, "the regex of `matches` must be a string literal"),
    ("matches(owner, \"(\")", 0, "invalid regex: regex parse error:\n    (\n    ^\nerror: unclosed group"),
    ("any(uses, true)", 0, "argument 2 of `any` must be `x => expression`"),
    ("any(uses, c => c.id)", 0, "the body of `any` must be a condition (bool), not a string"),
    ("key(1)", 0, "`key` takes a field, e.g. key(rotation)"),
];

/// Errors of size: nesting while parsing (three ways to nest), operator chains, and the depth
/// of the compiled tree. (expression, offset, message).
fn size_cases() -> Vec<(String, usize, &'static str)> {
    let or_chain = |n: usize| vec!["true"; n].join(" or ");
    vec![
        (
            format!("{}1{}", "(".repeat(65), ")".repeat(65)),
            64,
            "expression nested more than 64 levels deep",
        ),
        (
            format!("{}true", "not ".repeat(65)),
            256,
            "expression nested more than 64 levels deep",
        ),
        (
            format!("{}1", "-".repeat(65)),
            63,
            "expression nested more than 64 levels deep",
        ),
        (or_chain(257), 2045, "more than 256 operands in one chain"),
        (
            format!("({}) or {}", or_chain(200), or_chain(100)),
            0,
            "expression nested more than 256 levels deep",
        ),
    ]
}

/// Compiles an expression over an account, with the options above.
fn compile_over_account(src: &str) -> Result<(), ExprError> {
    let options = options();
    let scope = Scope {
        subject: Kind::Account,
        options: &options,
    };
    compile(src, &scope).map(|_| ())
}

#[test]
fn every_compiler_error_has_its_message_and_position() {
    let cases = CASES
        .iter()
        .map(|&(src, offset, message)| (src.to_string(), offset, message))
        .chain(size_cases());
    let mut wrong = Vec::new();
    for (src, offset, message) in cases {
        match compile_over_account(&src) {
            Ok(_) => wrong.push(format!("{src:?} compiles")),
            Err(e) if (e.offset, e.message.as_str()) != (offset, message) => {
                wrong.push(format!("({src:?}, {}, {:?}),", e.offset, e.message));
            }
            Err(_) => {}
        }
    }
    assert!(wrong.is_empty(), "got instead:\n{}", wrong.join("\n"));
}

/// The boundaries of the size limits compile: the errors above are the limits, not earlier.
#[test]
fn the_size_limits_are_where_the_messages_say() {
    let ok = [
        format!("{}1{}", "(".repeat(63), ")".repeat(63)),
        vec!["true"; 256].join(" or "),
    ];
    for src in ok {
        if let Err(e) = compile_over_account(&src) {
            panic!("{}...: {}", &src[..20], e.message);
        }
    }
}

/// A custom rule over accounts whose check has these keys besides `for_each`.
fn rule_file(check: &[&str]) -> String {
    let mut text = String::from(
        "name: probe\nseverity: error\nsummary: s\nexplanation: e\ncheck:\n  for_each: accounts\n",
    );
    for line in check {
        text.push_str(&format!("  {line}\n"));
    }
    text
}

/// (the check's keys, the loader's whole error).
const RULE_CASES: &[(&[&str], &str)] = &[
    (
        &["where: 'ownr == null'", "message: m"],
        "policy/probe.yaml:7:10: `where`: an account has no field `ownr` (did you mean `owner`?) (at `ownr == null`)\n    |   where: 'ownr == null'",
    ),
    (
        &["where: 'owner == null or'", "message: m"],
        "policy/probe.yaml:7:10: `where`: unexpected end of the expression (at `end`)\n    |   where: 'owner == null or'",
    ),
    (
        &["where: 'owner'", "message: m"],
        "policy/probe.yaml:7:10: `where` must be a condition (bool), not a string\n    |   where: 'owner'",
    ),
    (
        &["where: 'true'", "message: '{ownr}'"],
        "policy/probe.yaml:8:12: `message`: an account has no field `ownr` (did you mean `owner`?) (in `{ownr}`)\n    |   message: '{ownr}'",
    ),
    (
        &["where: 'true'", "message: 'a } b'"],
        "policy/probe.yaml:8:12: `message`: unmatched `}` (write `}}` for a brace)\n    |   message: 'a } b'",
    ),
    (
        &["where: 'true'", "message: '{owner'"],
        "policy/probe.yaml:8:12: `message`: unclosed `{`\n    |   message: '{owner'",
    ),
    (
        &["where: 'true'", "message: m", "related: uses", "related_message: '{item.nme}'"],
        "policy/probe.yaml:10:20: `related_message`: a connection has no field `nme` (in `{item.nme}`)\n    |   related_message: '{item.nme}'",
    ),
];

#[test]
fn the_loader_locates_expression_errors_in_the_rule_file() {
    let mut wrong = Vec::new();
    for &(check, expected) in RULE_CASES {
        let text = rule_file(check);
        let got = match bridgelint::rules::load_rule("policy/probe.yaml", &text, false) {
            Ok(_) => "loads".to_string(),
            Err(errors) => errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        if got != expected {
            wrong.push(format!("{check:?}:\n{got}"));
        }
    }
    assert!(wrong.is_empty(), "got instead:\n{}", wrong.join("\n\n"));
}

/// A custom rule whose message holds each function's value over one connection (and some
/// literals), run through the binary: what every function gives, null and invalid arguments
/// included (the Integration's `name` breaks the schema, so it is invalid and prints `?`).
const PROBE_RULE: &str = r#"name: probe
severity: info
summary: Every function's value.
explanation: One message with each function's result.
check:
  for_each: connections
  where: id == "jira"
  at: key(credential)
  message: >-
    len={len(credential.scopes)},{len(id)} lower={lower(integration.name)} upper={upper(id)}
    matches={matches(id, "^j.r")},{matches(id, "x")}
    contains={contains(id, "ir")},{contains(credential.scopes, "write")},{contains(credential.scopes, "x")}
    starts={starts_with(id, "ji")},{starts_with(id, "x")} ends={ends_with(id, "ra")},{ends_with(id, "x")}
    contains_any={contains_any(id, ["zz", "ra"])},{contains_any(id, ["zz"])}
    count={count("a.b.c", ".")},{count("abc", "")},{count(credential.scopes, s => s != "read")}
    before={before("a://b", "://")},{before("ab", ":")} after={after("a://b", "://")},{after("ab", ":")}
    any={any(credential.scopes, s => s == "admin")},{any(credential.scopes, s => s == "x")}
    all={all(credential.scopes, s => len(s) > 4)},{all(credential.scopes, s => len(s) > 3)}
    filter={join(filter(credential.scopes, s => s != "read"), "+")} map={join(map(credential.scopes, s => upper(s)), "+")}
    first={first(credential.scopes)},{first(filter(credential.scopes, s => starts_with(s, "w")))},{first(filter(credential.scopes, s => s == "x"))},{first([])}
    max={max(credential.scopes)},{max([3, null, 7, 5])},{max([])} min={min(credential.scopes)},{min([3, null, 7, 5])}
    join={join(credential.scopes, "/")},{join([1, 2], "")}
    days_since={days_since(credential.created)} days_between={days_between(credential.created, credential.expires)}
    secret_ref={is_secret_reference(credential.secret)},{is_secret_reference("hunter2")}
    redact={redact("abcdefghijkl")} scheme={url_scheme("https://x.example")},{url_scheme("x")}
    userinfo={url_has_userinfo("https://a:b@x.example")},{url_has_userinfo("https://x.example")}
    redact_url={redact_url("https://bot:hunter2@x.example/p")}
    exists={exists(system)},{exists(account.owner)},{exists(credential.private_key)},{exists(integration.name)}
    nulls={lower(credential.private_key)},{len(credential.private_key)},{days_since(credential.rotation.last_rotated)}
"#;

const PROBE_INTEGRATION: &str = "apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: Jira-ADO
  owner: team-platform
  environment: prod
connections:
  jira:
    system: jira-cloud
    url: https://jira.acme.example
    account: svc-jira
    credential:
      type: api-token
      secret: env:JIRA_TOKEN
      scopes: [read, write, admin]
      created: 2026-01-01
      expires: 2026-12-31
";

/// The probe's finding: where `key(credential)` points, and each `name=values` of its message.
const PROBE_FINDING: &[&str] = &[
    "integration.yaml:12:5: info[probe]",
    "len=3,4",
    "lower=?",
    "upper=JIRA",
    "matches=true,false",
    "contains=true,true,false",
    "starts=true,false",
    "ends=true,false",
    "contains_any=true,false",
    "count=2,none,2",
    "before=a,none",
    "after=b,none",
    "any=true,false",
    "all=false,true",
    "filter=write+admin",
    "map=READ+WRITE+ADMIN",
    "first=read,write,none,none",
    "max=write,7,none",
    "min=admin,3",
    "join=read/write/admin,12",
    "days_since=330",
    "days_between=364",
    "secret_ref=true,false",
    "redact=****",
    "scheme=https,",
    "userinfo=true,false",
    "redact_url=https://****@x.example/p",
    "exists=true,false,false,?",
    "nulls=none,none,none",
];

#[test]
fn every_function_evaluates_as_documented() {
    let s = Scratch::with_files(
        "expressions",
        &[
            ("rules/probe.yaml", PROBE_RULE),
            ("integration.yaml", PROBE_INTEGRATION),
        ],
    );
    let r = s
        .check()
        .args(["--rules", "rules"])
        .format("compact")
        .arg("integration.yaml")
        .run();
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("[probe]"))
        .unwrap_or("");
    let (location, message) = line.split_once("] ").unwrap_or((line, ""));
    let got: Vec<String> = std::iter::once(format!("{location}]"))
        .chain(message.split(' ').map(str::to_string))
        .collect();
    assert_eq!(got, PROBE_FINDING, "{}{}", r.stdout, r.stderr);
}
