//! The effective settings of every rule for every file of a run: built-in defaults, then the
//! config's `rules`, `select` and `ignore`, then the `per_path` entries a file matches (in
//! order), then the command line. Files that match the same `per_path` entries share a profile.

use std::collections::{BTreeMap, HashMap};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::Config;
use crate::data::DataError;
use crate::finding::Severity;
use crate::rules::engine::RuleSettings;
use crate::rules::eval::OptVal;
use crate::rules::{option_value_like, RuleSet};
use crate::source::tree::Step;

/// A rule's effective settings for one group of files.
#[derive(Clone, Debug)]
struct Effective {
    enabled: bool,
    severity: Severity,
    options: Vec<OptVal>,
}

/// Command-line rule selection.
#[derive(Clone, Debug, Default)]
pub struct CliRules {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
}

/// A `per_path` entry of the config: its compiled globs and its rule settings.
struct PathRules {
    globs: GlobSet,
    rules: BTreeMap<String, serde_json::Value>,
    index: usize,
}

/// Per-rule settings for every file of a run.
#[derive(Clone)]
pub struct Settings {
    /// profiles[p][rule]
    profiles: Vec<Vec<Effective>>,
    /// Profile of each file (index = file id).
    file_profile: Vec<usize>,
}

impl Settings {
    /// Keeps the files whose `keep` is true (file ids are positions: when files are dropped
    /// from a run, their settings go with them).
    pub fn retain_files(&mut self, keep: &[bool]) {
        let mut keep = keep.iter();
        self.file_profile
            .retain(|_| keep.next().copied().unwrap_or(true));
    }

    /// Resolves the settings; `files` are the paths of the run relative to the config folder.
    pub fn new(
        config: &Config,
        rules: &RuleSet,
        cli: &CliRules,
        files: &[String],
    ) -> Result<Settings, Vec<DataError>> {
        let sources = Sources { config, rules, cli };
        // Every problem of the config and the command line is reported, in the file's order.
        let mut errors = Vec::new();
        sources.check_config_selection(&mut errors);
        let base = sources.config_base(&mut errors);
        let path_rules = sources.path_rules(&base, &mut errors);
        sources.check_cli_names(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(sources.profiles(base, &path_rules, files))
    }

    fn profile(&self, file: u32) -> &[Effective] {
        let p = self.file_profile.get(file as usize).copied().unwrap_or(0);
        &self.profiles[p]
    }

    /// Whether the rule is on for findings in this file.
    pub fn enabled(&self, rule: usize, file: u32) -> bool {
        self.profile(file)[rule].enabled
    }

    pub fn severity(&self, rule: usize, file: u32) -> Severity {
        self.profile(file)[rule].severity
    }

    /// The value of a rule's option, when every file of the run has the same (`None` when
    /// `per_path` gives some files another).
    pub fn option_everywhere(&self, rule: usize, option: usize) -> Option<&OptVal> {
        let mut values = self.profiles.iter().map(|p| &p[rule].options[option]);
        let first = values.next()?;
        values.all(|v| v == first).then_some(first)
    }
}

impl RuleSettings for Settings {
    fn runs(&self, rule: usize) -> bool {
        self.profiles.iter().any(|p| p[rule].enabled)
    }

    fn options(&self, rule: usize, file: u32) -> &[OptVal] {
        &self.profile(file)[rule].options
    }
}

/// What the settings are resolved from.
struct Sources<'a> {
    config: &'a Config,
    rules: &'a RuleSet,
    cli: &'a CliRules,
}

