//! The fixture project's documents: an inventory and an integration with a row of every
//! status, values that need escaping in every format, and secrets that none may print.

/// Values that must never be printed: literal credential fields, a copy of one, a token.
pub const PLAINTEXT_SECRET: &str = "FAKE-plaintext-s3cret-value";
pub const PRIVATE_KEY: &str = "FAKE-private-key-material";
pub const CLIENT_ID: &str = "FAKE-client-id-0042";
pub const GITHUB_TOKEN: &str = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

pub const ACCOUNTS: &str = r#"apiVersion: bridgelint/v1
kind: ServiceAccounts
accounts:
  acc-ok:
    system: jira-cloud
    type: service
    username: sync-ok@example.test
    owner: team-a
    purpose: "Plain, with a comma | a pipe and a \"quote\""
    reviewed: 2026-11-01
    tested: 2026-11-02
  acc-expiry-soon:
    system: jira-cloud
    type: service
    username: sync-exp@example.test
    owner: "<script>alert(1)</script>"
    purpose: '=HYPERLINK("http://evil.example","click")'
  acc-rotation-soon:
    system: jira-cloud
    type: service
    username: sync-rot@example.test
    owner: "+team"
    purpose: "@SUM(A1)"
  acc-overdue:
    system: jira-cloud
    type: service
    username: "-1+1"
    owner: team-b
    purpose: Two connections, both overdue
  acc-expired:
    system: jira-cloud
    type: service
    username: sync-old@example.test
    owner: team-b
    purpose: Expired yesterday
  acc-edge:
    system: jira-cloud
    type: service
    username: sync-edge@example.test
    owner: team-c
    purpose: "Line one\nline two"
  acc-app:
    system: github
    type: bot
    username: "fixture[bot]"
    owner: team-c
    purpose: GitHub App installation
  acc-unused:
    system: zendesk
    type: service
    username: sync-unused@example.test
    owner: "owner FAKE-plaintext-s3cret-value"
    purpose: "Leaked ghp_0123456789abcdefghijABCDEFGHIJ012345 here"
    reviewed: 2026-06-30
"#;

pub const INTEGRATION: &str = r#"apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: fixture-int
  owner: team-a
connections:
  ok:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-ok
    credential:
      type: api-token
      secret: env:A
      expires: 2027-11-15
      rotation: { interval_days: 90, last_rotated: 2026-11-16 }
  expiry-soon:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-expiry-soon
    credential:
      type: api-token
      secret: env:B
      expires: 2026-12-20
      rotation: { interval_days: 365, last_rotated: 2026-11-01 }
  rotation-soon:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-rotation-soon
    credential:
      type: api-token
      secret: env:C
      expires: 2027-10-01
      rotation: { interval_days: 30, last_rotated: 2026-11-10 }
  overdue:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-overdue
    credential:
      type: api-token
      secret: env:D
      expires: 2027-06-01
      rotation: { interval_days: 30, last_rotated: 2026-09-01 }
  never-rotated:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-overdue
    credential:
      type: api-token
      secret: env:E
      rotation: { interval_days: 90 }
  expired:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-expired
    credential:
      type: password
      secret: "FAKE-plaintext-s3cret-value"
      expires: 2026-11-26
      rotation: { interval_days: 30, last_rotated: 2026-01-01 }
  expires-today:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-edge
    credential:
      type: api-token
      secret: env:F
      expires: 2026-11-27
  expires-day-31:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-edge
    credential:
      type: api-token
      secret: env:G
      expires: 2026-12-28
  app:
    system: github
    url: https://github.com/acme/web
    account: acc-app
    credential:
      type: app-installation
      private_key: "FAKE-private-key-material"
  inline:
    system: jira-cloud
    url: https://a.atlassian.net
    account:
      type: service
      username: inline-sync@example.test
      owner: team-inline
      purpose: Declared inline
      reviewed: 2026-11-20
    credential:
      type: oauth-client-credentials
      client_id: "FAKE-client-id-0042"
      secret: env:H
      rotation: { interval_days: 90, last_rotated: 2026-11-20 }
  ghost:
    system: jira-cloud
    url: https://a.atlassian.net
    account: ghost-account
    credential:
      type: api-token
      secret: env:I
      expires: 2027-01-31
flows:
  - from: ok
    to: expiry-soon
    sync: [update]
"#;
