//! Documents several test files write: a clean Integration and the inventory of its account
//! (with variants that raise one finding each), and a second clean pair whose Jira secret the
//! caller chooses.

/// A clean Integration: no finding when checked together with [`CLEAN_ACCOUNTS`] on [`NOW`].
/// Line 11 holds the inventory account id (`account: getint-jira-prod`, value at column 14);
/// line 14 the `secret` (value at column 15).
pub const CLEAN_INTEGRATION: &str = "\
apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: jira-ado
  owner: team-platform
  environment: prod
connections:
  jira:
    system: jira-cloud
    url: https://acme.atlassian.net
    account: getint-jira-prod
    credential:
      type: api-token
      secret: env:JIRA_API_TOKEN
      created: 2026-11-16
      expires: 2027-11-15
      rotation:
        interval_days: 90
        last_rotated: 2026-11-16
  ado:
    system: azure-devops
    url: https://dev.azure.com/acme
    account:
      type: service
      username: getint-ado-sync@acme.example
      display_name: Getint Sync (Azure DevOps)
      owner: team-platform
      purpose: Creates work items mirrored from Jira
      permissions: [Contributors]
      login: api-only
      reviewed: 2026-11-17
      tested: 2026-11-17
    credential:
      type: personal-access-token
      secret: vault:kv/ado#pat
      scopes: [vso.work_write]
      created: 2026-11-16
      expires: 2027-05-15
      rotation:
        interval_days: 90
        last_rotated: 2026-11-16
flows:
  - from: jira
    to: ado
    sync: [create, update]
";

/// The inventory that declares the account [`CLEAN_INTEGRATION`] uses. Line 13 holds
/// `reviewed` (value at column 15).
pub const CLEAN_ACCOUNTS: &str = "\
apiVersion: bridgelint/v1
kind: ServiceAccounts
accounts:
  getint-jira-prod:
    system: jira-cloud
    type: service
    username: getint-sync@acme.example
    display_name: Getint Sync (Jira)
    owner: team-platform
    purpose: Reads Jira issues for the platform sync
    permissions: [BROWSE_PROJECTS]
    login: api-only
    reviewed: 2026-11-01
    tested: 2026-11-20
";

/// [`CLEAN_INTEGRATION`] with a literal secret: one `plaintext-secret` error at 14:15, and
/// its own name so that it can sit next to the clean one.
pub fn integration_with_plaintext_secret() -> String {
    CLEAN_INTEGRATION
        .replace("secret: env:JIRA_API_TOKEN", "secret: hunter2-fake")
        .replace("name: jira-ado", "name: jira-ado-leaky")
}

/// [`CLEAN_ACCOUNTS`] reviewed long ago: one `stale-review` warning at 13:15.
pub fn accounts_with_stale_review() -> String {
    CLEAN_ACCOUNTS.replace("reviewed: 2026-11-01", "reviewed: 2026-01-01")
}

/// [`CLEAN_INTEGRATION`] whose inline account has no display name: one `display-name` info.
pub fn integration_with_info_only() -> String {
    CLEAN_INTEGRATION.replace("      display_name: Getint Sync (Azure DevOps)\n", "")
}

/// A clean inventory with one Jira and one Azure DevOps account.
pub const INVENTORY: &str = "\
apiVersion: bridgelint/v1
kind: ServiceAccounts
accounts:
  getint-jira:
    system: jira-cloud
    type: service
    username: getint-sync@acme.example
    display_name: Getint Sync (Jira)
    owner: team-platform
    purpose: Mirrors incidents between Jira and Azure DevOps
    permissions: [BROWSE_PROJECTS, ADD_COMMENTS]
    reviewed: 2026-11-01
    tested: 2026-11-02
  getint-ado:
    system: azure-devops
    type: service
    username: getint-ado@acme.example
    display_name: Getint Sync (Azure DevOps)
    owner: team-platform
    purpose: Mirrors incidents between Jira and Azure DevOps
    permissions: [Contributors]
    reviewed: 2026-11-01
    tested: 2026-11-02
";

/// A clean integration using the inventory above; `{JIRA_SECRET}` is replaced by the caller.
pub const INTEGRATION: &str = "\
apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: jira-ado-platform-prod
  owner: team-platform
  environment: prod
connections:
  jira:
    system: jira-cloud
    url: https://acme.atlassian.net
    account: getint-jira
    credential:
      type: api-token
      secret: {JIRA_SECRET}
      expires: 2027-06-30
      rotation: { interval_days: 90, last_rotated: 2026-11-01 }
  ado:
    system: azure-devops
    url: https://dev.azure.com/acme
    account: getint-ado
    credential:
      type: personal-access-token
      secret: vault:kv/ado#pat
      expires: 2027-06-30
      rotation: { interval_days: 90, last_rotated: 2026-11-01 }
flows:
  - from: jira
    to: ado
    sync: [create, update]
  - from: ado
    to: jira
    sync: [comments]
";

pub fn integration(secret: &str) -> String {
    INTEGRATION.replace("{JIRA_SECRET}", secret)
}