impl Sources<'_> {
    /// The index of a rule the config names at `steps`; an unknown name is an error.
    fn known_rule(&self, name: &str, steps: &[Step], errors: &mut Vec<DataError>) -> Option<usize> {
        let index = self.rules.index(name);
        if index.is_none() {
            let hint = self.did_you_mean(name);
            errors.push(self.config.error(
                steps,
                format!("unknown rule `{name}`{hint}; `bridgelint rules` lists them"),
            ));
        }
        index
    }

    /// Applies a setting of rule `i` (at `steps` of the config) to `eff`.
    fn apply(
        &self,
        eff: &mut Effective,
        i: usize,
        setting: &serde_json::Value,
        steps: &[Step],
        errors: &mut Vec<DataError>,
    ) {
        apply_setting(
            eff,
            &self.rules.rules[i],
            setting,
            self.config,
            steps,
            errors,
        );
    }

    fn did_you_mean(&self, name: &str) -> String {
        self.rules
            .closest_name(name)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default()
    }

    /// The config's `select` and `ignore` name existing rules.
    fn check_config_selection(&self, errors: &mut Vec<DataError>) {
        let file = &self.config.file;
        for (i, n) in file.select.iter().flatten().enumerate() {
            self.known_rule(n, &[Step::Key("select".into()), Step::Index(i)], errors);
        }
        for (i, n) in file.ignore.iter().enumerate() {
            self.known_rule(n, &[Step::Key("ignore".into()), Step::Index(i)], errors);
        }
    }

    /// The settings every file starts from: the rules' defaults, the config's `rules`, then
    /// its `select` and `ignore`.
    fn config_base(&self, errors: &mut Vec<DataError>) -> Vec<Effective> {
        let (config, rules) = (self.config, self.rules);
        let mut base: Vec<Effective> = rules
            .rules
            .iter()
            .map(|r| Effective {
                enabled: true,
                severity: r.severity,
                options: r.options.iter().map(|o| o.default.clone()).collect(),
            })
            .collect();
        for (name, setting) in &config.file.rules {
            let steps = vec![Step::Key("rules".into()), Step::Key(name.as_str().into())];
            if let Some(i) = self.known_rule(name, &steps, errors) {
                self.apply(&mut base[i], i, setting, &steps, errors);
            }
        }
        if let Some(select) = &config.file.select {
            for (i, e) in base.iter_mut().enumerate() {
                if !select.contains(&rules.rules[i].name) {
                    e.enabled = false;
                }
            }
        }
        for name in &config.file.ignore {
            if let Some(i) = rules.index(name) {
                base[i].enabled = false;
            }
        }
        base
    }

    /// The config's `per_path` entries, their globs compiled and their settings checked.
    fn path_rules(&self, base: &[Effective], errors: &mut Vec<DataError>) -> Vec<PathRules> {
        let config = self.config;
        let mut path_rules = Vec::new();
        for (pi, pp) in config.file.per_path.iter().enumerate() {
            let mut b = GlobSetBuilder::new();
            for (gi, g) in pp.paths.iter().enumerate() {
                match Glob::new(g) {
                    Ok(g) => {
                        b.add(g);
                    }
                    Err(e) => errors.push(config.error(
                        &[
                            Step::Key("per_path".into()),
                            Step::Index(pi),
                            Step::Key("paths".into()),
                            Step::Index(gi),
                        ],
                        format!("invalid glob: {e}"),
                    )),
                }
            }
            for (name, setting) in &pp.rules {
                let steps = vec![
                    Step::Key("per_path".into()),
                    Step::Index(pi),
                    Step::Key("rules".into()),
                    Step::Key(name.as_str().into()),
                ];
                if let Some(i) = self.known_rule(name, &steps, errors) {
                    // Validate the setting once against a scratch copy.
                    self.apply(&mut base[i].clone(), i, setting, &steps, errors);
                }
            }
            if let Ok(globs) = b.build() {
                path_rules.push(PathRules {
                    globs,
                    rules: pp.rules.clone(),
                    index: pi,
                });
            }
        }
        path_rules
    }

    /// Rule names on the command line must exist.
    fn check_cli_names(&self, errors: &mut Vec<DataError>) {
        for n in self.cli.select.iter().flatten().chain(&self.cli.ignore) {
            if self.rules.index(n).is_none() {
                errors.push(DataError::unlocated(
                    "command line",
                    format!(
                        "unknown rule `{n}`{}; `bridgelint rules` lists them",
                        self.did_you_mean(n)
                    ),
                ));
            }
        }
    }

    /// One profile per set of matched `per_path` entries, and the profile of each file.
    fn profiles(
        &self,
        base: Vec<Effective>,
        path_rules: &[PathRules],
        files: &[String],
    ) -> Settings {
        let mut profiles = vec![self.profile(base.clone(), path_rules, &[])];
        let mut profile_ids: HashMap<Vec<usize>, usize> = HashMap::new();
        profile_ids.insert(Vec::new(), 0);
        let mut file_profile = Vec::with_capacity(files.len());
        for f in files {
            let matched: Vec<usize> = path_rules
                .iter()
                .enumerate()
                .filter(|(_, pr)| pr.globs.is_match(f))
                .map(|(i, _)| i)
                .collect();
            let id = match profile_ids.get(&matched) {
                Some(&id) => id,
                None => {
                    profiles.push(self.profile(base.clone(), path_rules, &matched));
                    profile_ids.insert(matched, profiles.len() - 1);
                    profiles.len() - 1
                }
            };
            file_profile.push(id);
        }
        Settings {
            profiles,
            file_profile,
        }
    }

    /// The settings of files matching the `per_path` entries `matched`: those entries over
    /// `base`, then the command line.
    fn profile(
        &self,
        mut eff: Vec<Effective>,
        path_rules: &[PathRules],
        matched: &[usize],
    ) -> Vec<Effective> {
        let rules = self.rules;
        // The settings were checked already; errors cannot arise here.
        let mut scratch = Vec::new();
        for &m in matched {
            let pr = &path_rules[m];
            for (name, setting) in &pr.rules {
                if let Some(i) = rules.index(name) {
                    let steps = vec![Step::Key("per_path".into()), Step::Index(pr.index)];
                    self.apply(&mut eff[i], i, setting, &steps, &mut scratch);
                }
            }
        }
        if let Some(select) = &self.cli.select {
            for (i, e) in eff.iter_mut().enumerate() {
                e.enabled = select.contains(&rules.rules[i].name);
            }
        }
        for name in &self.cli.ignore {
            if let Some(i) = rules.index(name) {
                eff[i].enabled = false;
            }
        }
        // parse-error cannot be turned off.
        if let Some(i) = rules.index("parse-error") {
            eff[i].enabled = true;
            eff[i].severity = Severity::Error;
        }
        eff
    }
}

