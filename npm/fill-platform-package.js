#!/usr/bin/env node
// Fills an npm platform package (@ctxlint/cli-<os>-<cpu>[-<libc>], listed in npm/platforms.json) with a built ctxlint
// binary, ready for `npm pack` / `npm publish`:
//
//   node npm/fill-platform-package.js --target x86_64-unknown-linux-gnu --out DIR [--binary PATH]
//
// DIR gets package.json (name, version, os, cpu, libc from platforms.json; the version is npm/ctxlint's, which must
// be Cargo.toml's), a README and the binary (`ctxlint`, or `ctxlint.exe` on Windows, mode 755). Without --binary it
// builds one with `cargo build --release --locked [--target TARGET]` and takes the path cargo reports. Plain
// Node.
"use strict";

const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const here = __dirname;
const root = path.dirname(here);

function die(message) {
  process.stderr.write(`fill-platform-package: ${message}\n`);
  process.exit(2);
}

// `--name value` pairs -> { name: value }.
function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!name.startsWith("--") || i + 1 >= argv.length) die(`bad arguments near ${name}`);
    args[name.slice(2)] = argv[i + 1];
  }
  for (const required of ["target", "out"]) if (!args[required]) die(`--${required} is required`);
  return args;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    return die(`cannot read ${file}: ${err.message}`);
  }
}

// The [package] version of Cargo.toml.
function cargoVersion() {
  const toml = fs.readFileSync(path.join(root, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((section) => section.startsWith("package]"));
  const match = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  return match ? match[1] : die("no [package] version in Cargo.toml");
}

// The Rust host triple (`rustc -vV`).
function hostTarget() {
  const match = execFileSync("rustc", ["-vV"], { encoding: "utf8" }).match(/^host: (\S+)$/m);
  return match ? match[1] : die("rustc -vV names no host");
}

// Builds the release binary for `target` (for the host: the usual target/release one) and returns the executable
// path that cargo reports.
function cargoBuild(target) {
  const args = ["build", "--release", "--locked", "--bin", "ctxlint", "--message-format=json"];
  if (target !== hostTarget()) args.push("--target", target);
  const out = execFileSync("cargo", args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 256 * 1024 * 1024,
  });
  for (const line of out.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line);
    if (msg.reason === "compiler-artifact" && msg.target.name === "ctxlint" && msg.executable) return msg.executable;
  }
  return die("cargo reported no ctxlint executable");
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const platform = readJson(path.join(here, "platforms.json")).packages.find((p) => p.target === args.target);
  if (!platform) die(`no platform package for ${args.target} in npm/platforms.json`);
  const launcher = readJson(path.join(here, "ctxlint", "package.json"));
  if (launcher.version !== cargoVersion()) {
    die(`npm/ctxlint/package.json has version ${launcher.version}, Cargo.toml ${cargoVersion()}: make them agree`);
  }
  if (!(launcher.optionalDependencies || {})[platform.name]) {
    die(`npm/ctxlint/package.json does not list ${platform.name} in optionalDependencies`);
  }
  const binary = args.binary || cargoBuild(args.target);
  if (!fs.existsSync(binary)) die(`no binary at ${binary}`);

  const exe = platform.os === "win32" ? "ctxlint.exe" : "ctxlint";
  const manifest = {
    name: platform.name,
    version: launcher.version,
    description: `The ctxlint binary for ${platform.target} (installed by the ctxlint package)`,
    license: launcher.license,
    repository: launcher.repository && { ...launcher.repository, directory: "npm" },
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    files: [exe],
    preferUnplugged: true,
  };
  fs.mkdirSync(args.out, { recursive: true });
  fs.writeFileSync(path.join(args.out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(
    path.join(args.out, "README.md"),
    `# ${platform.name}\n\nThe \`ctxlint\` binary for \`${platform.target}\`. Install \`ctxlint\`, not this package: ` +
      "its launcher picks the platform package that fits.\n",
  );
  const dest = path.join(args.out, exe);
  fs.copyFileSync(binary, dest);
  fs.chmodSync(dest, 0o755);
  process.stdout.write(`${dest}\n`);
}

main();
