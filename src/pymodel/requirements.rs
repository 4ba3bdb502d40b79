//! pip requirements files (`requirements*.txt`) read for what they install: each line a package (PEP 508, a URL with
//! `#egg=`, a wheel or sdist file), an include (`-r other.txt`), or a local project (`-e .`, `./lib`); options,
//! constraints (`-c`), comments and markers contribute nothing else.

/// What one logical line of a requirements file installs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequirementLine {
    /// A distribution, by its normalized name.
    Package(String),
    /// `-r FILE` / `--requirement FILE`: every line of that file (relative to this one).
    Include(String),
    /// `-e PATH`, `PATH` or `file:PATH` naming a directory (relative to this file): that project, and what it declares.
    LocalProject(String),
}

/// The lines of a requirements file that install something, in order.
pub fn parse(text: &str) -> Vec<RequirementLine> {
    logical_lines(text).iter().filter_map(|line| parse_line(line)).collect()
}

/// The lines of `text` with `\` continuations joined and comments (`#` at the start or after white space) cut.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        let line = strip_comment(raw);
        match line.strip_suffix('\\') {
            Some(head) => current.push_str(head),
            None => {
                current.push_str(line);
                let joined = std::mem::take(&mut current);
                if !joined.trim().is_empty() {
                    out.push(joined.trim().to_string());
                }
            }
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return line[..i].trim_end();
        }
    }
    line.trim_end()
}

/// The value of an option written `-r FILE`, `-rFILE`, `--requirement FILE` or `--requirement=FILE`.
fn option_value<'a>(line: &'a str, short: &str, long: &str) -> Option<&'a str> {
    let value = if let Some(rest) = line.strip_prefix(long) {
        rest.strip_prefix('=').or_else(|| rest.starts_with(char::is_whitespace).then_some(rest))?
    } else {
        line.strip_prefix(short)?
    };
    let value = value.trim().trim_matches(['"', '\'']);
    (!value.is_empty()).then_some(value)
}

fn parse_line(line: &str) -> Option<RequirementLine> {
    if let Some(file) = option_value(line, "-r", "--requirement") {
        return Some(RequirementLine::Include(file.to_string()));
    }
    if let Some(target) = option_value(line, "-e", "--editable") {
        return target_requirement(target);
    }
    // every other option (-c constraints install nothing; -i, --hash, --pre, ...) contributes no package
    if line.starts_with('-') {
        return None;
    }
    // `name @ url` and plain PEP 508 specifiers
    if let Some(name) = super::names::requirement_name(line) {
        if !is_archive(first_word(line)) {
            return Some(RequirementLine::Package(name));
        }
    }
    target_requirement(first_word(line))
}

fn first_word(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

/// A URL, archive or path requirement: the `#egg=` name of a URL, the distribution of a wheel or sdist file name, or a
/// local project directory.
fn target_requirement(target: &str) -> Option<RequirementLine> {
    if let Some((_, fragment)) = target.split_once('#') {
        let egg = fragment.split('&').find_map(|kv| kv.strip_prefix("egg="))?;
        return super::names::requirement_name(egg).map(RequirementLine::Package);
    }
    let path = target.strip_prefix("file://").or_else(|| target.strip_prefix("file:")).unwrap_or(target);
    if target.contains("://") && !target.starts_with("file:") {
        // a URL without an egg name: its archive's file name may still say
        let file = path.rsplit('/').next().unwrap_or("");
        return archive_name(file).map(RequirementLine::Package);
    }
    let file = path.rsplit(['/', '\\']).next().unwrap_or("");
    if is_archive(file) {
        return archive_name(file).map(RequirementLine::Package);
    }
    let local = path.starts_with(['.', '/', '\\']) || path.contains(['/', '\\']) || target.starts_with("file:");
    local.then(|| RequirementLine::LocalProject(path.to_string()))
}

const ARCHIVES: &[&str] = &[".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2"];

fn is_archive(word: &str) -> bool {
    ARCHIVES.iter().any(|ext| word.ends_with(ext))
}

/// The distribution of a wheel (`aio_pika-9.4.0-py3-none-any.whl`) or sdist (`kafka-python-2.0.2.tar.gz`) file
/// name: the part before the first `-<digit>`.
fn archive_name(file: &str) -> Option<String> {
    if !is_archive(file) {
        return None;
    }
    let cut = file.char_indices().find(|&(i, c)| c == '-' && file[i + 1..].starts_with(|d: char| d.is_ascii_digit())).map(|(i, _)| i)?;
    super::names::requirement_name(&file[..cut])
}

#[cfg(test)]
mod tests {
    use super::RequirementLine::{Include, LocalProject, Package};
    use super::*;

    #[test]
    fn packages_extras_markers_comments_and_continuations() {
        let text = "# pinned\nopentelemetry-instrumentation-threading==0.66b1  # for threads\nSentry_SDK[flask]>=2; python_version >= \"3.8\"\nlogfire \\\n  ==5.4.0\naio-pika (>=9)\n\n   \ncelery @ https://example.com/celery.tar.gz\nfoo#bar\n";
        assert_eq!(
            parse(text),
            [
                Package("opentelemetry-instrumentation-threading".into()),
                Package("sentry-sdk".into()),
                Package("logfire".into()),
                Package("aio-pika".into()),
                Package("celery".into()),
                // a `#` inside a word starts no comment; the name ends before it
                Package("foo".into()),
            ]
        );
    }

    #[test]
    fn includes_local_projects_and_options() {
        let text = "-r base.txt\n--requirement=dev.txt\n-rextra.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\n-e .\n-e ../lib\n--editable git+https://github.com/x/kafka.git#egg=kafka_python\n./vendor/pika\nfile:../shared\n-i https://x\n--hash=sha256:00\n";
        assert_eq!(
            parse(text),
            [
                Include("base.txt".into()),
                Include("dev.txt".into()),
                Include("extra.txt".into()),
                LocalProject(".".into()),
                LocalProject("../lib".into()),
                Package("kafka-python".into()),
                LocalProject("./vendor/pika".into()),
                LocalProject("../shared".into()),
            ]
        );
    }

    #[test]
    fn archives_and_urls_name_their_distribution() {
        let text = "./dist/aio_pika-9.4.0-py3-none-any.whl\nhttps://files.example/kafka-python-2.0.2.tar.gz\nhttps://github.com/x/y/archive/main.zip\ngit+https://github.com/x/y.git@v1#egg=Opentelemetry_Instrumentation_Celery&subdirectory=pkg\n";
        assert_eq!(
            parse(text),
            [Package("aio-pika".into()), Package("kafka-python".into()), Package("opentelemetry-instrumentation-celery".into())]
        );
    }
}
