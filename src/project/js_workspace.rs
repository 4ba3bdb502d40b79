//! The packages of a JS/TS workspace (npm/yarn `workspaces` in the root package.json, or pnpm-workspace.yaml), so
//! that `import { x } from '@shop/lib'` resolves to that package's source inside the project: its package.json
//! `exports` (the `.` entry or a subpath, through the `types`/`import`/`default`/`require` conditions), `module`,
//! `main` or `types`, and when those name built output that is not in the tree (`dist/index.js`), the same path
//! under `src/`.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// How many directories up from a file the workspace root is looked for.
const ROOT_DEPTH: usize = 8;
/// The `exports` conditions read, in order: the source-facing ones first.
const CONDITIONS: &[&str] = &["source", "import", "module", "default", "require", "node", "types"];
/// Build-output directories whose source is usually the same path under `src/`.
const BUILD_DIRS: &[&str] = &["dist", "lib", "build", "out", "esm", "cjs"];

/// A workspace: each member package's name → its directory and package.json.
#[derive(Debug, Default)]
pub struct Workspace {
    pub packages: HashMap<String, (PathBuf, Value)>,
}

impl Workspace {
    /// The workspace root above `file`: the nearest directory whose package.json has `workspaces`, or that holds a
    /// pnpm-workspace.yaml.
    pub fn root_of(file: &Path) -> Option<PathBuf> {
        file.ancestors()
            .skip(1)
            .take(ROOT_DEPTH)
            .find(|d| d.join("pnpm-workspace.yaml").is_file() || workspace_globs(d).is_some())
            .map(Path::to_path_buf)
    }

    /// Lists the member packages of the workspace at `root`; `None` when it declares none.
    pub fn read(root: &Path) -> Option<Workspace> {
        let globs = workspace_globs(root).or_else(|| pnpm_globs(root))?;
        let mut packages = HashMap::new();
        for dir in globs.iter().flat_map(|g| expand(root, g)) {
            let Some(json) = read_json(&dir.join("package.json")) else { continue };
            if let Some(name) = json.get("name").and_then(Value::as_str) {
                packages.entry(name.to_string()).or_insert((dir, json));
            }
        }
        Some(Workspace { packages })
    }

    /// The paths a bare specifier (`@shop/lib`, `@shop/lib/queues`) may name in a member package, most likely
    /// first; empty when no member has that name.
    pub fn candidates(&self, specifier: &str) -> Vec<PathBuf> {
        let Some((name, subpath)) = self.split(specifier) else { return Vec::new() };
        let Some((dir, json)) = self.packages.get(name) else { return Vec::new() };
        let key = if subpath.is_empty() { ".".to_string() } else { format!("./{subpath}") };
        let mut targets: Vec<String> = Vec::new();
        if let Some(exports) = json.get("exports") {
            targets.extend(export_targets(exports, &key));
        }
        if subpath.is_empty() {
            for field in ["source", "module", "main", "types", "typings"] {
                targets.extend(json.get(field).and_then(Value::as_str).map(str::to_string));
            }
            targets.push("src/index".to_string());
            targets.push("index".to_string());
        } else {
            targets.push(format!("src/{subpath}"));
            targets.push(subpath.to_string());
        }
        let mut out = Vec::new();
        for t in targets {
            let t = t.trim_start_matches("./");
            // a declaration file stands for the module it declares
            let declared = t.strip_suffix(".d.ts").map(|stem| format!("{stem}.ts"));
            let t = declared.as_deref().unwrap_or(t);
            out.push(dir.join(t));
            // built output named by the manifest: the source under src/, whatever its extension
            if let Some((first, rest)) = t.split_once('/') {
                if BUILD_DIRS.contains(&first) {
                    let stem = Path::new(rest).with_extension("");
                    out.push(dir.join("src").join(stem));
                }
            }
        }
        out.dedup();
        out
    }

    /// `@scope/name/sub/path` → (`@scope/name`, `sub/path`) for the longest member name that prefixes it.
    fn split<'a>(&self, specifier: &'a str) -> Option<(&'a str, &'a str)> {
        let parts = if specifier.starts_with('@') { 2 } else { 1 };
        let mut ends = specifier.match_indices('/').map(|(i, _)| i).chain(std::iter::once(specifier.len()));
        let end = ends.nth(parts - 1)?;
        let (name, rest) = specifier.split_at(end);
        Some((name, rest.trim_start_matches('/')))
    }
}

/// The `exports` targets for `key` (`.` or `./sub`): a string, a conditions object, a subpath map (with `*`
/// patterns), or an array of those.
fn export_targets(exports: &Value, key: &str) -> Vec<String> {
    match exports {
        Value::String(s) if key == "." => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(|i| export_targets(i, key)).collect(),
        Value::Object(map) if map.keys().any(|k| k.starts_with('.')) => {
            if let Some(v) = map.get(key) {
                return conditions(v);
            }
            // `"./*": "./src/*.ts"`
            map.iter()
                .filter_map(|(pattern, v)| {
                    let (pre, post) = pattern.split_once('*')?;
                    let star = key.strip_prefix(pre)?.strip_suffix(post)?;
                    Some(conditions(v).into_iter().map(|t| t.replacen('*', star, 1)).collect::<Vec<_>>())
                })
                .flatten()
                .collect()
        }
        Value::Object(_) if key == "." => conditions(exports),
        _ => Vec::new(),
    }
}

