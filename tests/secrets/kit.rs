//! Fake credentials: one of every format `leaked-secret` knows, each instance different (a
//! fixed-seed generator), and what of each must never be printed.

/// xorshift64*: every run plants the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A planted secret.
#[derive(Clone, Debug)]
pub struct Secret {
    /// Where and what it is, for messages (`yaml comment github-token`).
    pub label: String,
    /// Its canonical text (a PEM block's lines joined by `\n`).
    pub text: String,
    /// Bytes of `text` that are a fixed, public prefix (`ghp_`), not part of the secret.
    pub prefix: usize,
}

impl Secret {
    /// The texts that must never be printed: each secret line past the prefix (PEM armour
    /// lines are public) and, for a one-line secret, the whole text.
    pub fn needles(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.text.contains('\n') {
            out.push(self.text.clone());
        }
        for line in self.text[self.prefix..].lines() {
            let line = line.trim();
            if !line.starts_with("-----") && !line.is_empty() {
                out.push(line.to_string());
            }
        }
        out
    }

    pub fn lines(&self) -> std::str::Lines<'_> {
        self.text.lines()
    }
}

/// Makes every fake credential, each different, and remembers them all.
pub struct Kit {
    rng: Rng,
    pub all: Vec<Secret>,
}

impl Kit {
    pub fn new() -> Kit {
        Kit {
            rng: Rng(0x5eed_0f5e_c2e7),
            all: Vec::new(),
        }
    }

    fn keep(&mut self, label: &str, prefix: &str, rest: String) -> Secret {
        let s = Secret {
            label: label.to_string(),
            text: format!("{prefix}{rest}"),
            prefix: prefix.len(),
        };
        self.all.push(s.clone());
        s
    }

    /// A literal password (no credential format).
    pub fn password(&mut self, label: &str, text: &str) -> Secret {
        self.keep(label, "", text.to_string())
    }

    pub fn atlassian(&mut self, label: &str) -> Secret {
        let rest = self.rng.chars(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=",
            186,
        );
        self.keep(label, "ATATT3", rest)
    }

    pub fn github(&mut self, label: &str, prefix: &str) -> Secret {
        let rest = self.rng.chars(ALNUM, 36);
        self.keep(label, prefix, rest)
    }

    pub fn github_pat(&mut self, label: &str) -> Secret {
        let rest = self.rng.chars(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_",
            82,
        );
        self.keep(label, "github_pat_", rest)
    }

    pub fn glpat(&mut self, label: &str) -> Secret {
        let rest = self.rng.chars(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
            20,
        );
        self.keep(label, "glpat-", rest)
    }

    pub fn slack_bot(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}-{}-{}",
            self.rng.chars(DIGITS, 12),
            self.rng.chars(DIGITS, 13),
            self.rng.chars(ALNUM, 24)
        );
        self.keep(label, "xoxb-", rest)
    }

    pub fn slack_user(&mut self, label: &str, prefix: &str) -> Secret {
        let rest = format!(
            "{}-{}-{}-{}",
            self.rng.chars(DIGITS, 12),
            self.rng.chars(DIGITS, 12),
            self.rng.chars(DIGITS, 12),
            self.rng.chars(HEX, 32)
        );
        self.keep(label, prefix, rest)
    }

    pub fn azure_devops(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}AZDO{}",
            self.rng.chars(ALNUM, 76),
            self.rng.chars(ALNUM, 4)
        );
        self.keep(label, "", rest)
    }

    pub fn hubspot(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}-{}-{}-{}-{}",
            self.rng.chars(HEX, 8),
            self.rng.chars(HEX, 4),
            self.rng.chars(HEX, 4),
            self.rng.chars(HEX, 4),
            self.rng.chars(HEX, 12)
        );
        self.keep(label, "pat-na1-", rest)
    }

    pub fn jwt(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}.eyJ{}.{}",
            self.rng.chars(ALNUM, 33),
            self.rng.chars(ALNUM, 45),
            self.rng.chars(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                43
            )
        );
        self.keep(label, "eyJ", rest)
    }

    pub fn private_key(&mut self, label: &str) -> Secret {
        let body: Vec<String> = (0..3).map(|_| self.rng.chars(BASE64, 64)).collect();
        let rest = format!("\n{}\n-----END RSA PRIVATE KEY-----", body.join("\n"));
        self.keep(label, "-----BEGIN RSA PRIVATE KEY-----", rest)
    }

    /// One of every format `leaked-secret` knows.
    pub fn every_format(&mut self, place: &str) -> Vec<Secret> {
        let l = |what: &str| format!("{place} {what}");
        vec![
            self.atlassian(&l("atlassian-api-token")),
            self.github(&l("github-token ghp_"), "ghp_"),
            self.github(&l("github-token gho_"), "gho_"),
            self.github(&l("github-token ghu_"), "ghu_"),
            self.github(&l("github-token ghs_"), "ghs_"),
            self.github(&l("github-token ghr_"), "ghr_"),
            self.github_pat(&l("github-fine-grained-token")),
            self.glpat(&l("gitlab-personal-access-token")),
            self.slack_bot(&l("slack-bot-token")),
            self.slack_user(&l("slack-user-token xoxp-"), "xoxp-"),
            self.slack_user(&l("slack-user-token xoxe-"), "xoxe-"),
            self.azure_devops(&l("azure-devops-personal-access-token")),
            self.hubspot(&l("hubspot-private-app-token")),
            self.jwt(&l("json-web-token")),
            self.private_key(&l("private-key")),
        ]
    }
}
