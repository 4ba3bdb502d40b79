//! JS/TS module resolution inside the project: relative specifiers (`./mailer`, `../lib/mailer.js`), index files,
//! the `.js` → `.ts` mapping of TypeScript's ESM imports, and the nearest `tsconfig.json`/`jsconfig.json`'s
//! `compilerOptions.paths` (`@/*` → `src/*`) and `baseUrl`, following a relative `extends`, and the member packages
//! of a workspace ([`Workspace`]). Packages from `node_modules` are not the project: a bare specifier that no `paths`
//! entry, `baseUrl` or workspace member maps is not resolved.
use std::path::{Path, PathBuf};

use super::js_workspace::Workspace;

/// Extensions tried after a specifier without one, in TypeScript's order.
const EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];
/// How many `extends` a tsconfig chain is followed.
const EXTENDS_DEPTH: usize = 3;

/// A tsconfig's module mapping.
#[derive(Debug, Default, Clone)]
pub struct PathMap {
    /// `compilerOptions.baseUrl`, absolute.
    pub base_url: Option<PathBuf>,
    /// `paths` patterns → targets (absolute, each with at most one `*`), in file order.
    pub paths: Vec<(String, Vec<PathBuf>)>,
}

impl PathMap {
    /// Reads the tsconfig (or jsconfig) at `file`, with its relative `extends` chain; `None` when unreadable.
    pub fn read(file: &Path) -> Option<PathMap> {
        read_chain(file, 0)
    }

    /// The files a bare specifier maps to, most specific pattern first.
    fn candidates(&self, specifier: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut matched: Vec<(usize, &Vec<PathBuf>, String)> = self
            .paths
            .iter()
            .filter_map(|(pattern, targets)| {
                let star = match pattern.split_once('*') {
                    Some((pre, post)) => {
                        let middle = specifier.strip_prefix(pre)?.strip_suffix(post)?;
                        middle.to_string()
                    }
                    None if pattern == specifier => String::new(),
                    None => return None,
                };
                Some((pattern.len(), targets, star))
            })
            .collect();
        matched.sort_by_key(|m| std::cmp::Reverse(m.0));
        for (_, targets, star) in matched {
            for t in targets {
                out.push(PathBuf::from(t.to_string_lossy().replacen('*', &star, 1)));
            }
        }
        if let Some(base) = &self.base_url {
            out.push(base.join(specifier));
        }
        out
    }
}

fn read_chain(file: &Path, depth: usize) -> Option<PathMap> {
    let text = super::sources::read_source(file)?;
    let json: serde_json::Value = serde_json::from_str(&strip_jsonc(&text)).ok()?;
    let dir = file.parent()?;
    let mut map = match json.get("extends").and_then(|e| e.as_str()) {
        Some(parent) if depth < EXTENDS_DEPTH && parent.starts_with('.') => {
            let mut p = dir.join(parent);
            if p.extension().is_none() {
                p.set_extension("json");
            }
            read_chain(&p, depth + 1).unwrap_or_default()
        }
        _ => PathMap::default(),
    };
    let options = json.get("compilerOptions");
    let base = options.and_then(|o| o.get("baseUrl")).and_then(|b| b.as_str()).map(|b| dir.join(b));
    if let Some(base) = &base {
        map.base_url = Some(base.clone());
    }
    if let Some(paths) = options.and_then(|o| o.get("paths")).and_then(|p| p.as_object()) {
        // targets are relative to baseUrl when set, else to the tsconfig's directory
        let root = base.clone().or_else(|| map.base_url.clone()).unwrap_or_else(|| dir.to_path_buf());
        map.paths = paths
            .iter()
            .map(|(pattern, targets)| {
                let targets = targets.as_array().map(|a| a.iter().filter_map(|t| t.as_str()).map(|t| root.join(t)).collect());
                (pattern.clone(), targets.unwrap_or_default())
            })
            .collect();
    }
    Some(map)
}