/// The targets of one `exports` entry through its conditions, source-facing ones first.
fn conditions(entry: &Value) -> Vec<String> {
    match entry {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(conditions).collect(),
        Value::Object(map) => CONDITIONS.iter().filter_map(|c| map.get(*c)).flat_map(conditions).collect(),
        _ => Vec::new(),
    }
}

/// The `workspaces` globs of the package.json in `dir` (an array, or `{ "packages": [...] }` as yarn writes it).
fn workspace_globs(dir: &Path) -> Option<Vec<String>> {
    let json = read_json(&dir.join("package.json"))?;
    let ws = json.get("workspaces")?;
    let list = ws.as_array().or_else(|| ws.get("packages").and_then(Value::as_array))?;
    Some(list.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

/// The `packages:` list of a pnpm-workspace.yaml (`- 'packages/*'` lines; exclusions skipped).
fn pnpm_globs(root: &Path) -> Option<Vec<String>> {
    let text = super::sources::read_source(&root.join("pnpm-workspace.yaml"))?;
    let mut in_packages = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if !line.starts_with([' ', '\t', '-']) && !trimmed.is_empty() {
            in_packages = trimmed.starts_with("packages:");
            continue;
        }
        if let Some(item) = trimmed.strip_prefix('-').filter(|_| in_packages) {
            let item = item.trim().trim_matches(|c| c == '\'' || c == '"');
            if !item.starts_with('!') && !item.is_empty() {
                out.push(item.to_string());
            }
        }
    }
    Some(out)
}

/// The directories a workspace glob names: `packages/*`, `apps/**` (one level or any depth), or a plain path.
fn expand(root: &Path, glob: &str) -> Vec<PathBuf> {
    let glob = glob.trim_start_matches("./").trim_end_matches('/');
    match glob.split_once('*') {
        None => vec![root.join(glob)],
        Some((prefix, _)) => {
            let base = root.join(prefix.trim_end_matches('/'));
            let deep = glob.contains("**");
            let mut out = Vec::new();
            let mut stack = vec![(base, 0)];
            while let Some((dir, depth)) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else { continue };
                for entry in entries.flatten() {
                    let path = entry.path();
                    let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                    if !is_dir || path.file_name().is_some_and(|n| n == "node_modules" || n.to_string_lossy().starts_with('.')) {
                        continue;
                    }
                    if deep && depth < 3 {
                        stack.push((path.clone(), depth + 1));
                    }
                    out.push(path);
                }
            }
            out.sort();
            out
        }
    }
}

fn read_json(path: &Path) -> Option<Value> {
    let text = super::sources::read_source(path)?;
    serde_json::from_str(&super::js_resolve::strip_jsonc(&text)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(name: &str, json: &str) -> Workspace {
        let value: Value = serde_json::from_str(json).expect("json");
        Workspace { packages: HashMap::from([(name.to_string(), (PathBuf::from("/w/pkg"), value))]) }
    }

    #[test]
    fn exports_conditions_and_subpaths_are_followed_and_built_output_maps_to_src() {
        let ws = workspace(
            "@shop/lib",
            r#"{ "exports": { ".": { "import": "./dist/index.mjs", "types": "./dist/index.d.ts" }, "./queues/*": "./dist/queues/*.js" }, "main": "dist/index.js" }"#,
        );
        let c = ws.candidates("@shop/lib");
        assert_eq!(c[..2], [PathBuf::from("/w/pkg/dist/index.mjs"), PathBuf::from("/w/pkg/src/index")]);
        assert!(c.contains(&PathBuf::from("/w/pkg/dist/index.ts")), "a .d.ts stands for its .ts: {c:?}");
        assert!(!c.iter().any(|p| p.to_string_lossy().ends_with(".d.ts")), "{c:?}");
        let q = ws.candidates("@shop/lib/queues/cart");
        assert_eq!(q[..2], [PathBuf::from("/w/pkg/dist/queues/cart.js"), PathBuf::from("/w/pkg/src/queues/cart")]);
        assert!(ws.candidates("@shop/other").is_empty());
        assert!(ws.candidates("@shop/library").is_empty(), "a longer name is another package");
    }

    #[test]
    fn an_unscoped_package_with_only_main() {
        let ws = workspace("mailer", r#"{ "main": "lib/index.js" }"#);
        assert_eq!(ws.candidates("mailer")[..2], [PathBuf::from("/w/pkg/lib/index.js"), PathBuf::from("/w/pkg/src/index")]);
    }
}
