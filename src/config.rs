//! `.bridgelint.yaml`: discovery, validation, and the per-rule settings it produces together
//! with the command line (command line over `per_path` over `rules` over built-in defaults).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::data::{self, error_at, DataError};
use crate::finding::Severity;
use crate::rules::engine::RuleSettings;
use crate::rules::eval::OptVal;
use crate::rules::{option_value_like, RuleSet};
use crate::schema::SchemaKind;
use crate::source::tree::{locate, Node, Step};
use crate::source::Pos;

pub const CONFIG_NAMES: [&str; 2] = [".bridgelint.yaml", ".bridgelint.yml"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub fail_on: Option<String>,
    #[serde(default)]
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub jobs: Option<usize>,
    #[serde(default)]
    pub rules: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub per_path: Vec<PerPathFile>,
    #[serde(default)]
    pub custom_rules: Vec<String>,
    #[serde(default)]
    pub catalogs: Vec<String>,
    #[serde(default)]
    pub secret_reference_schemes: Option<Vec<String>>,
    #[serde(default)]
    pub max_file_size: Option<u64>,
    #[serde(default)]
    pub baseline: Option<String>,
    #[serde(default, rename = "$schema")]
    pub schema: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPathFile {
    pub paths: Vec<String>,
    pub rules: BTreeMap<String, serde_json::Value>,
}

/// A loaded config file.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file, when there is one.
    pub path: Option<PathBuf>,
    /// The folder globs and relative paths are resolved against.
    pub dir: PathBuf,
    pub file: ConfigFile,
    tree: Option<Node<'static>>,
    text: String,
}

/// Finds the config file in a folder (both names present is an error).
pub fn config_in(dir: &Path) -> Result<Option<PathBuf>, DataError> {
    let found: Vec<PathBuf> = CONFIG_NAMES
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        _ => Err(DataError {
            path: dir.join(CONFIG_NAMES[0]).display().to_string(),
            pos: Pos::new(1, 1, 0),
            message: "both .bridgelint.yaml and .bridgelint.yml are present; keep one".into(),
            line_text: String::new(),
        }),
    }
}

impl Config {
    pub fn empty(dir: PathBuf) -> Config {
        Config {
            dir,
            ..Config::default()
        }
    }

    pub fn load(path: &Path) -> Result<Config, Vec<DataError>> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![DataError {
                path: display.clone(),
                pos: Pos::new(1, 1, 0),
                message: format!("cannot read config file: {e}"),
                line_text: String::new(),
            }]
        })?;
        let tree = data::load(&display, &text, SchemaKind::Config)?;
        let file: ConfigFile = if matches!(tree.value, crate::source::Value::Null) {
            ConfigFile::default()
        } else {
            serde_json::from_value(tree.to_json()).map_err(|e| {
                vec![error_at(
                    &display,
                    &text,
                    tree.span.start,
                    format!("invalid config: {e}"),
                )]
            })?
        };
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Config {
            path: Some(path.to_path_buf()),
            dir,
            file,
            tree: Some(tree.into_owned()),
            text,
        })
    }

    fn display(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }

    /// A located error at a route of the config file.
    pub fn error(&self, steps: &[Step], message: impl Into<String>) -> DataError {
        let pos = self
            .tree
            .as_ref()
            .and_then(|t| locate(t, steps).map(|l| l.key_span.unwrap_or(l.node.span).start))
            .unwrap_or(Pos::new(1, 1, 0));
        error_at(&self.display(), &self.text, pos, message)
    }
}

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

struct PathRules {
    globs: GlobSet,
    rules: BTreeMap<String, serde_json::Value>,
    index: usize,
}