/// JSON with comments and trailing commas (tsconfig's dialect) → JSON.
pub fn strip_jsonc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            _ => out.push(c),
        }
    }
    // trailing commas: `,` followed only by whitespace before `}` or `]`
    let mut cleaned = String::with_capacity(out.len());
    let bytes: Vec<char> = out.chars().collect();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            cleaned.push(c);
            if c == '\\' {
                if let Some(n) = bytes.get(i + 1) {
                    cleaned.push(*n);
                    i += 1;
                }
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            cleaned.push(c);
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|n| !n.is_whitespace());
            if !matches!(next, Some('}') | Some(']')) {
                cleaned.push(c);
            }
        } else {
            cleaned.push(c);
        }
        i += 1;
    }
    cleaned
}

/// The nearest `tsconfig.json` / `jsconfig.json` above `file`.
pub fn nearest_tsconfig(file: &Path) -> Option<PathBuf> {
    file.ancestors().skip(1).find_map(|d| ["tsconfig.json", "jsconfig.json"].iter().map(|n| d.join(n)).find(|p| p.is_file()))
}

/// The project file `specifier` names from the module at `from`: relative, mapped by `paths`/`baseUrl`, or a
/// member package of the workspace.
pub fn resolve(from: &Path, specifier: &str, paths: Option<&PathMap>, workspace: Option<&Workspace>) -> Option<PathBuf> {
    if specifier.starts_with("./") || specifier.starts_with("../") || specifier == "." || specifier == ".." {
        return existing(&from.parent()?.join(specifier));
    }
    if specifier.starts_with('/') || specifier.starts_with("node:") {
        return None;
    }
    let mapped = paths.map(|p| p.candidates(specifier)).unwrap_or_default();
    mapped.iter().find_map(|c| existing(c)).or_else(|| workspace?.candidates(specifier).iter().find_map(|c| existing(c)))
}

/// The source file a resolved path stands for: itself, with an extension, an index file, or the `.ts` a `.js`
/// specifier stands for.
fn existing(base: &Path) -> Option<PathBuf> {
    let base = crate::files::lexically_clean(base);
    if base.is_file() && base.extension().is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x)) {
        return Some(base);
    }
    if let Some(ext) = base.extension().and_then(|e| e.to_str()) {
        let ts = match ext {
            "js" | "jsx" => &["ts", "tsx"][..],
            "mjs" => &["mts"][..],
            "cjs" => &["cts"][..],
            _ => &[][..],
        };
        if let Some(p) = ts.iter().map(|t| base.with_extension(t)).find(|p| p.is_file()) {
            return Some(p);
        }
    }
    let name = base.file_name()?.to_string_lossy().into_owned();
    EXTENSIONS
        .iter()
        .map(|e| base.with_file_name(format!("{name}.{e}")))
        .chain(EXTENSIONS.iter().map(|e| base.join(format!("index.{e}"))))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_removed_outside_strings() {
        let text = "{\n // c\n \"a\": \"//not a comment\", /* b */ \"p\": [\"x/*\",],\n}";
        let v: serde_json::Value = serde_json::from_str(&strip_jsonc(text)).expect("json");
        assert_eq!(v["a"], "//not a comment");
        assert_eq!(v["p"][0], "x/*");
    }

    #[test]
    fn paths_patterns_map_longest_first_then_base_url() {
        let map = PathMap {
            base_url: Some(PathBuf::from("/p")),
            paths: vec![("@/*".into(), vec![PathBuf::from("/p/src/*")]), ("@/lib/*".into(), vec![PathBuf::from("/p/lib/*")])],
        };
        assert_eq!(
            map.candidates("@/lib/queue"),
            vec![PathBuf::from("/p/lib/queue"), PathBuf::from("/p/src/lib/queue"), PathBuf::from("/p/@/lib/queue")]
        );
    }
}