/// Applies one rule setting (`off` or a severity, or a mapping of `off`, `severity` and
/// options) at `steps` of the config; what is wrong with it goes to `errors`.
fn apply_setting(
    eff: &mut Effective,
    rule: &crate::rules::Rule,
    setting: &serde_json::Value,
    config: &Config,
    steps: &[Step],
    errors: &mut Vec<DataError>,
) {
    let map = match setting {
        // A bare severity is short for `{ severity: ... }`.
        serde_json::Value::String(_) => {
            if let Some(message) = apply_severity(eff, setting) {
                if !config.refused(steps) {
                    errors.push(config.error(steps, message));
                }
            }
            return;
        }
        serde_json::Value::Object(map) => map,
        // The config schema refuses any other value, at the value: nothing to add here.
        _ => return,
    };
    for (k, v) in map {
        let mut at = steps.to_vec();
        at.push(Step::Key(k.as_str().into()));
        let error = match k.as_str() {
            "off" => {
                if let Some(b) = v.as_bool() {
                    eff.enabled = !b;
                }
                None
            }
            "severity" => apply_severity(eff, v),
            name => apply_option(eff, rule, name, v),
        };
        if let Some(message) = error.filter(|_| !config.refused(&at)) {
            errors.push(config.error(&at, message));
        }
    }
}

/// `severity:` a severity or `off`; the error message when it is neither.
fn apply_severity(eff: &mut Effective, v: &serde_json::Value) -> Option<String> {
    match v.as_str() {
        Some("off") => eff.enabled = false,
        Some(s) => match Severity::parse(s) {
            Some(sev) => {
                eff.severity = sev;
                eff.enabled = true;
            }
            None => return Some(format!("unknown severity `{s}`")),
        },
        None => return Some("severity must be a string".into()),
    }
    None
}

/// An option of the rule; the error message when the rule has no such option or the value
/// has another type than its default.
fn apply_option(
    eff: &mut Effective,
    rule: &crate::rules::Rule,
    name: &str,
    v: &serde_json::Value,
) -> Option<String> {
    let Some(i) = rule.option_index(name) else {
        let names: Vec<&str> = rule.options.iter().map(|o| o.name.as_str()).collect();
        let hint = crate::suggest::closest(name, names.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        let known = if names.is_empty() {
            "it has no options".to_string()
        } else {
            format!("its options: {}", names.join(", "))
        };
        return Some(format!(
            "rule `{}` has no option `{name}`{hint}; {known}",
            rule.name
        ));
    };
    let range = &rule.options[i].range;
    match option_value_like(&rule.options[i].default, v) {
        Some(OptVal::Int(n)) if !range.contains(&n) => {
            return Some(format!(
                "option `{name}` of rule `{}` must be from {} to {}, not {n}",
                rule.name,
                range.start(),
                range.end()
            ))
        }
        Some(val) => eff.options[i] = val,
        None => {
            return Some(format!(
                "option `{name}` of rule `{}` must be {}",
                rule.name,
                describe_opt(&rule.options[i].default)
            ))
        }
    }
    None
}

fn describe_opt(v: &OptVal) -> &'static str {
    match v {
        OptVal::Int(_) => "an integer",
        OptVal::Bool(_) => "`true` or `false`",
        OptVal::Str(_) => "a string",
        OptVal::List(_) => "a list of strings",
    }
}