/// Per-rule settings for every file of a run.
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
        let mut errors = Vec::new();
        // Rule names on the command line and in the config must exist.
        let check_name = |name: &str, steps: &[Step], errors: &mut Vec<DataError>| {
            if rules.index(name).is_none() {
                let hint = rules
                    .closest_name(name)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                errors.push(config.error(steps, format!("unknown rule `{name}`{hint}")));
            }
        };
        for (i, n) in config.file.select.iter().flatten().enumerate() {
            check_name(
                n,
                &[Step::Key("select".into()), Step::Index(i)],
                &mut errors,
            );
        }
        for (i, n) in config.file.ignore.iter().enumerate() {
            check_name(
                n,
                &[Step::Key("ignore".into()), Step::Index(i)],
                &mut errors,
            );
        }
        let base_steps = |name: &str| vec![Step::Key("rules".into()), Step::Key(name.into())];
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
            let steps = base_steps(name);
            match rules.index(name) {
                Some(i) => apply_setting(
                    &mut base[i],
                    &rules.rules[i],
                    setting,
                    config,
                    &steps,
                    &mut errors,
                ),
                None => check_name(name, &steps, &mut errors),
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
                match rules.index(name) {
                    // Validate the setting once against a scratch copy.
                    Some(i) => apply_setting(
                        &mut base[i].clone(),
                        &rules.rules[i],
                        setting,
                        config,
                        &steps,
                        &mut errors,
                    ),
                    None => check_name(name, &steps, &mut errors),
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
        for n in cli.select.iter().flatten().chain(&cli.ignore) {
            if rules.index(n).is_none() {
                let hint = rules
                    .closest_name(n)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                errors.push(DataError {
                    path: "command line".into(),
                    pos: Pos::new(1, 1, 0),
                    message: format!("unknown rule `{n}`{hint}"),
                    line_text: String::new(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let finish = |mut eff: Vec<Effective>, matched: &[usize]| -> Vec<Effective> {
            let mut scratch = Vec::new();
            for &m in matched {
                let pr = &path_rules[m];
                for (name, setting) in &pr.rules {
                    if let Some(i) = rules.index(name) {
                        let steps = vec![Step::Key("per_path".into()), Step::Index(pr.index)];
                        apply_setting(
                            &mut eff[i],
                            &rules.rules[i],
                            setting,
                            config,
                            &steps,
                            &mut scratch,
                        );
                    }
                }
            }
            if let Some(select) = &cli.select {
                for (i, e) in eff.iter_mut().enumerate() {
                    e.enabled = select.contains(&rules.rules[i].name);
                }
            }
            for name in &cli.ignore {
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
        };
        let mut profiles = vec![finish(base.clone(), &[])];
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
                    profiles.push(finish(base.clone(), &matched));
                    profile_ids.insert(matched, profiles.len() - 1);
                    profiles.len() - 1
                }
            };
            file_profile.push(id);
        }
        Ok(Settings {
            profiles,
            file_profile,
        })
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
}

impl RuleSettings for Settings {
    fn runs(&self, rule: usize) -> bool {
        self.profiles.iter().any(|p| p[rule].enabled)
    }

    fn options(&self, rule: usize, file: u32) -> &[OptVal] {
        &self.profile(file)[rule].options
    }
}

fn apply_setting(
    eff: &mut Effective,
    rule: &crate::rules::Rule,
    setting: &serde_json::Value,
    config: &Config,
    steps: &[Step],
    errors: &mut Vec<DataError>,
) {
    match setting {
        serde_json::Value::String(s) if s == "off" => eff.enabled = false,
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let mut at = steps.to_vec();
                at.push(Step::Key(k.as_str().into()));
                match k.as_str() {
                    "off" => {
                        if let Some(b) = v.as_bool() {
                            eff.enabled = !b;
                        }
                    }
                    "severity" => match v.as_str() {
                        Some("off") => eff.enabled = false,
                        Some(s) => match Severity::parse(s) {
                            Some(sev) => {
                                eff.severity = sev;
                                eff.enabled = true;
                            }
                            None => {
                                errors.push(config.error(&at, format!("unknown severity `{s}`")))
                            }
                        },
                        None => errors.push(config.error(&at, "severity must be a string")),
                    },
                    name => match rule.option_index(name) {
                        Some(i) => match option_value_like(&rule.options[i].default, v) {
                            Some(val) => eff.options[i] = val,
                            None => errors.push(config.error(
                                &at,
                                format!(
                                    "option `{name}` of rule `{}` must be {}",
                                    rule.name,
                                    describe_opt(&rule.options[i].default)
                                ),
                            )),
                        },
                        None => {
                            let names: Vec<&str> =
                                rule.options.iter().map(|o| o.name.as_str()).collect();
                            let hint = crate::suggest::closest(name, names.iter().copied())
                                .map(|s| format!(" (did you mean `{s}`?)"))
                                .unwrap_or_default();
                            let known = if names.is_empty() {
                                "it has no options".to_string()
                            } else {
                                format!("its options: {}", names.join(", "))
                            };
                            errors.push(config.error(
                                &at,
                                format!(
                                    "rule `{}` has no option `{name}`{hint}; {known}",
                                    rule.name
                                ),
                            ));
                        }
                    },
                }
            }
        }
        _ => errors.push(config.error(steps, "a rule setting is `off` or a mapping")),
    }
}

fn describe_opt(v: &OptVal) -> &'static str {
    match v {
        OptVal::Int(_) => "an integer",
        OptVal::Bool(_) => "`true` or `false`",
        OptVal::Str(_) => "a string",
        OptVal::List(_) => "a list of strings",
    }
}
