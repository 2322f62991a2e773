//! The hand-written lists of rules stay in step with the built-in rules: the README's rule
//! table (group → rules) and the count and range of rules/fixtures/README.md. They are prose
//! in a curated order, so they are checked, not generated; each message says what to change
//! (CONTRIBUTING.md, "Add a rule"). And the README's commands work as written: its sample
//! documents pass, its quick-start output is what `check` prints, its install, pre-commit and
//! schema lines can be followed as they stand, and its editor recipes read `compact` output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use bridgelint::rules::RuleSet;

mod support;
use support::{Bin, Scratch};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("reads")
}

/// The names between backticks in a piece of Markdown.
fn quoted(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The rows of README.md's rule table (under "## Rules"), in order: group and rule names.
fn readme_table() -> Vec<(String, Vec<String>)> {
    let readme = read("README.md");
    let section = readme
        .split("\n## Rules\n")
        .nth(1)
        .expect("README.md has a `## Rules` section");
    let rows: Vec<(String, Vec<String>)> = section
        .lines()
        .skip_while(|l| !l.starts_with("| group | rules |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            (cells[1].to_string(), quoted(cells[2]))
        })
        .collect();
    assert!(
        !rows.is_empty(),
        "README.md's `## Rules` section has no `| group | rules |` table"
    );
    rows
}

/// The built-in rules by category (the README's groups), in name order.
fn builtin_by_category(rules: &RuleSet) -> BTreeMap<String, BTreeSet<String>> {
    let mut by = BTreeMap::<String, BTreeSet<String>>::new();
    for rule in &rules.rules {
        by.entry(rule.category.clone())
            .or_default()
            .insert(rule.name.clone());
    }
    by
}

#[test]
fn the_readme_rule_table_lists_every_builtin_rule_in_its_category() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let builtin = builtin_by_category(&rules);
    let mut listed = BTreeMap::<String, BTreeSet<String>>::new();
    let mut problems = Vec::new();
    for (group, names) in readme_table() {
        for name in names {
            if !listed
                .entry(group.clone())
                .or_default()
                .insert(name.clone())
            {
                problems.push(format!("`{name}` is listed twice in the `{group}` row"));
            }
        }
    }
    for (category, names) in &builtin {
        // A rule is listed in the row named after its category (`category:` in its file).
        let row = match listed.contains_key(category) {
            true => format!("the `{category}` row"),
            false => format!("a new `{category}` row"),
        };
        for name in names {
            match listed.iter().find(|(_, l)| l.contains(name)) {
                None => problems.push(format!("`{name}` is missing: add it to {row}")),
                Some((group, _)) if group != category => problems.push(format!(
                    "`{name}` is in the `{group}` row, and its category is `{category}`: move \
                     it to {row}"
                )),
                Some(_) => {}
            }
        }
    }
    for (group, names) in &listed {
        for name in names {
            if !builtin.values().any(|b| b.contains(name)) {
                problems.push(format!(
                    "`{name}` (in the `{group}` row) is no built-in rule: remove it"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "README.md's rule table (`## Rules`) is out of step with rules/*.yaml:\n  {}\n\
         (CONTRIBUTING.md, \"Add a rule\")",
        problems.join("\n  ")
    );
}

/// The sentence of rules/fixtures/README.md that counts the folders.
const SENTENCE: &str = "There is one folder for each of the ";

#[test]
fn the_fixture_readme_counts_the_fixture_folders() {
    let text = read("rules/fixtures/README.md");
    let start = text.find(SENTENCE).unwrap_or_else(|| {
        panic!("rules/fixtures/README.md no longer says `{SENTENCE}N rules …`; restore the sentence or change this test")
    });
    let sentence: String = text[start + SENTENCE.len()..]
        .split_inclusive("clean/`.")
        .next()
        .expect("the sentence")
        .replace('\n', " ");
    let said: usize = sentence
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number of rules after `for each of the`");
    let named = quoted(&sentence);
    let (first, last) = (&named[0], &named[1]);

    let rules = RuleSet::builtin().expect("built-in rules load");
    let folders: BTreeSet<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/fixtures"))
            .expect("lists rules/fixtures")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .filter(|name| name != "clean")
            .collect();
    // Rule folders in the README table's order, which the named range follows.
    let in_order: Vec<String> = readme_table()
        .into_iter()
        .flat_map(|(_, names)| names)
        .filter(|name| folders.contains(name))
        .collect();
    let mut problems = Vec::new();
    if said != folders.len() {
        problems.push(format!(
            "it says {said} rules, and rules/fixtures/ has {} rule folders besides clean/: \
             write {}",
            folders.len(),
            folders.len()
        ));
    }
    if let (Some(f), Some(l)) = (in_order.first(), in_order.last()) {
        if (first, last) != (f, l) {
            problems.push(format!(
                "it names the range `{first}` … `{last}`, and the first and last rules with \
                 a folder, in README.md's rule table order, are `{f}` … `{l}`: write those"
            ));
        }
    }
    for name in &folders {
        if !rules.rules.iter().any(|r| &r.name == name) {
            problems.push(format!(
                "rules/fixtures/{name}/ is named after no built-in rule: rename or remove it"
            ));
        }
    }
    // The sentence goes on: `parse-error`, `unrecognized-document` (named files only, which
    // test-rules' folders are not) and the suppression rules are tested elsewhere.
    let without: Vec<&str> = rules
        .rules
        .iter()
        .filter(|r| !folders.contains(&r.name))
        .filter(|r| !matches!(r.name.as_str(), "parse-error" | "unrecognized-document"))
        .filter(|r| r.category != "suppressions")
        .map(|r| r.name.as_str())
        .collect();
    if !without.is_empty() {
        problems.push(format!(
            "it says only `parse-error`, `unrecognized-document` and the suppression rules \
             have no folder, and these \
             rules have none either: {}; add a folder of annotated fixtures for each",
            without.join(", ")
        ));
    }
    assert!(
        problems.is_empty(),
        "rules/fixtures/README.md (\"{SENTENCE}{said} rules …\") is out of step:\n  {}\n\
         (CONTRIBUTING.md, \"Add a rule\")",
        problems.join("\n  ")
    );
}

/// The fenced blocks (opened by `fence`) of README.md's section `heading`, in order.
fn blocks(readme: &str, heading: &str, fence: &str) -> Vec<String> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README.md lacks {heading}"));
    let section = &readme[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section
        .split(fence)
        .skip(1)
        .map(|b| b[..b.find("```").expect("a closed block")].to_string())
        .collect()
}

#[test]
fn the_readme_sample_documents_pass_check_together() {
    let readme = read("README.md");
    let docs = blocks(&readme, "## The files it reads", "```yaml\n");
    assert_eq!(
        docs.len(),
        2,
        "an Integration and its ServiceAccounts: {docs:?}"
    );
    let s = Scratch::with_files(
        "readme-sample",
        &[("integration.yaml", &docs[0]), ("accounts.yaml", &docs[1])],
    );
    // `check()` runs with `--now 2026-11-27`, the date the README gives.
    let r = s.check().args(["--format", "compact", "."]).run();
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, ""),
        "the README's sample:\n{}",
        r.stderr
    );
}

#[test]
fn the_quick_start_output_is_what_check_prints() {
    let readme = read("README.md");
    let shown = blocks(&readme, "## What it looks like", "```text\n").remove(0);
    let command = "$ bridgelint check --now 2026-11-27 examples/\n";
    let shown = shown
        .strip_prefix(command)
        .expect("the block starts with its command");
    let r = Bin::new()
        .args(["check", "--now", "2026-11-27", "examples/"])
        .current_dir(support::repo())
        .run();
    let printed: BTreeSet<&str> = r.stdout.lines().collect();
    for line in shown.lines().filter(|l| *l != "...") {
        assert!(
            printed.contains(line),
            "README.md shows a line check does not print:\n{line}\n\n{}",
            r.stdout
        );
    }
    assert_eq!(
        shown.lines().last(),
        r.stdout.lines().last(),
        "the summary line"
    );
}

#[test]
fn install_pre_commit_and_schema_lines_work_as_written() {
    let readme = read("README.md");
    assert!(
        readme.contains("`cargo install --locked --path .`"),
        "install with the lock file"
    );
    assert!(
        !readme.contains("cargo install --path"),
        "install with the lock file"
    );
    // The pre-commit `rev` is a tag this repository has, or the text says to use a commit id.
    let rev = readme
        .lines()
        .find_map(|l| l.trim().strip_prefix("rev: "))
        .expect("the pre-commit snippet has a rev");
    let tags = std::process::Command::new("git")
        .args(["tag", "--list"])
        .current_dir(support::repo())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let tagged = tags.lines().any(|t| rev.starts_with(t) && !t.is_empty());
    assert!(
        tagged || (rev.starts_with("<commit id>") && readme.contains("`rev` is the full commit id")),
        "rev `{rev}` is no tag of this repository ({tags:?}) and the README does not say to use a commit id"
    );
    // A schema saved with `>` into a folder: the folder is made first.
    for block in blocks(&readme, "## Editors (command line)", "```sh\n") {
        let mut made: Vec<&str> = Vec::new();
        for line in block.lines().map(str::trim) {
            if let Some(dir) = line.strip_prefix("mkdir -p ") {
                made.push(dir);
            }
            if let Some((_, target)) = line.split_once(" > ") {
                let dir = target.rsplit_once('/').map_or("", |(d, _)| d);
                assert!(
                    dir.is_empty() || made.contains(&dir),
                    "`{line}` needs `mkdir -p {dir}` first"
                );
            }
        }
    }
}

// ---------------------------------------------------------------- editor recipes

/// The string literal that follows `marker` in `block` (up to the next `quote`).
fn literal_after(block: &str, marker: &str, quote: char) -> String {
    let at = block
        .find(marker)
        .unwrap_or_else(|| panic!("the recipe lacks {marker:?}"));
    let rest = &block[at + marker.len()..];
    let rest = &rest[rest.find(quote).expect("a literal") + 1..];
    rest[..rest.find(quote).expect("a closed literal")].to_string()
}

/// What each finding of a `json` report says, as a recipe should read its `compact` line:
/// path, line, column, severity, rule and message, tab-separated.
fn expected_fields(report: &serde_json::Value) -> Vec<String> {
    support::diagnostics(report)
        .iter()
        .map(|d| {
            let f = |k: &str| d[k].as_str().expect(k).to_string();
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                f("path"),
                d["start"]["line"],
                d["start"]["column"],
                f("severity"),
                f("rule"),
                f("message")
            )
        })
        .collect()
}

/// The README's editor recipes read `compact` output of a buffer whose path holds `:` (and of
/// a related file, which the recipes must tell apart from the buffer): the VS Code problem
/// matcher with its regular expression, nvim-lint's Lua pattern and ALE's Vim pattern in
/// Neovim itself (`string.match`, and `matchlist` as `ale#util#GetMatches` calls it).
#[test]
fn editor_recipes_read_compact_output_on_a_path_holding_a_colon() {
    let readme = read("README.md");
    let s = Scratch::project("recipes");
    let buffer = "team:a/docs:1:2.yaml";
    let text = read("examples/integrations/github-jira-docs-prod.yaml");
    s.write(buffer, &text);
    s.write(
        "team:a/accounts.yaml",
        read("examples/accounts/service-accounts.yaml"),
    );
    let run = |format: &str| {
        s.check()
            .args(["--format", format, "--stdin-filename", buffer])
            .stdin(&text)
            .run()
    };
    let compact = run("compact").stdout;
    let expected = expected_fields(&run("json").json());
    assert_eq!(compact.lines().count(), expected.len(), "{compact}");
    for path in [buffer, "team:a/accounts.yaml"] {
        assert!(
            expected.iter().any(|e| e.starts_with(&format!("{path}\t"))),
            "the case needs findings in {path}: {expected:#?}"
        );
    }

    // VS Code: the problem matcher's regular expression (JavaScript's syntax, which the
    // `regex` crate reads alike for this one).
    let tasks: serde_json::Value =
        serde_json::from_str(&blocks(&readme, "## Editors (command line)", "```json\n")[0])
            .expect("tasks.json is JSON");
    let pattern = &tasks["tasks"][0]["problemMatcher"]["pattern"];
    let re = regex::Regex::new(pattern["regexp"].as_str().expect("regexp")).expect("compiles");
    let group = |k: &str| pattern[k].as_u64().expect(k) as usize;
    let vscode: Vec<String> = compact
        .lines()
        .map(|l| {
            let c = re
                .captures(l)
                .unwrap_or_else(|| panic!("VS Code: no match: {l}"));
            ["file", "line", "column", "severity", "code", "message"]
                .map(|k| c[group(k)].to_string())
                .join("\t")
        })
        .collect();
    assert_eq!(vscode, expected, "the VS Code problem matcher");

    neovim_recipes(&readme, &s, &compact, &expected);
}

/// nvim-lint's and ALE's patterns, run by Neovim on the `compact` lines.
fn neovim_recipes(readme: &str, s: &Scratch, compact: &str, expected: &[String]) {
    let Some(nvim) = support::external_tool(
        "editor_recipes_read_compact_output_on_a_path_holding_a_colon",
        "Neovim (Debian's neovim)",
        "BRIDGELINT_NVIM",
        &["/usr/bin/nvim"],
    ) else {
        return;
    };
    let lua_blocks = blocks(readme, "## Editors (command line)", "```lua\n");
    let lua = literal_after(&lua_blocks[0], "from_pattern(", '"');
    let vim = literal_after(
        &blocks(readme, "## Editors (command line)", "```vim\n")[0],
        "GetMatches(a:lines,",
        '\'',
    );
    let input = s.write("compact.txt", compact);
    let output = s.path("parsed.txt");
    let script = s.write(
        "parse.lua",
        r#"local out = {}
for _, line in ipairs(vim.fn.readfile(os.getenv("RECIPE_INPUT"))) do
  table.insert(out, "nvim-lint\t" .. table.concat({ string.match(line, os.getenv("RECIPE_LUA")) }, "\t"))
  local m = vim.fn.matchlist(line, os.getenv("RECIPE_VIM"))
  table.insert(out, "ale\t" .. table.concat({ unpack(m, 2, 7) }, "\t"))
end
vim.fn.writefile(out, os.getenv("RECIPE_OUTPUT"))
vim.cmd("qa!")
"#,
    );
    let status = std::process::Command::new("timeout")
        .arg("60")
        .arg(nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("RECIPE_INPUT", &input)
        .env("RECIPE_OUTPUT", &output)
        .env("RECIPE_LUA", &lua)
        .env("RECIPE_VIM", &vim)
        .env("HOME", &s.dir)
        .stdin(std::process::Stdio::null())
        .status()
        .expect("nvim starts");
    assert!(status.success(), "nvim: {status}");
    let parsed = std::fs::read_to_string(&output).expect("nvim wrote the captures");
    for recipe in ["nvim-lint", "ale"] {
        let got: Vec<&str> = parsed
            .lines()
            .filter_map(|l| l.strip_prefix(recipe)?.strip_prefix('\t'))
            .collect();
        assert_eq!(got, expected, "the {recipe} recipe ({lua:?} / {vim:?})");
    }
}
